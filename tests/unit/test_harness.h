/*
 * test_harness.h - a fake transport, fake executor, fake init hook and fake
 * clock around one gqlws_session, shared by the session_*.c Check tests.
 * Frames are compared as parsed JSON, never as strings.
 */
#ifndef GQLWS_TEST_HARNESS_H
#define GQLWS_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "gqlws.h"

/* How the fake init hook answers a connection_init. */
typedef enum fake_init_mode {
	INIT_ACCEPT,         /* accept_init(NULL) inside on_init */
	INIT_ACCEPT_PAYLOAD, /* accept_init(copy of h->ack_payload) inside on_init */
	INIT_REJECT,         /* reject_init(h->init_message) inside on_init */
	INIT_FAIL,           /* fail_init(h->init_message) inside on_init */
	INIT_PENDING,        /* answer later, from the test */
	INIT_NO_HOOK,        /* the session is created without on_init */
} fake_init_mode;

/* Everything the fake executor saw of one operation start. */
typedef struct fake_op {
	char *id;
	char *query;
	size_t query_len;
	char *operation_name;  /* NULL when the request had none */
	cJSON *variables;      /* copies; NULL when the request had none */
	cJSON *extensions;
	cJSON *init_payload;
	gqlws_op *op;          /* valid only while live */
	uint64_t serial;
	bool live;             /* started, neither ended nor stopped */
	bool ended_by_itself;  /* complete / fail / refuse / failing op_start */
	int stop_calls;
	int drained_calls;
} fake_op;

#define HARNESS_MAX_OPS 512
#define HARNESS_MAX_FRAMES 4096

typedef struct harness harness;

/* Runs inside op_start, after the start was recorded: lets a test make the
 * executor answer synchronously (re-entrancy). */
typedef void (*start_action)(harness *h, fake_op *op);

struct harness {
	gqlws_session *s;
	gqlws_subprotocol proto;
	gqlws_options opts;
	uint64_t now;

	fake_init_mode init_mode;
	const char *init_message;  /* for reject / fail */
	cJSON *ack_payload;        /* for INIT_ACCEPT_PAYLOAD; owned by the harness */
	int init_calls;
	cJSON *last_init_payload;  /* copy of what on_init saw (or NULL) */
	cJSON *session_init_payload; /* of h_session_init_payload(); owned */
	bool last_init_had_payload;
	int init_answer_status;    /* what accept/reject/fail returned inside on_init */

	fake_op ops[HARNESS_MAX_OPS];
	size_t n_ops;
	int op_start_return;       /* what op_start returns */
	start_action on_start;
	start_action on_drained;   /* runs inside op_drained, after counting */
	bool in_op_call;           /* a gqlws_op_* call of the harness is running */
	int stops_inside_op_call;  /* op_stop while in_op_call: forbidden */
	/* The fake transport knows only what on_notify told it (gqlws.h,
	 * "notifications to the transport"), and the harness checks that this
	 * is enough: a frame or a due close is never found without a write
	 * asked for, and the deadline it knows is the session's. */
	int notify_calls;
	unsigned last_changes;     /* of the latest on_notify */
	int write_notices;
	int close_notices;
	int deadline_notices;
	bool write_wanted;         /* a write asked for and not yet used */
	uint64_t known_deadline;   /* the session's deadline, as notified */
	int queue_notices;         /* GQLWS_NOTIFY_QUEUE (opts.notify_queue) */
	size_t known_queue_heap;   /* gqlws_session_queued_heap_bytes, as notified */
	/* Runs at the end of on_notify, where only accessors and
	 * gqlws_session_evict() may be called. */
	void (*on_notify_action)(harness *h, unsigned changes);
	int stray_stops;           /* op_stop on an op that was not live */

	cJSON *frames[HARNESS_MAX_FRAMES]; /* every frame taken so far, parsed */
	size_t n_frames;
	size_t checked;            /* frames[0..checked) were asserted already */
	bool closed_by_transport;  /* gqlws_session_closed() was called */
};

/* Options used by harness_new(): defaults except a long init timeout and no
 * keep-alive, so that tests about other things are not disturbed by timers. */
void harness_quiet_options(gqlws_options *opts);

/* A session of that subprotocol with these options (NULL: quiet options) and
 * that init mode, at fake time 1000. */
harness *harness_new(gqlws_subprotocol proto, const gqlws_options *opts, fake_init_mode mode);

/* harness_new with INIT_ACCEPT, after connection_init and its ack. */
harness *harness_acknowledged(gqlws_subprotocol proto, const gqlws_options *opts);

/* Feeds the subprotocol's start message ("start" / "subscribe") for
 * `subscription { s }` under id; returns what gqlws_session_receive did. */
int h_start_subscription(harness *h, const char *id);

/* Destroys the session, checks the op_stop rule for every operation (once
 * for each that did not end by itself, never for one that did) and frees. */
void harness_free(harness *h);

/* Feeds one text message (NUL-terminated) as is / one binary message. */
int h_recv(harness *h, const char *text);
/* Feeds one text message written with single quotes for double quotes. */
int h_send(harness *h, const char *text);
int h_recv_binary(harness *h, const void *data, size_t len);

/* Asserts that the deadline the fake transport was told is the session's. */
#define h_expect_known_deadline(h) h_expect_known_deadline_at((h), __FILE__, __LINE__)
void h_expect_known_deadline_at(harness *h, const char *file, int line);

/* The transport says the connection is gone (gqlws_session_closed). */
void h_closed(harness *h);

/* Advances the fake clock by ms and runs the session's timers (checking
 * first that the transport knows the deadline). */
void h_advance(harness *h, uint64_t ms);

/* Takes every queued frame from the session (peek + frame_sent), parsing it. */
void h_drain(harness *h);

/* Asserts the next frame not yet checked equals the expected JSON. In the
 * expected text the string "<any>" matches any value, and "<string>" any
 * non-empty string. Expected JSON texts in this harness (h_expect, h_next,
 * h_refuse, h_accept, h_json) may use single quotes for double quotes. */
#define h_expect(h, json) h_expect_at((h), (json), __FILE__, __LINE__)
void h_expect_at(harness *h, const char *expected, const char *file, int line);

/* Asserts that no frame is waiting to be checked (after draining). */
#define h_expect_no_frame(h) h_expect_no_frame_at((h), __FILE__, __LINE__)
void h_expect_no_frame_at(harness *h, const char *file, int line);

/* Returns the next unchecked frame (after draining) and marks it checked;
 * fails the test if there is none. Borrowed. */
const cJSON *h_take(harness *h);

/* Asserts a close is due now (after draining) with that code, and with that
 * reason if reason is not NULL. Any reason must be at most 123 bytes. */
#define h_expect_close(h, code, reason) h_expect_close_at((h), (code), (reason), __FILE__, __LINE__)
void h_expect_close_at(harness *h, uint16_t code, const char *reason, const char *file, int line);

/* Asserts the session neither closes nor asked to. */
#define h_expect_open(h) h_expect_open_at((h), __FILE__, __LINE__)
void h_expect_open_at(harness *h, const char *file, int line);

/* The close reason due now, NUL-terminated in a static buffer (test only). */
const char *h_close_reason(harness *h, size_t *len);

/* The latest recorded operation with that id, or NULL. */
fake_op *h_op(harness *h, const char *id);
/* The latest recorded operation with that id, which must be live. */
fake_op *h_live(harness *h, const char *id);
/* Number of op_start calls so far. */
size_t h_started(const harness *h);

/* The fake executor, on command. Each returns the API status. */
int h_next(harness *h, const char *id, const char *result_json);
int h_complete(harness *h, const char *id);
int h_fail(harness *h, const char *id, const char *message);
int h_refuse(harness *h, const char *id, const char *errors_json);
/* The same with gqlws_op_refuse_syntax (a document that does not parse). */
int h_refuse_syntax(harness *h, const char *id, const char *errors_json);

/* Asserts that operation `id` was stopped exactly once / never. */
#define h_expect_stopped(h, id) h_expect_stops_at((h), (id), 1, __FILE__, __LINE__)
#define h_expect_not_stopped(h, id) h_expect_stops_at((h), (id), 0, __FILE__, __LINE__)
void h_expect_stops_at(harness *h, const char *id, int stops, const char *file, int line);

/* Answers a pending init from the test. */
int h_accept(harness *h, const char *ack_payload_json);

/* gqlws_session_init_payload_json() parsed (NULL when it is NULL); valid
 * until the next call or harness_free. */
const cJSON *h_session_init_payload(harness *h);

/* Parses JSON text or fails the test. Caller frees. */
cJSON *h_json(const char *text);

/* True if expected (with the wildcards above) matches actual. */
bool h_json_matches(const char *expected, const cJSON *actual);

/* A test case whose teardown frees the harnesses a failed test left. */
TCase *h_tcase(const char *name);

/* Runs the suite; the exit status of each test program. */
int h_run_suite(Suite *suite);

#endif /* GQLWS_TEST_HARNESS_H */
