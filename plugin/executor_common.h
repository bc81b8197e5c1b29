/*
 * executor_common.h - the demo schema (README "Demo schema") as one engine
 * shared by the built-in executors: per-vhost state, the vhost-wide ticker,
 * per-operation streams, and root fields described by a small table so the
 * test executor can add its own fields without copying any of this.
 */
#ifndef GQLWS_EXECUTOR_COMMON_H
#define GQLWS_EXECUTOR_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include <gqlws.h>
#include <gqlws_doc.h>

#include "lws_gqlws.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One vhost's executor state (the `exec` pointer of the executor table). */
typedef struct demo_vhost demo_vhost;

/* How a root field produces its results. */
typedef enum demo_field_kind {
	DEMO_FIELD_VALUE = 1,    /* a query field: resolved once */
	DEMO_FIELD_ONE_SHOT = 2, /* a subscription: one event, then complete or fail */
	DEMO_FIELD_COUNTER = 3,  /* the per-operation counter stream */
	DEMO_FIELD_TICKS = 4,    /* the vhost-wide ticker */
} demo_field_kind;

/* A root field of the schema. */
typedef struct demo_field {
	const char *name;
	gqlws_doc_op_type root;  /* GQLWS_DOC_QUERY or GQLWS_DOC_SUBSCRIPTION */
	demo_field_kind kind;
	const char *type_ref;    /* its type as the schema declares it ("String!"), for errors */
	const char *object_type; /* object type name used for projection, NULL for scalars */
	/* NULL-terminated names of the field's arguments, or NULL: each a nullable
	 * Int that must not be negative (the schema's are counts and durations). */
	const char *const *int_args;
	/* VALUE and ONE_SHOT: the field's value (a new item, or NULL when out of
	 * memory); objects are projected through the field's selection. */
	cJSON *(*resolve)(demo_vhost *vh);
	/* ONE_SHOT: fail with this message after the event; NULL completes. */
	const char *fail_message;
	/* Objects: NULL-terminated names of object_type's fields; selecting
	 * any other is a `Cannot query field` error. */
	const char *const *object_fields;
} demo_field;

/* Operation counters of a vhost, for tests (`opStats` of the test schema). */
typedef struct demo_op_stats {
	uint64_t started; /* op_start calls */
	uint64_t stopped; /* op_stop calls */
	uint64_t running; /* started, and neither stopped nor ended by the executor */
} demo_op_stats;

/* Creates the state of one vhost serving the base demo schema plus `extra`
 * root fields (borrowed: a static table; may be NULL with extra_count 0).
 * Takes the ticker period and the lws context that runs the timers from
 * cfg. NULL on allocation failure. */
demo_vhost *demo_vhost_new(const lws_gqlws_config *cfg, const demo_field *extra,
			   size_t extra_count);

const demo_op_stats *demo_vhost_op_stats(const demo_vhost *vh);

/* Executor-table entries (lws_gqlws.h signatures); exec is a demo_vhost. */
void demo_exec_vhost_destroy(void *exec);
int demo_exec_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
		       const gqlws_request *req);
void demo_exec_op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op);
void demo_exec_op_drained(void *exec, void *conn, gqlws_session *s, gqlws_op *op);

#ifdef __cplusplus
}
#endif

#endif /* GQLWS_EXECUTOR_COMMON_H */
