/*
 * The session and operation structs, shared by the session files: the
 * common engine (session.c), the operation registry (op_registry.c) and the
 * two subprotocol wires (session_legacy.c, session_modern.c), which the
 * engine reaches only through their tables (struct gqlws_wire).
 */
#ifndef GQLWS_SESSION_INTERNAL_H
#define GQLWS_SESSION_INTERNAL_H

#include "frame_queue.h"
#include "gqlws.h"
#include "json_text.h"
#include "op_map.h"

/* Close reasons fit one control frame: 125 bytes minus the 2-byte code. */
#define CLOSE_REASON_MAX 123

enum op_state {
	OP_HELD,     /* legacy start waiting for a pending init; not started */
	OP_STARTING, /* inside op_start */
	OP_RUNNING,
	OP_STOPPING, /* inside op_stop */
	OP_DONE,     /* ended or stopped; waiting to be freed */
};

/* One gqlws_op_on_end registration. */
struct op_cleanup {
	struct op_cleanup *next;
	void (*fn)(void *arg);
	void *arg; /* its cost is in the op's charges (op->charged) */
};

struct gqlws_op {
	gqlws_session *session;
	struct gqlws_op *prev, *next; /* live list, or the done list (next only) */
	struct gqlws_op *id_next, *serial_next; /* chains of the session's op_map */
	uint64_t id_hash; /* of the id under the op_map's key */
	uint64_t serial;
	enum op_state state;
	bool sent_result; /* a next went out: refuse is no longer allowed */
	bool wants_drain;
	bool id_is_string; /* legacy ids may be numbers; kept for echo and lookup */
	void *user;
	/* gqlws_op_on_end's cleanups, newest first; run and freed with the op. */
	struct op_cleanup *cleanups;
	/* OP_HELD only: a raw cJSON node holding the text of the start
	 * message, parsed again when the op starts (a tree would cost up to
	 * 40 times the text while held, and printing it again would not give
	 * back every number as sent); owned. */
	cJSON *held_payload;
	/* Charged to the session's budget (max-connection-bytes), released
	 * when the op retires: its own allocation, its held payload, and what
	 * the executor charged with gqlws_op_charge. */
	size_t own_cost;
	size_t held_cost;
	size_t charged;
	size_t id_len;       /* bytes of id_text */
	size_t id_json_len;  /* bytes of id_json */
	char *id_json;       /* the id as it is echoed: "\"a\"" or "7" */
	char id_text[];      /* the id text, NUL-terminated; id_json follows */
};

enum init_state { INIT_NONE, INIT_PENDING, INIT_ACCEPTED, INIT_REFUSED };

struct gqlws_session {
	const struct gqlws_wire *wire; /* the subprotocol, chosen once */
	gqlws_callbacks cb;
	gqlws_options opt;
	void *user;
	struct gqlws_frame_queue queue;
	/* Heap charged to the connection besides the queue: the session
	 * itself and every op's charges (see gqlws.h, memory per connection). */
	size_t charged;
	size_t peak_memory;

	enum init_state init;
	bool acked;
	/* The init's payload (an object) as compact JSON text, or NULL when
	 * it had none: text costs a small fraction of a cJSON tree. */
	char *init_payload_json;
	size_t init_payload_json_len;

	/* The message gqlws_session_receive() is handling, borrowed for the
	 * time of that call (NULL otherwise). */
	const char *message_text;
	size_t message_len;

	uint64_t now;             /* last time the transport gave us */
	uint64_t init_deadline;   /* 0: none */
	uint64_t keepalive_due;   /* 0: none */
	uint64_t notified_deadline;

	bool closing;
	bool gone;            /* the transport said the connection is closed */
	bool stops_deferred;  /* close requested where op_stop could not run */
	uint16_t close_code;
	size_t close_reason_len;
	char close_reason[CLOSE_REASON_MAX + 1];

	struct gqlws_op *ops_head, *ops_tail; /* held and running ops, in start order */
	struct op_map ops_index; /* the same ops by id and by serial */
	size_t op_count;
	struct gqlws_op *done; /* ops to free once no call is on the stack */
	unsigned drain_requests;

	unsigned depth;        /* nested public calls and callbacks */
	unsigned app_depth;    /* of those, callbacks and calls made by the app */
	unsigned changes;      /* GQLWS_NOTIFY_* for on_notify since the last one */
};

/* --- session.c: shared engine, used by the subprotocol files --- */

/* Queues a frame made of pieces; on overflow closes with 1008. Returns
 * GQLWS_OK, GQLWS_ERR_CLOSED or GQLWS_ERR_NOMEM. */
int session_send(gqlws_session *s, const struct gqlws_piece *pieces, size_t count);
/* Queues a frame from one text. */
int session_send_text(gqlws_session *s, const char *text, size_t len);
/* Charges bytes to the connection's budget: false (nothing charged) when
 * the connection would hold more than max_connection_bytes. */
bool session_charge(gqlws_session *s, size_t bytes);
void session_uncharge(gqlws_session *s, size_t bytes);
/* Requests the close (first request wins); stops ops when it is safe. */
void session_close(gqlws_session *s, uint16_t code, const char *reason);
/* Closes with 1011 (graphql-ws) or 4500: our own failure, e.g. memory. */
void session_close_internal_error(gqlws_session *s);
/* Answers a connection_init message whose payload is an object or NULL:
 * keeps its compact text and runs the hook. Returns false, and does nothing,
 * when that text is over max-init-payload-bytes: the caller answers as its
 * subprotocol does. */
bool session_begin_init(gqlws_session *s, const cJSON *payload);
/* A raw cJSON node holding a copy of the text of the message being
 * received, or NULL when out of memory. Caller owns it. */
cJSON *session_copy_message(const gqlws_session *s);
/* Starts op (OP_HELD or new) with the start/subscribe payload object. */
void session_start_op(gqlws_session *s, gqlws_op *op, const cJSON *payload);
/* Stops one op (op_stop if it was started) and retires it. */
void session_stop_op(gqlws_session *s, gqlws_op *op);
/* Stops every op. */
void session_stop_all(gqlws_session *s);
/* True if the value is absent, null or an object. */
bool json_is_optional_object(const cJSON *v);
/* True if the value is absent, null or a string. */
bool json_is_optional_string(const cJSON *v);

/* --- op_registry.c --- */
/* A new op, indexed, charged to the session's budget (with any growth of
 * the index); NULL when out of memory, or with *over_limit set when the
 * budget has no room for it. The id must not be live. */
gqlws_op *ops_create(gqlws_session *s, const char *id, size_t id_len, bool id_is_string,
		     bool *over_limit);
/* Gives a held op the start payload to keep (taken in every case); false
 * when the budget has no room for it (the payload is freed). */
bool ops_hold_payload(gqlws_session *s, gqlws_op *op, cJSON *payload);
/* Frees a held op's payload once it started. */
void ops_drop_held_payload(gqlws_session *s, gqlws_op *op);
/* The live (held or running) op with that id, or NULL: no scan. */
gqlws_op *ops_find(gqlws_session *s, const char *id, size_t id_len, bool id_is_string);
/* Unlinks the op from the live list and the index and parks it on the done
 * list. */
void ops_retire(gqlws_session *s, gqlws_op *op);
/* Frees the done list. */
void ops_free_done(gqlws_session *s);

/* --- subprotocol wires: session_legacy.c, session_modern.c --- */

/* One subprotocol's wire format, chosen once by gqlws_session_new: how a
 * client message is read and how every frame the server sends is written.
 * The engine (session.c) calls through s->wire and knows no frame text, as
 * hiredis reaches each connection type through its own table of functions.
 * The send_* functions queue frames and return GQLWS_OK, GQLWS_ERR_CLOSED or
 * GQLWS_ERR_NOMEM; on GQLWS_ERR_NOMEM the caller decides whether to close
 * (session_send closes by itself when the queue cannot take a frame). */
struct gqlws_wire {
	gqlws_subprotocol proto;
	/* A client message that parsed as a JSON object. */
	void (*receive)(gqlws_session *s, const cJSON *msg);
	/* A client message that cannot be read: binary, not JSON, or not an
	 * object; message says why. */
	void (*invalid)(gqlws_session *s, const char *message);
	/* connection_ack, with the init hook's payload if not NULL (borrowed). */
	int (*send_ack)(gqlws_session *s, const cJSON *payload);
	/* The frame sent every keepalive_ms once acknowledged. */
	int (*send_keepalive)(gqlws_session *s);
	/* One keep-alive goes out with the ack, not an interval after it. */
	bool keepalive_with_ack;
	/* Answers an init the hook refused (hook_failed: the hook could not
	 * decide, e.g. its backend was down) and requests the close. */
	void (*refuse_init)(gqlws_session *s, const char *message, bool hook_failed);
	/* The close code for our own failure, e.g. out of memory. */
	uint16_t internal_error_code;
	/* The operation API's frames. A refusal may be more than one frame
	 * (graphql-ws: data with errors, then complete). */
	int (*send_result)(gqlws_session *s, const gqlws_op *op, const char *json, size_t len);
	int (*send_complete)(gqlws_session *s, const gqlws_op *op);
	int (*send_failure)(gqlws_session *s, const gqlws_op *op, const char *message);
	int (*send_refusal)(gqlws_session *s, const gqlws_op *op, const cJSON *errors);
	/* errors is a non-empty array; its first error is the syntax error. */
	int (*send_syntax_refusal)(gqlws_session *s, const gqlws_op *op, const cJSON *errors);
};

extern const struct gqlws_wire legacy_wire; /* graphql-ws */
extern const struct gqlws_wire modern_wire; /* graphql-transport-ws */

/* An id as a frame echoes it: JSON text as it is (an op's id_json), or a
 * client's id text, quoted when it came as a string. */
struct echo_id {
	const char *text;
	size_t len;
	bool quote;
};

static inline struct echo_id op_echo_id(const gqlws_op *op)
{
	return (struct echo_id){op->id_json, op->id_json_len, false};
}

static inline void jt_append_echo_id(struct json_text *t, const struct echo_id *id)
{
	if (id->quote)
		jt_append_quoted(t, id->text, id->len);
	else
		jt_append(t, id->text, id->len);
}

#endif
