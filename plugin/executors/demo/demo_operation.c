/*
 * demo_operation.c - an operation's start and stop: parse, validate and
 * plan the request against the schema (gqlws_schema_request), answer
 * queries at once, hand subscriptions to their stream, and keep the
 * operation counters exact on every way out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"

/* --------------------------------------------------------- ending an op */

/* Every way an operation stops running goes through these, so that
 * stats.running stays exact. The core ends an operation exactly when
 * complete / fail / refuse returns GQLWS_OK; any other answer means the
 * session is closing, and op_stop follows to do the accounting (and the
 * freeing of the op's state, if it has one). */

/* Completes op, or fails it with fail_message. True when the op ended. */
bool demo_end_op(demo_vhost *vh, gqlws_op *op, const char *fail_message)
{
	int rc = fail_message ? gqlws_op_fail(op, fail_message) : gqlws_op_complete(op);

	if (rc != GQLWS_OK)
		return false;
	vh->stats.running--;
	return true;
}

/* op_start cannot go on (out of memory). Failing the op here rather than
 * returning nonzero keeps the accounting in one place. Returns op_start's
 * result. */
static int start_failed(demo_vhost *vh, gqlws_op *op)
{
	demo_end_op(vh, op, "Internal error");
	return 0;
}

/* Refuses op with errors (taken; NULL means out of memory). A document that
 * does not parse is refused as a syntax error: the core answers graphql-ws
 * clients with an error message then, as Apollo's server does. Returns
 * op_start's result. */
static int refuse_as(demo_vhost *vh, gqlws_op *op, cJSON *errors, bool syntax)
{
	if (!errors)
		return start_failed(vh, op);
	int rc = syntax ? gqlws_op_refuse_syntax(op, errors) : gqlws_op_refuse(op, errors);
	cJSON_Delete(errors);
	if (rc == GQLWS_OK)
		vh->stats.running--;
	else if (rc == GQLWS_ERR_STATE || rc == GQLWS_ERR_INVALID)
		demo_end_op(vh, op, "Internal error"); /* a bug of ours; still end it */
	return 0;
}

static int refuse(demo_vhost *vh, gqlws_op *op, cJSON *errors)
{
	return refuse_as(vh, op, errors, false);
}

/* ------------------------------------------------------------ op_start */

/* Answers a query in one result, every root field at once, and completes
 * it. A request graphql-js answers without running a field (a mutation:
 * the schema has no mutation type; a root @skip/@include whose `if` is
 * null) gets that result, {"errors":[...],"data":null}, the same way. */
static int answer_query(demo_vhost *vh, gqlws_op *op, const gqlws_schema_request *req)
{
	bool answered = gqlws_schema_request_answered(req);
	cJSON *root = answered ? NULL
			       : demo_root_value(vh, gqlws_schema_request_plan(req), gqlws_schema_request_op_type(req));

	if (!root && !answered)
		return start_failed(vh, op);
	int rc = gqlws_schema_request_next(req, op, root, NULL);
	cJSON_Delete(root);
	if (rc == GQLWS_OK)
		demo_end_op(vh, op, NULL);
	else if (rc == GQLWS_ERR_NOMEM)
		start_failed(vh, op);
	/* else the session is closing: op_stop follows (this op has no state) */
	return 0;
}

/* The demo's own rule, beyond the schema's types: the counter's Int
 * arguments are counts and durations. True when one is negative, with
 * *errors saying so (NULL when out of memory). */
static bool counter_arg_negative(const gqlws_doc_field *field, cJSON **errors)
{
	static const char *const names[] = {"limit", "intervalMs"};

	*errors = NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const cJSON *value = gqlws_doc_field_arg(field, names[i]);
		char message[96];

		if (!cJSON_IsNumber(value) || value->valuedouble >= 0)
			continue;
		snprintf(message, sizeof(message), "Argument \"%s\" of field \"%s\" must not be negative.",
			 names[i], gqlws_doc_field_name(field));
		cJSON *error = gqlws_doc_field_error(field, message);
		*errors = error ? cJSON_CreateArray() : NULL;
		if (*errors)
			cJSON_AddItemToArray(*errors, error);
		else
			cJSON_Delete(error);
		return true;
	}
	return false;
}

/* Starts a valid subscription; req is taken (its bytes are charged). */
static int start_stream(demo_vhost *vh, gqlws_op *op, gqlws_schema_request *req)
{
	const gqlws_doc_field *field = gqlws_doc_plan_field(gqlws_schema_request_plan(req), 0);
	const demo_field *def = demo_find_field(vh, GQLWS_DOC_SUBSCRIPTION, gqlws_doc_field_name(field));

	if (!def) { /* a field of the SDL with no resolver: a bug of ours */
		lwsl_err("gqlws demo executor: no resolver for Subscription.%s\n", gqlws_doc_field_name(field));
		gqlws_schema_request_free(req);
		return start_failed(vh, op);
	}
	if (def->kind == DEMO_FIELD_ONE_SHOT) {
		cJSON *root = cJSON_CreateObject();
		cJSON *value = root ? def->resolve(vh) : NULL;
		int rc = GQLWS_ERR_NOMEM;
		if (value) {
			cJSON_AddItemToObject(root, gqlws_doc_field_name(field), value);
			rc = gqlws_schema_request_next(req, op, root, NULL);
		}
		cJSON_Delete(root);
		gqlws_schema_request_free(req);
		if (rc == GQLWS_ERR_NOMEM)
			return start_failed(vh, op);
		if (rc == GQLWS_OK)
			demo_end_op(vh, op, def->fail_message);
		return 0;
	}
	if (def->kind == DEMO_FIELD_COUNTER) {
		cJSON *errors;
		if (counter_arg_negative(field, &errors)) {
			gqlws_schema_request_free(req);
			return refuse(vh, op, errors);
		}
	}

	if (!vh->context) {
		lwsl_err("gqlws demo executor: no lws context in the vhost config\n");
		gqlws_schema_request_free(req);
		return start_failed(vh, op);
	}
	demo_op *d = demo_op_new(vh, op, def, req, field);
	if (!d) {
		gqlws_schema_request_free(req);
		return start_failed(vh, op);
	}
	d->doc_charged = gqlws_schema_request_bytes(req);
	if (gqlws_op_charge(op, gqlws_alloc_bytes(sizeof(*d))) != GQLWS_OK) {
		demo_op_free(d);
		demo_end_op(vh, op, GQLWS_MEMORY_LIMIT_MESSAGE);
		return 0;
	}
	if (def->kind == DEMO_FIELD_COUNTER)
		return demo_counter_start(d);
	if (demo_ticks_join(d)) {
		demo_op_free(d);
		return start_failed(vh, op);
	}
	gqlws_op_set_user(op, d);
	return 0;
}

int demo_exec_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
		       const gqlws_request *req)
{
	demo_vhost *vh = exec;
	cJSON *errors = NULL;
	gqlws_doc_status status;

	(void)conn;
	(void)s;
	vh->stats.started++;
	vh->stats.running++;

	/* Parsed, validated against the SDL and planned in one call; what it
	 * refuses is worded as graphql-js words it. */
	gqlws_schema_request *r =
		gqlws_schema_request_new(vh->schema, req, &vh->doc_limits,
					 vh->settings.introspection ? 0 : GQLWS_SCHEMA_NO_INTROSPECTION,
					 &errors, &status);
	if (!r)
		return status == GQLWS_DOC_NOMEM ? start_failed(vh, op)
						 : refuse_as(vh, op, errors, status == GQLWS_DOC_SYNTAX);
	/* The document and plan live as long as the operation: they count
	 * towards the connection's max-connection-bytes. */
	if (gqlws_op_charge(op, gqlws_schema_request_bytes(r)) != GQLWS_OK) {
		gqlws_schema_request_free(r);
		demo_end_op(vh, op, GQLWS_MEMORY_LIMIT_MESSAGE);
		return 0;
	}
	if (gqlws_schema_request_op_type(r) != GQLWS_DOC_SUBSCRIPTION || gqlws_schema_request_answered(r)) {
		int rc = answer_query(vh, op, r);
		gqlws_schema_request_free(r);
		return rc;
	}
	return start_stream(vh, op, r);
}

void demo_exec_op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op)
{
	demo_vhost *vh = exec;
	demo_op *d = gqlws_op_user(op);

	(void)conn;
	(void)s;
	vh->stats.stopped++;
	vh->stats.running--;
	if (d)
		demo_op_free(d);
}

void demo_exec_op_drained(void *exec, void *conn, gqlws_session *s, gqlws_op *op)
{
	demo_op *d = gqlws_op_user(op);

	(void)exec;
	(void)conn;
	(void)s;
	if (d && !d->dead && d->def->kind == DEMO_FIELD_COUNTER && d->interval_ms == 0)
		demo_counter_produce(d);
}

