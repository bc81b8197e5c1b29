/*
 * bench_schema.c - how long the schema layer takes on a subscription
 * server's hot paths, against the generated 200-type schema of
 * schema/schema200.graphql: building the schema from SDL, parsing and
 * validating a typical 312-byte subscription (schema/subscription.graphql:
 * variables, a fragment, inline fragments on an interface and a union),
 * answering graphql-js's full introspection query
 * (schema/introspection.graphql, getIntrospectionQuery() with every option
 * on), and the typed projection to text of a 1 KiB event
 * (schema/event.json) through the subscription's selection.
 * Prints microseconds of CPU per operation, best of 5 runs of about 0.2 s
 * of CPU each;
 * bench_schema.mjs runs the same work on graphql-js and prints both.
 *
 * Usage: bench_schema [--json] [DIR]   (DIR: the folder of schema200.graphql,
 *                                       default the source tree's)
 * No timed asserts: it measures, it does not judge.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gqlws_schema.h"

typedef struct text {
	char *data;
	size_t len;
} text;

/* CPU time of the process, not wall time: the machines this runs on are
 * shared, and a descheduled process should not look slow. */
static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what, cJSON *errors)
{
	char *message = errors ? cJSON_PrintUnformatted(errors) : NULL;
	fprintf(stderr, "bench_schema: %s failed: %s\n", what, message ? message : "(no errors)");
	exit(1);
}

static text read_text(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_schema: cannot open %s\n", path);
		exit(1);
	}
	text t = {NULL, 0};
	size_t cap = 0, n;
	char chunk[8192];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (t.len + n + 1 > cap) {
			cap = (t.len + n + 1) * 2;
			t.data = realloc(t.data, cap);
			if (!t.data)
				die("realloc", NULL);
		}
		memcpy(t.data + t.len, chunk, n);
		t.len += n;
	}
	fclose(f);
	if (!t.data)
		die("empty file", NULL);
	t.data[t.len] = '\0';
	return t;
}

/* One measured operation: returns false when it failed. */
typedef bool (*operation)(void *ctx);

/* Best CPU microseconds per call over 5 runs of about 0.2 s each. */
static double measure(operation op, void *ctx)
{
	long batch = 1;
	for (;;) { /* a batch that takes at least 20 ms */
		double t0 = now_us();
		for (long i = 0; i < batch; i++)
			if (!op(ctx))
				die("operation", NULL);
		if (now_us() - t0 >= 20000 || batch >= (1L << 30))
			break;
		batch *= 2;
	}
	double best = 1e30;
	for (int run = 0; run < 5; run++) {
		double t0 = now_us();
		long done = 0;
		while (now_us() - t0 < 200000) {
			for (long i = 0; i < batch; i++)
				if (!op(ctx))
					die("operation", NULL);
			done += batch;
		}
		double per = (now_us() - t0) / (double)done;
		if (per < best)
			best = per;
	}
	return best;
}

typedef struct bench {
	text sdl;
	text subscription;
	text introspection;
	gqlws_schema *schema;
	gqlws_schema_request *introspection_request;
	gqlws_schema_request *subscription_request;
	cJSON *variables;
	cJSON *event;      /* the root field's value */
	cJSON *event_root; /* {"watchT3": event} */
	gqlws_doc_buf out;
} bench;

static bool build_schema(void *ctx)
{
	bench *b = ctx;
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(b->sdl.data, b->sdl.len, &errors);
	if (!schema)
		die("gqlws_schema_parse", errors);
	gqlws_schema_free(schema);
	return true;
}

static bool parse_validate(void *ctx)
{
	bench *b = ctx;
	cJSON *errors = NULL;
	gqlws_doc_status status;
	gqlws_doc *doc = gqlws_schema_parse_document(b->schema, b->subscription.data, b->subscription.len,
						     NULL, &errors, &status);
	if (!doc)
		die("gqlws_schema_parse_document", errors);
	gqlws_doc_free(doc);
	return true;
}

static gqlws_schema_request *request(const bench *b, const text *query, const cJSON *variables)
{
	gqlws_request req = {.id = "1", .query = query->data, .query_len = query->len, .variables = variables};
	cJSON *errors = NULL;
	gqlws_schema_request *r = gqlws_schema_request_new(b->schema, &req, NULL, 0, &errors, NULL);
	if (!r)
		die("gqlws_schema_request_new", errors);
	return r;
}

/* What a server does with an introspection request: parse, validate, plan,
 * answer. */
static bool introspection_full(void *ctx)
{
	bench *b = ctx;
	gqlws_schema_request *r = request(b, &b->introspection, NULL);
	b->out.len = 0;
	if (gqlws_schema_result_text(b->schema, gqlws_schema_request_plan(r), NULL, &b->out) != 0)
		die("gqlws_schema_result_text", NULL);
	gqlws_schema_request_free(r);
	return true;
}

/* The answer alone, the document already validated and planned. */
static bool introspection_answer(void *ctx)
{
	bench *b = ctx;
	b->out.len = 0;
	return gqlws_schema_result_text(b->schema, gqlws_schema_request_plan(b->introspection_request),
					NULL, &b->out) == 0;
}

/* One event of a running subscription: its root field's value projected
 * to text. */
static bool project_event(void *ctx)
{
	bench *b = ctx;
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(b->subscription_request);
	cJSON *errors = NULL;
	b->out.len = 0;
	int rc = gqlws_schema_project_text(b->schema, plan, gqlws_doc_plan_field(plan, 0), b->event,
					   &b->out, &errors);
	if (rc != GQLWS_SCHEMA_PROJECT_OK || errors)
		die("gqlws_schema_project_text", errors);
	return true;
}

/* The same event as a whole result, {"data":{"watchT3":...}}. */
static bool result_event(void *ctx)
{
	bench *b = ctx;
	b->out.len = 0;
	return gqlws_schema_result_text(b->schema, gqlws_schema_request_plan(b->subscription_request),
					b->event_root, &b->out) == 0;
}

int main(int argc, char **argv)
{
	bool json = false;
	const char *dir = GQLWS_BENCH_SCHEMA_DIR;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else
			dir = argv[i];
	}

	bench b = {.sdl = read_text(dir, "schema200.graphql"),
		   .subscription = read_text(dir, "subscription.graphql"),
		   .introspection = read_text(dir, "introspection.graphql"),
		   .out = GQLWS_DOC_BUF_INIT};
	text event = read_text(dir, "event.json");
	cJSON *errors = NULL;
	b.schema = gqlws_schema_parse(b.sdl.data, b.sdl.len, &errors);
	if (!b.schema)
		die("gqlws_schema_parse", errors);
	b.variables = cJSON_Parse("{\"id\":\"t3-000001\"}");
	b.event = cJSON_ParseWithLength(event.data, event.len);
	b.event_root = cJSON_CreateObject();
	if (!b.variables || !b.event || !b.event_root)
		die("setup", NULL);
	cJSON_AddItemReferenceToObject(b.event_root, "watchT3", b.event);
	b.introspection_request = request(&b, &b.introspection, NULL);
	b.subscription_request = request(&b, &b.subscription, b.variables);

	/* target: issue 10's figure for the row, 0 when it sets none. */
	struct {
		const char *name;
		const char *what;
		operation op;
		double target;
		double us;
	} rows[] = {
		{"build_schema", "build the 200-type schema from SDL", build_schema, 0, 0},
		{"parse_validate", "parse + validate the subscription", parse_validate, 5, 0},
		{"introspection_full", "introspection: parse, validate, answer", introspection_full, 300, 0},
		{"introspection_answer", "introspection: answer (validated)", introspection_answer, 0, 0},
		{"project_event", "project the 1 KiB event to text", project_event, 2, 0},
		{"result_event", "the event's whole result as text", result_event, 0, 0},
	};
	size_t count = sizeof rows / sizeof rows[0];
	for (size_t i = 0; i < count; i++)
		rows[i].us = measure(rows[i].op, &b);

	if (json) {
		printf("{");
		for (size_t i = 0; i < count; i++)
			printf("%s\"%s\":%.4f", i ? "," : "", rows[i].name, rows[i].us);
		printf("}\n");
	} else {
		printf("schema %zu bytes SDL (200 types, %zu bytes of heap), subscription %zu bytes, event %zu bytes; "
		       "best of 5\n",
		       b.sdl.len, gqlws_schema_bytes(b.schema), b.subscription.len, event.len);
		for (size_t i = 0; i < count; i++) {
			printf("%-40s %10.3f us/op", rows[i].what, rows[i].us);
			if (rows[i].target > 0)
				printf("   (target < %g)", rows[i].target);
			printf("\n");
		}
	}

	gqlws_schema_request_free(b.introspection_request);
	gqlws_schema_request_free(b.subscription_request);
	gqlws_doc_buf_free(&b.out);
	cJSON_Delete(b.event_root);
	cJSON_Delete(b.event);
	cJSON_Delete(b.variables);
	gqlws_schema_free(b.schema);
	free(b.sdl.data);
	free(b.subscription.data);
	free(b.introspection.data);
	free(event.data);
	return 0;
}
