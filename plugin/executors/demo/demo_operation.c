/*
 * demo_operation.c - an operation's start and stop: parse and validate the
 * document with gqlws_doc, answer queries at once, hand subscriptions to
 * their stream, and keep the operation counters exact on every way out.
 */
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

/* Answers a query (or mutation: the schema has no mutation fields) in one
 * result, every root field at once, and completes it. */
static int answer_query(demo_vhost *vh, gqlws_op *op, const gqlws_doc_plan *plan,
			gqlws_doc_op_type type)
{
	const char *root_name = demo_root_type_name(type);
	cJSON *errors = cJSON_CreateArray();
	cJSON *result = cJSON_CreateObject();
	cJSON *data = cJSON_AddObjectToObject(result, "data");
	bool oom = !errors || !data;

	for (size_t i = 0; !oom && i < gqlws_doc_plan_field_count(plan); i++) {
		const gqlws_doc_field *field = gqlws_doc_plan_field(plan, i);
		const char *name = gqlws_doc_field_name(field);
		cJSON *value;

		if (!strcmp(name, "__typename")) {
			value = cJSON_CreateString(root_name);
		} else {
			const demo_field *def = demo_find_field(vh, type, name);
			if (!demo_check_field(def, plan, field, root_name, errors, &oom) || cJSON_GetArraySize(errors))
				continue; /* errors are reported together, without data */
			value = demo_resolve_field(vh, def, plan, field);
		}
		if (!value)
			oom = true;
		else
			cJSON_AddItemToObject(data, gqlws_doc_field_key(field), value);
	}

	if (oom) {
		cJSON_Delete(result);
		cJSON_Delete(errors);
		return start_failed(vh, op);
	}
	if (cJSON_GetArraySize(errors)) {
		cJSON_Delete(result);
		return refuse(vh, op, errors);
	}
	cJSON_Delete(errors);
	int rc = gqlws_op_next(op, result);
	cJSON_Delete(result);
	if (rc == GQLWS_OK)
		demo_end_op(vh, op, NULL);
	/* else the session is closing: op_stop follows (this op has no state) */
	return 0;
}

/* Starts a validated subscription; doc and plan are taken (doc_charged
 * bytes of the op's charge are theirs). */
static int start_stream(demo_vhost *vh, gqlws_op *op, const demo_field *def, gqlws_doc *doc,
			gqlws_doc_plan *plan, size_t doc_charged)
{
	const gqlws_doc_field *field = gqlws_doc_plan_field(plan, 0);

	if (def->kind == DEMO_FIELD_ONE_SHOT) {
		cJSON *value = demo_resolve_field(vh, def, plan, field);
		cJSON *result = cJSON_CreateObject();
		cJSON *data = cJSON_AddObjectToObject(result, "data");
		bool ok = value && data;
		if (ok)
			cJSON_AddItemToObject(data, gqlws_doc_field_key(field), value);
		else
			cJSON_Delete(value);
		gqlws_doc_plan_free(plan);
		gqlws_doc_free(doc);
		if (!ok) {
			cJSON_Delete(result);
			return start_failed(vh, op);
		}
		int rc = gqlws_op_next(op, result);
		cJSON_Delete(result);
		if (rc == GQLWS_OK)
			demo_end_op(vh, op, def->fail_message);
		return 0;
	}

	if (!vh->context) {
		lwsl_err("gqlws demo executor: no lws context in the vhost config\n");
		gqlws_doc_plan_free(plan);
		gqlws_doc_free(doc);
		return start_failed(vh, op);
	}
	demo_op *d = demo_op_new(vh, op, def, doc, plan, field);
	if (!d) {
		gqlws_doc_plan_free(plan);
		gqlws_doc_free(doc);
		return start_failed(vh, op);
	}
	d->doc_charged = doc_charged;
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

	(void)conn;
	(void)s;
	vh->stats.started++;
	vh->stats.running++;

	gqlws_doc_status parsed;
	gqlws_doc *doc = gqlws_doc_parse_ex(req->query, req->query_len, &vh->doc_limits, &errors,
					    &parsed);
	if (!doc)
		return refuse_as(vh, op, errors, parsed == GQLWS_DOC_SYNTAX);
	const gqlws_doc_operation *operation =
		gqlws_doc_select_operation(doc, req->operation_name, &errors);
	if (!operation) {
		gqlws_doc_free(doc);
		return refuse(vh, op, errors);
	}
	gqlws_doc_op_type type = gqlws_doc_operation_type(operation);
	gqlws_doc_plan *plan =
		gqlws_doc_plan_new(doc, operation, demo_root_type_name(type), req->variables, &errors);
	if (!plan) {
		gqlws_doc_free(doc);
		return refuse(vh, op, errors);
	}
	/* The document and plan live as long as the operation: they count
	 * towards the connection's max-connection-bytes. */
	size_t doc_charged = gqlws_doc_bytes(doc) + gqlws_doc_plan_bytes(plan);
	if (gqlws_op_charge(op, doc_charged) != GQLWS_OK) {
		gqlws_doc_plan_free(plan);
		gqlws_doc_free(doc);
		demo_end_op(vh, op, GQLWS_MEMORY_LIMIT_MESSAGE);
		return 0;
	}

	if (type != GQLWS_DOC_SUBSCRIPTION) {
		int rc = answer_query(vh, op, plan, type);
		gqlws_doc_plan_free(plan);
		gqlws_doc_free(doc);
		return rc;
	}

	const demo_field *def;
	bool oom = false;
	errors = demo_check_subscription(vh, operation, plan, &def, &oom);
	if (!def) {
		gqlws_doc_plan_free(plan);
		gqlws_doc_free(doc);
		return oom ? start_failed(vh, op) : refuse(vh, op, errors);
	}
	return start_stream(vh, op, def, doc, plan, doc_charged);
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

