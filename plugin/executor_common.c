/*
 * executor_common.c - the demo schema engine behind the demo and test
 * executors: each operation is parsed and validated with gqlws_doc, queries
 * are answered at once, counters run on their own timer (or are paced by the
 * client's reading), and one vhost-wide ticker fans out to every subscriber.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "executor_common.h"

#define DEMO_DEFAULT_INTERVAL_MS 1000
#define DEMO_DEFAULT_TICK_MS 1000
#define DEMO_INT_MIN (-2147483647.0 - 1.0)
#define DEMO_INT_MAX 2147483647.0

struct tick_group;

/* State of one running stream. Owned by its operation (the op's user
 * pointer) from op_start until op_stop, or until the executor ends the
 * operation itself; freed by demo_op_free in both cases. */
typedef struct demo_op {
	demo_vhost *vh;
	gqlws_op *op;
	const demo_field *def;
	gqlws_doc *doc;
	gqlws_doc_plan *plan;          /* borrows doc; ticks: handed to the group */
	const gqlws_doc_field *field;  /* the root field, borrowed from plan */
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

/* Ticks subscribers whose selections serialise a tick identically, so a
 * tick is serialised once per group rather than once per subscriber. */
typedef struct tick_group {
	struct tick_group *next;
	char *signature; /* the group's result text for a probe tick */
	/* The first member's document and plan, moved here: every member
	 * projects the same way, so the others free theirs on joining (with
	 * thousands of subscribers, that is most of their memory). */
	gqlws_doc *doc;
	gqlws_doc_plan *plan;
	const gqlws_doc_field *field;
	demo_op *members;
	size_t member_count;
} tick_group;

struct demo_vhost {
	struct lws_context *context; /* runs the timers */
	const demo_field *extra;
	size_t extra_count;
	demo_op_stats stats;

	gqlws_doc_limits doc_limits;

	/* The ticker: armed only while it has subscribers. */
	lws_sorted_usec_list_t tick_sul;
	uint32_t tick_ms;
	tick_group *groups;
	size_t tick_subscribers;
	uint64_t tick_seq;
	int64_t tick_due_us;
	gqlws_doc_buf tick_text;
};

/* ------------------------------------------------------------ the schema */

static cJSON *resolve_hello(demo_vhost *vh)
{
	(void)vh;
	return cJSON_CreateString("world");
}

static const char *const counter_args[] = {"limit", "intervalMs", NULL};

static const char *const counter_fields[] = {"value", "at", NULL};
static const char *const tick_fields[] = {"seq", "at", NULL};

static const demo_field base_fields[] = {
	{"hello", GQLWS_DOC_QUERY, DEMO_FIELD_VALUE, "String!", NULL, NULL, resolve_hello, NULL,
	 NULL},
	{"counter", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_COUNTER, "Counter!", "Counter", counter_args,
	 NULL, NULL, counter_fields},
	{"ticks", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_TICKS, "Tick!", "Tick", NULL, NULL, NULL,
	 tick_fields},
};

static const char *root_type_name(gqlws_doc_op_type type)
{
	switch (type) {
	case GQLWS_DOC_MUTATION:
		return "Mutation";
	case GQLWS_DOC_SUBSCRIPTION:
		return "Subscription";
	default:
		return "Query";
	}
}

static const demo_field *find_field(const demo_vhost *vh, gqlws_doc_op_type root, const char *name)
{
	for (size_t i = 0; i < sizeof(base_fields) / sizeof(base_fields[0]); i++)
		if (base_fields[i].root == root && !strcmp(base_fields[i].name, name))
			return &base_fields[i];
	for (size_t i = 0; i < vh->extra_count; i++)
		if (vh->extra[i].root == root && !strcmp(vh->extra[i].name, name))
			return &vh->extra[i];
	return NULL;
}

/* ------------------------------------------------------------------ time */

static int64_t monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Wall-clock milliseconds since the epoch with microsecond resolution:
 * clients subtract it from their own clock to measure latency. */
static double epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000) / 1000.0;
}

/* Re-arms sul for *due_us advanced by period_us, measured from the previous
 * due time so periods do not drift; a timer that fell far behind restarts
 * from now instead of firing a burst. */
static void schedule_next(struct lws_context *context, lws_sorted_usec_list_t *sul, sul_cb_t cb,
			  int64_t *due_us, int64_t period_us)
{
	int64_t now = monotonic_us();

	*due_us += period_us;
	if (*due_us < now - period_us)
		*due_us = now + period_us;
	int64_t delay = *due_us - now;
	lws_sul_schedule(context, 0, sul, cb, delay > 0 ? delay : 1);
}

/* ---------------------------------------------------------------- errors */

/* Appends a GraphQL error located at field (or nowhere, field NULL) with a
 * formatted message. Returns false when out of memory. */
static bool add_error(cJSON *errors, const gqlws_doc_field *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	char *message = malloc((size_t)n + 1);
	if (!message)
		return false;
	va_start(ap, fmt);
	vsnprintf(message, (size_t)n + 1, fmt, ap);
	va_end(ap);

	cJSON *error = field ? gqlws_doc_field_error(field, message) : gqlws_doc_error_new(message, 0, 0);
	free(message);
	if (!error)
		return false;
	cJSON_AddItemToArray(errors, error);
	return true;
}

static bool is_int_arg(const demo_field *def, const char *name)
{
	for (const char *const *arg = def->int_args; arg && *arg; arg++)
		if (!strcmp(*arg, name))
			return true;
	return false;
}

/* Checks an argument against the nullable Int type: first as the document
 * writes it (graphql-js's wording for literals and variable types), then
 * the value it resolved to. */
static bool check_int_value(cJSON *errors, const gqlws_doc_plan *plan,
			    const gqlws_doc_field *field, const cJSON *value, bool *oom)
{
	int found = gqlws_doc_field_check_arg(plan, field, value->string, "Int", errors);

	if (found) {
		if (found < 0)
			*oom = true;
		return false;
	}
	if (cJSON_IsNull(value))
		return true;
	if (cJSON_IsNumber(value) && value->valuedouble == floor(value->valuedouble) &&
	    value->valuedouble >= DEMO_INT_MIN && value->valuedouble <= DEMO_INT_MAX) {
		/* Every Int argument of the schema is a count or a duration. */
		if (value->valuedouble >= 0)
			return true;
		if (!add_error(errors, field, "Argument \"%s\" of field \"%s\" must not be negative.",
			       value->string, gqlws_doc_field_name(field)))
			*oom = true;
		return false;
	}
	/* Not reached: a literal or a variable of type Int was checked above. */
	if (!add_error(errors, field, "Argument \"%s\" of field \"%s\" is not an Int.",
		       value->string, gqlws_doc_field_name(field)))
		*oom = true;
	return false;
}

/* Validates one root field against its definition (def NULL: no such field
 * on root_name), appending GraphQL errors. Returns true when it is valid;
 * *oom is set when an error could not be recorded. */
static bool check_field(const demo_field *def, const gqlws_doc_plan *plan,
			const gqlws_doc_field *field, const char *root_name, cJSON *errors, bool *oom)
{
	const char *name = gqlws_doc_field_name(field);
	bool valid = true;

	if (!def) {
		if (!add_error(errors, field, "Cannot query field \"%s\" on type \"%s\".", name,
			       root_name))
			*oom = true;
		return false;
	}

	for (const cJSON *arg = gqlws_doc_field_args(field)->child; arg; arg = arg->next) {
		if (!is_int_arg(def, arg->string)) {
			if (!add_error(errors, field, "Unknown argument \"%s\" on field \"%s.%s\".",
				       arg->string, root_name, name))
				*oom = true;
			valid = false;
		} else if (!check_int_value(errors, plan, field, arg, oom)) {
			valid = false;
		}
	}

	bool has_selection = gqlws_doc_field_has_selection(field);
	if (def->object_type && !has_selection) {
		if (!add_error(errors, field,
			       "Field \"%s\" of type \"%s\" must have a selection of subfields. "
			       "Did you mean \"%s { ... }\"?",
			       name, def->type_ref, name))
			*oom = true;
		valid = false;
	} else if (!def->object_type && has_selection) {
		if (!add_error(errors, field,
			       "Field \"%s\" must not have a selection since type \"%s\" has no "
			       "subfields.",
			       name, def->type_ref))
			*oom = true;
		valid = false;
	} else if (def->object_type) {
		int unknown = gqlws_doc_field_check_selection(plan, field, def->object_type,
							      def->object_fields, errors);

		if (unknown < 0)
			*oom = true;
		if (unknown)
			valid = false;
	}
	return valid;
}

/* An Int argument already checked by check_field, or fallback when absent
 * or null. */
static int64_t int_arg(const gqlws_doc_field *field, const char *name, int64_t fallback)
{
	const cJSON *value = gqlws_doc_field_arg(field, name);

	return cJSON_IsNumber(value) ? (int64_t)value->valuedouble : fallback;
}

/* --------------------------------------------------------- ending an op */

/* Every way an operation stops running goes through these, so that
 * stats.running stays exact. The core ends an operation exactly when
 * complete / fail / refuse returns GQLWS_OK; any other answer means the
 * session is closing, and op_stop follows to do the accounting (and the
 * freeing of the op's state, if it has one). */

/* Completes op, or fails it with fail_message. True when the op ended. */
static bool end_op(demo_vhost *vh, gqlws_op *op, const char *fail_message)
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
	end_op(vh, op, "Internal error");
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
		end_op(vh, op, "Internal error"); /* a bug of ours; still end it */
	return 0;
}

static int refuse(demo_vhost *vh, gqlws_op *op, cJSON *errors)
{
	return refuse_as(vh, op, errors, false);
}

/* ------------------------------------------------------- result builders */

/* The value of a VALUE or ONE_SHOT field: resolved, then projected through
 * the field's selection when it is an object. NULL when out of memory. */
static cJSON *resolve_field(demo_vhost *vh, const demo_field *def, const gqlws_doc_plan *plan,
			    const gqlws_doc_field *field)
{
	cJSON *value = def->resolve(vh);

	if (!value || !def->object_type)
		return value;
	cJSON *projected = gqlws_doc_project(plan, field, value, def->object_type);
	cJSON_Delete(value);
	return projected;
}

/* out = {"data":{"<key>":<event projected through the field>}}. Response
 * keys are GraphQL names, so they need no escaping. */
static int stream_result_text(const gqlws_doc_plan *plan, const gqlws_doc_field *field,
			      const cJSON *event, const char *type_name, gqlws_doc_buf *out)
{
	static const char head[] = "{\"data\":{\"";
	static const char tail[] = "}}";
	const char *key = gqlws_doc_field_key(field);

	out->len = 0;
	if (gqlws_doc_buf_append(out, head, sizeof(head) - 1) ||
	    gqlws_doc_buf_append(out, key, strlen(key)) || gqlws_doc_buf_append(out, "\":", 2) ||
	    gqlws_doc_project_text(plan, field, event, type_name, out) ||
	    gqlws_doc_buf_append(out, tail, sizeof(tail) - 1))
		return -1;
	return 0;
}

/* {"seq":seq,"at":at} or {"value":value,"at":at}. */
static cJSON *event_new(const char *counter_name, double counter, double at)
{
	cJSON *event = cJSON_CreateObject();

	if (!event || !cJSON_AddNumberToObject(event, counter_name, counter) ||
	    !cJSON_AddNumberToObject(event, "at", at)) {
		cJSON_Delete(event);
		return NULL;
	}
	return event;
}

/* ----------------------------------------------------------- demo_op */

static void ticks_leave(demo_op *d);

static demo_op *demo_op_new(demo_vhost *vh, gqlws_op *op, const demo_field *def, gqlws_doc *doc,
			    gqlws_doc_plan *plan, const gqlws_doc_field *field)
{
	demo_op *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->vh = vh;
	d->op = op;
	d->def = def;
	d->doc = doc;
	d->plan = plan;
	d->field = field;
	return d;
}

static void demo_op_free(demo_op *d)
{
	lws_sul_cancel(&d->sul);
	if (d->group)
		ticks_leave(d);
	gqlws_doc_buf_free(&d->text);
	gqlws_doc_plan_free(d->plan);
	gqlws_doc_free(d->doc);
	free(d);
}

/* The stream is over: complete it and free its state, or, while the
 * session closes, leave both to op_stop. */
static void stream_finish(demo_op *d, const char *fail_message)
{
	if (end_op(d->vh, d->op, fail_message))
		demo_op_free(d);
	else
		d->dead = true;
}

/* ----------------------------------------------------------- counter */

static void counter_produce(demo_op *d);

/* The result buffer is kept for the stream's life: charge what it grew by.
 * Nonzero when the connection has no room for it. */
static int charge_text(demo_op *d)
{
	size_t held = d->text.cap ? gqlws_alloc_bytes(d->text.cap) : 0;

	if (held <= d->text_charged)
		return 0;
	if (gqlws_op_charge(d->op, held - d->text_charged) != GQLWS_OK)
		return -1;
	d->text_charged = held;
	return 0;
}

static void counter_timer(lws_sorted_usec_list_t *sul)
{
	demo_op *d = lws_container_of(sul, demo_op, sul);

	if (!d->dead)
		counter_produce(d);
}

/* Sends the next value, then arranges the one after or ends the stream.
 * May free d. */
static void counter_produce(demo_op *d)
{
	cJSON *event = event_new("value", (double)d->next_value, epoch_ms());

	if (!event || stream_result_text(d->plan, d->field, event, "Counter", &d->text)) {
		cJSON_Delete(event);
		stream_finish(d, "Out of memory");
		return;
	}
	cJSON_Delete(event);
	if (charge_text(d)) {
		stream_finish(d, GQLWS_MEMORY_LIMIT_MESSAGE);
		return;
	}

	if (gqlws_op_next_raw(d->op, d->text.data, d->text.len) != GQLWS_OK) {
		d->dead = true; /* closing: op_stop follows */
		return;
	}
	d->next_value++;
	if (d->limit >= 0 && d->next_value >= d->limit) {
		stream_finish(d, NULL);
		return;
	}
	if (d->interval_ms == 0)
		gqlws_op_request_drain(d->op);
	else
		schedule_next(d->vh->context, &d->sul, counter_timer, &d->due_us,
			      (int64_t)d->interval_ms * 1000);
}

/* Takes d over (it is the op's state from now on). */
static int counter_start(demo_op *d)
{
	d->limit = int_arg(d->field, "limit", -1);
	d->interval_ms = (uint32_t)int_arg(d->field, "intervalMs", DEMO_DEFAULT_INTERVAL_MS);
	d->due_us = monotonic_us();
	gqlws_op_set_user(d->op, d);

	if (d->limit == 0)
		stream_finish(d, NULL);
	else
		counter_produce(d); /* the first value at once, the rest paced */
	return 0;
}

/* ------------------------------------------------------------- ticks */

static void ticker_fire(lws_sorted_usec_list_t *sul);

static int tick_signature(const demo_op *d, char **signature)
{
	/* Distinct probe values make equal texts mean equal key-to-field maps. */
	cJSON *probe = event_new("seq", 0.25, 0.5);
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;

	*signature = NULL;
	if (probe && !stream_result_text(d->plan, d->field, probe, "Tick", &text)) {
		*signature = text.data; /* ownership moves to the caller */
		text.data = NULL;
	}
	cJSON_Delete(probe);
	gqlws_doc_buf_free(&text);
	return *signature ? 0 : -1;
}

/* Adds d to the group of its selection (made if new) and starts the ticker
 * for its first subscriber. Returns -1 when out of memory. */
static int ticks_join(demo_op *d)
{
	demo_vhost *vh = d->vh;
	char *signature;
	tick_group *g;

	if (tick_signature(d, &signature))
		return -1;
	for (g = vh->groups; g; g = g->next)
		if (!strcmp(g->signature, signature))
			break;
	if (g) {
		free(signature);
		gqlws_doc_plan_free(d->plan);
		gqlws_doc_free(d->doc);
		gqlws_op_uncharge(d->op, d->doc_charged);
		d->doc_charged = 0;
	} else {
		g = calloc(1, sizeof(*g));
		if (!g) {
			free(signature);
			return -1;
		}
		g->signature = signature;
		g->doc = d->doc;
		g->plan = d->plan;
		g->field = d->field;
		g->next = vh->groups;
		vh->groups = g;
	}
	d->doc = NULL;
	d->plan = NULL;
	d->field = NULL;

	d->group = g;
	d->group_next = g->members;
	if (g->members)
		g->members->group_prev = d;
	g->members = d;
	g->member_count++;

	if (vh->tick_subscribers++ == 0) {
		vh->tick_due_us = monotonic_us();
		schedule_next(vh->context, &vh->tick_sul, ticker_fire, &vh->tick_due_us,
			      (int64_t)vh->tick_ms * 1000);
	}
	return 0;
}

static void ticks_leave(demo_op *d)
{
	demo_vhost *vh = d->vh;
	tick_group *g = d->group;

	if (d->group_prev)
		d->group_prev->group_next = d->group_next;
	else
		g->members = d->group_next;
	if (d->group_next)
		d->group_next->group_prev = d->group_prev;
	d->group = NULL;

	if (--g->member_count == 0) {
		tick_group **link = &vh->groups;
		while (*link != g)
			link = &(*link)->next;
		*link = g->next;
		free(g->signature);
		gqlws_doc_plan_free(g->plan);
		gqlws_doc_free(g->doc);
		free(g);
	}
	if (--vh->tick_subscribers == 0)
		lws_sul_cancel(&vh->tick_sul);
}

/* The fan-out hot path: one event per tick, one serialisation per group,
 * then only a copy per subscriber (inside gqlws_op_next_raw). The core never
 * calls op_stop from inside gqlws_op_next_raw, so the lists hold still. */
static void ticker_fire(lws_sorted_usec_list_t *sul)
{
	demo_vhost *vh = lws_container_of(sul, demo_vhost, tick_sul);
	cJSON *event = event_new("seq", (double)vh->tick_seq++, epoch_ms());

	for (tick_group *g = vh->groups; g && event; g = g->next) {
		if (stream_result_text(g->plan, g->field, event, "Tick", &vh->tick_text))
			continue; /* out of memory: this group misses one tick */
		for (demo_op *m = g->members; m; m = m->group_next)
			if (!m->dead &&
			    gqlws_op_next_raw(m->op, vh->tick_text.data, vh->tick_text.len) != GQLWS_OK)
				m->dead = true;
	}
	cJSON_Delete(event);

	if (vh->tick_subscribers)
		schedule_next(vh->context, &vh->tick_sul, ticker_fire, &vh->tick_due_us,
			      (int64_t)vh->tick_ms * 1000);
}

/* ------------------------------------------------------------ op_start */

/* Answers a query (or mutation: the schema has no mutation fields) in one
 * result, every root field at once, and completes it. */
static int answer_query(demo_vhost *vh, gqlws_op *op, const gqlws_doc_plan *plan,
			gqlws_doc_op_type type)
{
	const char *root_name = root_type_name(type);
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
			const demo_field *def = find_field(vh, type, name);
			if (!check_field(def, plan, field, root_name, errors, &oom) || cJSON_GetArraySize(errors))
				continue; /* errors are reported together, without data */
			value = resolve_field(vh, def, plan, field);
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
		end_op(vh, op, NULL);
	/* else the session is closing: op_stop follows (this op has no state) */
	return 0;
}

/* The errors of a subscription that does not select exactly one usable
 * root field (GraphQL's "single root field" rule), or NULL with *def set.
 * *oom is set when out of memory. */
static cJSON *check_subscription(demo_vhost *vh, const gqlws_doc_operation *operation,
				 const gqlws_doc_plan *plan, const demo_field **def, bool *oom)
{
	const char *op_name = gqlws_doc_operation_name(operation);
	size_t count = gqlws_doc_plan_field_count(plan);
	cJSON *errors = cJSON_CreateArray();
	char subject[300];

	*def = NULL;
	if (!errors) {
		*oom = true;
		return NULL;
	}
	if (op_name)
		snprintf(subject, sizeof(subject), "Subscription \"%.256s\"", op_name);
	else
		snprintf(subject, sizeof(subject), "Anonymous Subscription");

	if (count != 1) {
		if (!add_error(errors, count > 1 ? gqlws_doc_plan_field(plan, 1) : NULL,
			       "%s must select only one top level field.", subject))
			*oom = true;
	} else {
		const gqlws_doc_field *field = gqlws_doc_plan_field(plan, 0);
		const char *name = gqlws_doc_field_name(field);
		if (!strncmp(name, "__", 2)) {
			if (!add_error(errors, field,
				       "%s must not select an introspection top level field.", subject))
				*oom = true;
		} else {
			const demo_field *found = find_field(vh, GQLWS_DOC_SUBSCRIPTION, name);
			if (check_field(found, plan, field, "Subscription", errors, oom))
				*def = found;
		}
	}
	if (*oom || *def) {
		cJSON_Delete(errors);
		return NULL;
	}
	return errors;
}

/* Starts a validated subscription; doc and plan are taken (doc_charged
 * bytes of the op's charge are theirs). */
static int start_stream(demo_vhost *vh, gqlws_op *op, const demo_field *def, gqlws_doc *doc,
			gqlws_doc_plan *plan, size_t doc_charged)
{
	const gqlws_doc_field *field = gqlws_doc_plan_field(plan, 0);

	if (def->kind == DEMO_FIELD_ONE_SHOT) {
		cJSON *value = resolve_field(vh, def, plan, field);
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
			end_op(vh, op, def->fail_message);
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
		end_op(vh, op, GQLWS_MEMORY_LIMIT_MESSAGE);
		return 0;
	}
	if (def->kind == DEMO_FIELD_COUNTER)
		return counter_start(d);
	if (ticks_join(d)) {
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
		gqlws_doc_plan_new(doc, operation, root_type_name(type), req->variables, &errors);
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
		end_op(vh, op, GQLWS_MEMORY_LIMIT_MESSAGE);
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
	errors = check_subscription(vh, operation, plan, &def, &oom);
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
		counter_produce(d);
}

/* --------------------------------------------------------------- vhost */

demo_vhost *demo_vhost_new(const lws_gqlws_config *cfg, const demo_field *extra,
			   size_t extra_count)
{
	demo_vhost *vh = calloc(1, sizeof(*vh));

	if (!vh)
		return NULL;
	vh->context = cfg ? cfg->context : NULL;
	vh->extra = extra;
	vh->extra_count = extra ? extra_count : 0;
	vh->tick_ms = cfg && cfg->tick_ms ? cfg->tick_ms : DEMO_DEFAULT_TICK_MS;
	if (cfg)
		vh->doc_limits = cfg->doc_limits;
	else
		gqlws_doc_limits_init(&vh->doc_limits);
	return vh;
}

const demo_op_stats *demo_vhost_op_stats(const demo_vhost *vh)
{
	return &vh->stats;
}

void demo_exec_vhost_destroy(void *exec)
{
	demo_vhost *vh = exec;

	if (!vh)
		return;
	/* Every connection, hence every op, is gone by now; the ticker was
	 * cancelled with its last subscriber. Cancel again in case a
	 * transport broke that promise, rather than leave a timer armed on
	 * freed memory. */
	lws_sul_cancel(&vh->tick_sul);
	if (vh->tick_subscribers)
		lwsl_err("gqlws demo executor: %zu ticks subscribers outlived the vhost\n",
			 vh->tick_subscribers);
	gqlws_doc_buf_free(&vh->tick_text);
	free(vh);
}
