/*
 * demo_internal.h - the demo executor's pieces (README "Demo schema") and
 * what they share: per-vhost state (the schema built from SDL),
 * per-operation stream state, and a small table saying how each root field
 * is run, so that an executor built on the demo (the tests' executor) adds
 * fields, as SDL and a table, without copying any of this. Not installed:
 * only the executor table lws_gqlws_demo_executor is public.
 */
#ifndef GQLWS_DEMO_INTERNAL_H
#define GQLWS_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include <gqlws.h>
#include <gqlws_doc.h>
#include <gqlws_schema.h>

#include "lws_gqlws.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DEMO_DEFAULT_INTERVAL_MS 1000
#define DEMO_DEFAULT_TICK_MS 1000

/* ------------------------------------------------------ schema (demo_schema.c) */

typedef struct demo_vhost demo_vhost;

/* How a root field produces its results. */
typedef enum demo_field_kind {
	DEMO_FIELD_VALUE = 1,    /* a query field: resolved once */
	DEMO_FIELD_ONE_SHOT = 2, /* a subscription: one event, then complete or fail */
	DEMO_FIELD_COUNTER = 3,  /* the per-operation counter stream */
	DEMO_FIELD_TICKS = 4,    /* the vhost-wide ticker */
} demo_field_kind;

/* How a root field of the schema (declared in its SDL) is run. Types,
 * arguments and selections are the schema's business: a request reaches
 * a field only once the document is valid against the SDL. */
typedef struct demo_field {
	const char *name;
	gqlws_doc_op_type root;  /* GQLWS_DOC_QUERY or GQLWS_DOC_SUBSCRIPTION */
	demo_field_kind kind;
	/* VALUE and ONE_SHOT: the field's value (a new item, or NULL when out of
	 * memory), completed through the selection by the schema's types. */
	cJSON *(*resolve)(demo_vhost *vh);
	/* ONE_SHOT: fail with this message after the event; NULL completes. */
	const char *fail_message;
} demo_field;

/* The demo schema's SDL (hello, counter, ticks). */
extern const char demo_schema_sdl[];

/* Builds the schema of a vhost: the demo's SDL followed by extra_sdl (more
 * types and `extend type` of the root types; NULL for none). NULL when it
 * does not build (logged with its errors) or out of memory. */
gqlws_schema *demo_schema_build(const char *extra_sdl);

/* The field named name on root, among the base fields and vh's extra
 * fields; NULL when there is none. */
const demo_field *demo_find_field(const demo_vhost *vh, gqlws_doc_op_type root, const char *name);

/* An Int argument of a root field (validated by the schema), or fallback
 * when absent or null. */
int64_t demo_int_arg(const gqlws_doc_field *field, const char *name, int64_t fallback);

/* The root value of a query or mutation: each root field of plan with a
 * resolver, resolved once, under its name. NULL when out of memory. */
cJSON *demo_root_value(demo_vhost *vh, const gqlws_doc_plan *plan, gqlws_doc_op_type type);

/* ------------------------------------------------------ options (demo_options.c) */

/* The demo's own per-vhost options, parsed from the options the plugin
 * handed over (lws_gqlws_config.executor_options). */
typedef struct demo_settings {
	uint32_t tick_ms;   /* "tick-ms": period of the vhost-wide ticker */
	bool introspection; /* "introspection": __schema and __type answered (default) */
} demo_settings;

/* The executor table's option_check: "tick-ms" and "introspection" are the
 * demo's. */
int demo_option_check(const char *name, const char *value, char *why, size_t why_size);

/* Defaults, then every option of cfg (already checked by demo_option_check). */
void demo_settings_from_config(demo_settings *settings, const lws_gqlws_config *cfg);

/* ----------------------------------------------------- streams (demo_stream.c) */

struct tick_group;

/* State of one running stream. Owned by its operation (the op's user
 * pointer) from op_start until op_stop, or until the executor ends the
 * operation itself; freed by demo_op_free in both cases. */
typedef struct demo_op {
	demo_vhost *vh;
	gqlws_op *op;
	const demo_field *def;
	gqlws_schema_request *req;     /* document and plan; ticks: handed to the group */
	const gqlws_doc_field *field;  /* the root field, borrowed from req's plan */
	/* The session is closing: produce nothing more and wait for op_stop,
	 * which the core promises for every operation that did not end. */
	bool dead;

	/* counter */
	lws_sorted_usec_list_t sul;
	int64_t next_value;
	int64_t limit;        /* -1: forever */
	uint32_t interval_ms; /* 0: paced by op_drained */
	int64_t due_us;       /* monotonic time the next value is due */
	gqlws_doc_buf text;   /* result text, reused for every value */
	size_t text_charged;  /* of text.cap, charged to the connection */
	size_t doc_charged;   /* doc and plan, charged at op_start */

	/* ticks */
	struct tick_group *group;
	struct demo_op *group_prev, *group_next;
} demo_op;

/* Takes req (field is its plan's root field). NULL when out of memory. */
demo_op *demo_op_new(demo_vhost *vh, gqlws_op *op, const demo_field *def, gqlws_schema_request *req,
		     const gqlws_doc_field *field);
void demo_op_free(demo_op *d);

/* The stream is over: complete it (or fail it with fail_message) and free
 * its state, or, while the session closes, leave both to op_stop. */
void demo_stream_finish(demo_op *d, const char *fail_message);

/* out = the result of one event of a subscription: {"data":{"<key>":<value
 * completed through the field by the schema's types>}}, with errors when
 * the value did not fit them. value is the field's (the event's member). */
int demo_stream_result_text(const gqlws_schema *schema, const gqlws_schema_request *req,
			    const gqlws_doc_field *field, const cJSON *value, gqlws_doc_buf *out);

/* {"<counter_name>":counter,"at":at}; NULL when out of memory. */
cJSON *demo_event_new(const char *counter_name, double counter, double at);

int64_t demo_monotonic_us(void);
/* Wall-clock milliseconds since the epoch with microsecond resolution:
 * clients subtract it from their own clock to measure latency. */
double demo_epoch_ms(void);

/* Re-arms sul for *due_us advanced by period_us, measured from the previous
 * due time so periods do not drift; a timer that fell far behind restarts
 * from now instead of firing a burst. */
void demo_schedule_next(struct lws_context *context, lws_sorted_usec_list_t *sul, sul_cb_t cb,
			int64_t *due_us, int64_t period_us);

/* ---------------------------------------------------- counter (demo_counter.c) */

/* Takes d over (it is the op's state from now on). Returns op_start's result. */
int demo_counter_start(demo_op *d);
/* op_drained of a counter paced by its reader: the next value. May free d. */
void demo_counter_produce(demo_op *d);

/* ------------------------------------------------------- ticks (demo_ticks.c) */

/* Ticks subscribers whose selections serialise a tick identically, so a
 * tick is serialised once per group rather than once per subscriber. */
typedef struct tick_group {
	struct tick_group *next;
	/* The selection's projection key (gqlws_schema_request_signature):
	 * equal keys complete every tick to the same text. */
	char *signature;
	size_t signature_len;
	/* The first member's request (document and plan), moved here: every
	 * member projects the same way, so the others free theirs on joining
	 * (with thousands of subscribers, that is most of their memory). */
	gqlws_schema_request *req;
	const gqlws_doc_field *field;
	demo_op *members;
	size_t member_count;
} tick_group;

/* Adds d to the group of its selection (made if new) and starts the ticker
 * for its first subscriber. Returns -1 when out of memory. */
int demo_ticks_join(demo_op *d);
/* Takes d out of its group; stops the ticker with its last subscriber. */
void demo_ticks_leave(demo_op *d);

/* ----------------------------------------- operations (demo_operation.c) */

/* Operation counters of a vhost, for tests (`opStats` of the test schema). */
typedef struct demo_op_stats {
	uint64_t started; /* op_start calls */
	uint64_t stopped; /* op_stop calls */
	uint64_t running; /* started, and neither stopped nor ended by the executor */
} demo_op_stats;

/* Completes op, or fails it with fail_message. True when the op ended
 * (then it is no longer counted as running). */
bool demo_end_op(demo_vhost *vh, gqlws_op *op, const char *fail_message);

/* Executor-table entries (lws_gqlws.h signatures); exec is a demo_vhost. */
int demo_exec_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
		       const gqlws_request *req);
void demo_exec_op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op);
void demo_exec_op_drained(void *exec, void *conn, gqlws_session *s, gqlws_op *op);

/* ------------------------------------------------ the vhost (demo_executor.c) */

struct demo_vhost {
	struct lws_context *context; /* runs the timers */
	gqlws_schema *schema;        /* the demo's SDL and the extra SDL */
	const demo_field *extra;
	size_t extra_count;
	demo_op_stats stats;
	demo_settings settings;
	gqlws_doc_limits doc_limits;

	/* The ticker: armed only while it has subscribers. */
	lws_sorted_usec_list_t tick_sul;
	tick_group *groups;
	size_t tick_subscribers;
	uint64_t tick_seq;
	int64_t tick_due_us;
	gqlws_doc_buf tick_text;
};

/* Creates the state of one vhost serving the base demo schema plus the
 * types and root fields of extra_sdl (NULL: none), run as `extra` says
 * (borrowed: a static table; may be NULL with extra_count 0). Takes the
 * demo's options, the document limits and the lws context that runs the
 * timers from cfg. NULL on allocation failure or SDL that does not build. */
demo_vhost *demo_vhost_new(const lws_gqlws_config *cfg, const char *extra_sdl,
			   const demo_field *extra, size_t extra_count);

const demo_op_stats *demo_vhost_op_stats(const demo_vhost *vh);

/* The executor table's vhost_destroy. */
void demo_exec_vhost_destroy(void *exec);

#ifdef __cplusplus
}
#endif

#endif /* GQLWS_DEMO_INTERNAL_H */
