/*
 * hub_op.c - what an operation on a hub's schema does: a query answers its
 * retained topics, a mutation publishes its events and answers them, a
 * subscription names its topic and listens to it (hub_topics_listen).
 * Everything before that (parsing, validation, refusals, the charge of the
 * request) is gqlws_schema_request_start's.
 */
#include <stdlib.h>
#include <string.h>

#include "hub_internal.h"
#include "project_internal.h"

#define INTERNAL_ERROR "Internal error"

/* After the operation's one result was offered (next_rc what
 * gqlws_op_next_raw answered): complete it, or fail it when the result
 * could not be made. On GQLWS_ERR_CLOSED the session is closing and its
 * op_stop follows; the hub keeps nothing for a query or mutation. */
static void finish(gqlws_op *op, int next_rc)
{
	if (next_rc == GQLWS_OK)
		gqlws_op_complete(op);
	else if (next_rc != GQLWS_ERR_CLOSED)
		gqlws_op_fail(op, INTERNAL_ERROR);
}

/* One value (or raised error) per root field, in response order. */
typedef struct field_answers {
	size_t count;
	const cJSON **values;  /* borrowed or from owned[] */
	char **messages;       /* owned; NULL: no error */
	cJSON **owned;         /* events made here */
} field_answers;

static bool answers_init(field_answers *a, size_t count)
{
	size_t n = count ? count : 1;
	a->count = count;
	a->values = calloc(n, sizeof *a->values);
	a->messages = calloc(n, sizeof *a->messages);
	a->owned = calloc(n, sizeof *a->owned);
	return a->values && a->messages && a->owned;
}

static void answers_release(field_answers *a)
{
	for (size_t i = 0; a->messages && i < a->count; i++)
		free(a->messages[i]);
	for (size_t i = 0; a->owned && i < a->count; i++)
		cJSON_Delete(a->owned[i]);
	free(a->values);
	free(a->messages);
	free(a->owned);
}

/* Field i raised prefix + text. False when out of memory. */
static bool answers_raise(field_answers *a, size_t i, const char *prefix, const char *text)
{
	size_t p = strlen(prefix), t = strlen(text);
	char *m = malloc(p + t + 1);
	if (!m)
		return false;
	memcpy(m, prefix, p);
	memcpy(m + p, text, t + 1);
	a->messages[i] = m;
	return true;
}

/* Sends the result of the answers and ends the operation. */
static void send_answers(gqlws_hub *hub, gqlws_op *op, const gqlws_schema_request *r,
			 const field_answers *a)
{
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	int rc = gqlws_schema_result_fields_text(hub->schema, gqlws_schema_request_plan(r), a->values,
						 (const char *const *)a->messages, &text)
			 ? GQLWS_ERR_NOMEM
			 : gqlws_op_next_raw(op, text.data, text.len);
	gqlws_doc_buf_free(&text);
	finish(op, rc);
}

/* The topic of binding b for root field i into topic (reset first). 0, 1
 * with field i's error raised, -1 when out of memory. */
static int expand_for(const hub_binding *b, const gqlws_schema_request *r, size_t i,
		      gqlws_doc_buf *topic, field_answers *a)
{
	char why[HUB_TEMPLATE_WHY_BYTES];
	topic->len = 0;
	int rc = hub_template_expand(&b->topic, r, i, topic, why);
	if (rc > 0 && !answers_raise(a, i, "", why))
		return -1;
	return rc;
}

/* ---------------------------------------------------------------- query */

/* Every root field at once, each by its own arguments: @retained fields
 * the last event of their topic, introspection and __typename by the
 * schema, any other field null. */
static void answer_query(gqlws_hub *hub, gqlws_op *op, const gqlws_schema_request *r)
{
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	size_t count = gqlws_doc_plan_field_count(plan);
	gqlws_doc_buf topic = GQLWS_DOC_BUF_INIT;
	field_answers a = {0};
	bool nomem = !answers_init(&a, count);

	for (size_t i = 0; i < count && !nomem; i++) {
		const char *name = gqlws_doc_field_name(gqlws_doc_plan_field(plan, i));
		const hub_binding *b = hub_binding_find(hub, HUB_BINDING_RETAINED, name);
		if (!b)
			continue;
		int rc = expand_for(b, r, i, &topic, &a);
		if (rc < 0)
			nomem = true;
		else if (rc == 0)
			a.values[i] = hub_topics_retained(hub->topics, topic.data, topic.len);
	}
	if (nomem)
		gqlws_op_fail(op, INTERNAL_ERROR);
	else
		send_answers(hub, op, r, &a);
	gqlws_doc_buf_free(&topic);
	answers_release(&a);
}

/* ------------------------------------------------------------- mutation */

/* The event of @publish field i: with payload, that argument's value (null
 * when absent); else an object of the field's arguments in definition
 * order, as graphql-js's getArgumentValues hands them to a resolver
 * (coerced; absent ones without a default left out). */
static cJSON *make_event(const hub_binding *b, const gqlws_schema_request *r, size_t i)
{
	if (b->payload) {
		const cJSON *v = gqlws_schema_request_arg(r, i, b->payload);
		return v ? cJSON_Duplicate(v, true) : cJSON_CreateNull();
	}
	cJSON *event = cJSON_CreateObject();
	for (size_t k = 0; event && k < b->def->arg_count; k++) {
		const char *name = b->def->args[k].name;
		const cJSON *v = gqlws_schema_request_arg(r, i, name);
		if (!v)
			continue;
		cJSON *copy = cJSON_Duplicate(v, true);
		if (!copy || !cJSON_AddItemToObject(event, name, copy)) {
			cJSON_Delete(copy);
			cJSON_Delete(event);
			return NULL;
		}
	}
	return event;
}

/* Publishes event to topic: handed to the publish hook, or delivered to
 * this node's subscribers now (so they have it before the mutation's
 * answer). Returns 0, 1 with field i's error raised, -1 out of memory. */
static int publish(gqlws_hub *hub, const gqlws_doc_buf *topic, const cJSON *event, size_t i,
		   field_answers *a)
{
	char *json = cJSON_PrintUnformatted(event);
	int rc = 0;

	if (!json)
		return -1;
	size_t len = strlen(json);
	if (len > hub->opts.max_event_bytes) {
		hub->refused++;
		rc = answers_raise(a, i, "Publish failed: ", "Event is larger than max-message-bytes.") ? 1 : -1;
	} else if (hub->opts.publish) {
		const char *why = NULL;
		if (hub->opts.publish(hub->opts.hook_arg, topic->data, json, len, &why) != 0) {
			hub->refused++;
			rc = answers_raise(a, i, why ? "Publish failed: " : "Publish failed.", why ? why : "") ? 1 : -1;
		} else {
			hub->published++;
		}
	} else {
		/* Out of memory for some group still leaves the event published
		 * to the others (and counted, as gqlws_hub_publish counts it):
		 * the mutation answers it all the same. */
		hub_topics_deliver(hub->topics, hub->schema, topic->data, topic->len, event, json, len, NULL);
		hub->published++;
	}
	cJSON_free(json);
	return rc;
}

/* graphql-js runs a mutation's root fields one after the other and stops
 * at the first whose null reaches "data": field i's answer does that when
 * it raised on a non-null field, or its value completes to null there. */
static int stops_mutation(gqlws_hub *hub, const gqlws_schema_request *r, size_t i,
			  const field_answers *a)
{
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	const gqlws_doc_field *f = gqlws_doc_plan_field(plan, i);
	gqlws_doc_buf scratch = GQLWS_DOC_BUF_INIT;
	cJSON *errors = NULL;
	int rc;

	if (a->messages[i]) {
		const schema_type *root = hub->schema->mutation;
		const schema_field *def = root ? schema_field_find(root, gqlws_doc_field_name(f)) : NULL;
		return def && def->type->kind == SCHEMA_REF_NON_NULL;
	}
	rc = gqlws_schema_project_text(hub->schema, plan, f, a->values[i], &scratch, &errors);
	gqlws_doc_buf_free(&scratch);
	cJSON_Delete(errors);
	return rc < 0 ? -1 : rc == GQLWS_SCHEMA_PROJECT_DATA_NULL;
}

static void answer_mutation(gqlws_hub *hub, gqlws_op *op, const gqlws_schema_request *r)
{
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	size_t count = gqlws_doc_plan_field_count(plan);
	gqlws_doc_buf topic = GQLWS_DOC_BUF_INIT;
	field_answers a = {0};
	bool nomem = !answers_init(&a, count);

	for (size_t i = 0; i < count && !nomem; i++) {
		const char *name = gqlws_doc_field_name(gqlws_doc_plan_field(plan, i));
		const hub_binding *b = hub_binding_find(hub, HUB_BINDING_PUBLISH, name);
		if (b) {
			int rc = expand_for(b, r, i, &topic, &a);
			if (rc == 0) {
				a.owned[i] = make_event(b, r, i);
				a.values[i] = a.owned[i];
				rc = a.owned[i] ? publish(hub, &topic, a.owned[i], i, &a) : -1;
			}
			if (rc < 0) {
				nomem = true;
				break;
			}
		}
		int stop = stops_mutation(hub, r, i, &a);
		if (stop < 0)
			nomem = true;
		if (stop)
			break;
	}
	if (nomem)
		gqlws_op_fail(op, INTERNAL_ERROR);
	else
		send_answers(hub, op, r, &a);
	gqlws_doc_buf_free(&topic);
	answers_release(&a);
}

/* --------------------------------------------------------- subscription */

/* A topic name the arguments cannot make: graphql-js's subscribe() answers
 * a source stream that fails with {"errors":[...]} and no data. */
static void refuse_topic(gqlws_hub *hub, gqlws_op *op, const gqlws_schema_request *r,
			 const char *why)
{
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	cJSON *errors = NULL;
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	char *printed = NULL;
	int rc = GQLWS_ERR_NOMEM;

	if (schema_project_root_error(hub->schema, plan, gqlws_doc_plan_field(plan, 0), why, &errors) == 0 &&
	    (printed = cJSON_PrintUnformatted(errors)) != NULL &&
	    gqlws_doc_buf_append(&text, "{\"errors\":", 10) == 0 &&
	    gqlws_doc_buf_append(&text, printed, strlen(printed)) == 0 &&
	    gqlws_doc_buf_append(&text, "}", 1) == 0)
		rc = gqlws_op_next_raw(op, text.data, text.len);
	cJSON_free(printed);
	cJSON_Delete(errors);
	gqlws_doc_buf_free(&text);
	finish(op, rc);
}

/* r is taken: kept by the topic half while the operation listens. */
static void start_subscription(gqlws_hub *hub, gqlws_op *op, gqlws_schema_request *r)
{
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	const char *name = gqlws_doc_field_name(gqlws_doc_plan_field(plan, 0));
	const hub_binding *b = hub_binding_find(hub, HUB_BINDING_TOPIC, name);
	gqlws_doc_buf topic = GQLWS_DOC_BUF_INIT;
	char why[HUB_TEMPLATE_WHY_BYTES];
	int rc = b ? hub_template_expand(&b->topic, r, 0, &topic, why) : -1; /* every field has one */

	if (rc > 0) {
		refuse_topic(hub, op, r, why);
		gqlws_schema_request_free(r);
	} else if (rc < 0) {
		gqlws_schema_request_free(r);
		gqlws_op_fail(op, INTERNAL_ERROR);
	} else {
		rc = hub_topics_listen(hub->topics, hub->schema, topic.data, topic.len, op, r);
		if (rc != GQLWS_OK) /* r was freed */
			gqlws_op_fail(op, rc == GQLWS_ERR_LIMIT ? GQLWS_MEMORY_LIMIT_MESSAGE : INTERNAL_ERROR);
	}
	gqlws_doc_buf_free(&topic);
}

/* ------------------------------------------------------------------ API */

int gqlws_hub_op_start(gqlws_hub *hub, gqlws_op *op, const gqlws_request *req)
{
	if (!hub || !op || !req)
		return -1;
	gqlws_schema_request *r = gqlws_schema_request_start(op, hub->schema, req, &hub->opts.doc_limits,
							     hub->opts.schema_flags);
	if (!r)
		return 0; /* refused, or failed, there */
	if (gqlws_schema_request_answered(r)) {
		finish(op, gqlws_schema_request_next(r, op, NULL, NULL));
		gqlws_schema_request_free(r);
		return 0;
	}
	switch (gqlws_schema_request_op_type(r)) {
	case GQLWS_DOC_SUBSCRIPTION:
		start_subscription(hub, op, r);
		return 0;
	case GQLWS_DOC_MUTATION:
		answer_mutation(hub, op, r);
		break;
	default:
		answer_query(hub, op, r);
		break;
	}
	gqlws_schema_request_free(r);
	return 0;
}
