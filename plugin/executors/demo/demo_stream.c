/*
 * demo_stream.c - what the counter and ticks streams share: their state's
 * life (demo_op), the result text of one event, and the clock that paces
 * them.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo_internal.h"

/* ------------------------------------------------------------------ time */

int64_t demo_monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Wall-clock milliseconds since the epoch with microsecond resolution:
 * clients subtract it from their own clock to measure latency. */
double demo_epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000) / 1000.0;
}

/* Re-arms sul for *due_us advanced by period_us, measured from the previous
 * due time so periods do not drift; a timer that fell far behind restarts
 * from now instead of firing a burst. */
void demo_schedule_next(struct lws_context *context, lws_sorted_usec_list_t *sul, sul_cb_t cb,
			int64_t *due_us, int64_t period_us)
{
	int64_t now = demo_monotonic_us();

	*due_us += period_us;
	if (*due_us < now - period_us)
		*due_us = now + period_us;
	int64_t delay = *due_us - now;
	lws_sul_schedule(context, 0, sul, cb, delay > 0 ? delay : 1);
}

/* out = the result of one event. The fast path writes the field's value
 * straight after the head; a value that does not fit the schema's types
 * (never the demo's own) is answered as graphql-js answers it, errors
 * first, through the whole-result path. Response keys are GraphQL names,
 * so they need no escaping. */
int demo_stream_result_text(const gqlws_schema *schema, const gqlws_schema_request *req,
			    const gqlws_doc_field *field, const cJSON *value, gqlws_doc_buf *out)
{
	static const char head[] = "{\"data\":{\"";
	static const char tail[] = "}}";
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(req);
	const char *key = gqlws_doc_field_key(field);
	cJSON *errors = NULL;
	int rc;

	out->len = 0;
	if (gqlws_doc_buf_append(out, head, sizeof(head) - 1) ||
	    gqlws_doc_buf_append(out, key, strlen(key)) || gqlws_doc_buf_append(out, "\":", 2))
		return -1;
	rc = gqlws_schema_project_text(schema, plan, field, value, out, &errors);
	if (rc == GQLWS_SCHEMA_PROJECT_OK && !errors)
		return gqlws_doc_buf_append(out, tail, sizeof(tail) - 1) ? -1 : 0;
	cJSON_Delete(errors);
	if (rc < 0)
		return -1;
	/* The event is the root value of its execution. */
	cJSON *root = cJSON_CreateObject();
	if (!root || !cJSON_AddItemReferenceToObject(root, gqlws_doc_field_name(field), (cJSON *)value)) {
		cJSON_Delete(root);
		return -1;
	}
	out->len = 0;
	rc = gqlws_schema_result_text(schema, plan, root, out);
	cJSON_Delete(root);
	return rc;
}

/* {"seq":seq,"at":at} or {"value":value,"at":at}. */
cJSON *demo_event_new(const char *counter_name, double counter, double at)
{
	cJSON *event = cJSON_CreateObject();

	if (!event || !cJSON_AddNumberToObject(event, counter_name, counter) ||
	    !cJSON_AddNumberToObject(event, "at", at)) {
		cJSON_Delete(event);
		return NULL;
	}
	return event;
}

demo_op *demo_op_new(demo_vhost *vh, gqlws_op *op, const demo_field *def, gqlws_schema_request *req,
		     const gqlws_doc_field *field)
{
	demo_op *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->vh = vh;
	d->op = op;
	d->def = def;
	d->req = req;
	d->field = field;
	return d;
}

void demo_op_free(demo_op *d)
{
	lws_sul_cancel(&d->sul);
	if (d->group)
		demo_ticks_leave(d);
	gqlws_doc_buf_free(&d->text);
	gqlws_schema_request_free(d->req);
	free(d);
}

/* The stream is over: complete it and free its state, or, while the
 * session closes, leave both to op_stop. */
void demo_stream_finish(demo_op *d, const char *fail_message)
{
	if (demo_end_op(d->vh, d->op, fail_message))
		demo_op_free(d);
	else
		d->dead = true;
}

