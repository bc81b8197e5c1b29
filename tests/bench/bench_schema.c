/*
 * bench_schema.c - how long the schema layer takes on a subscription
 * server's hot paths, against the generated 200-type schema of
 * schema/schema200.graphql: building the schema from SDL, parsing and
 * validating a typical 312-byte subscription (schema/subscription.graphql:
 * variables, a fragment, inline fragments on an interface and a union).
 * Prints microseconds per operation, best of 5 runs of about 0.2 s each;
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

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
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

/* Best microseconds per call over 5 runs of about 0.2 s each. */
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
	gqlws_schema *schema;
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

	bench b = {read_text(dir, "schema200.graphql"), read_text(dir, "subscription.graphql"), NULL};
	cJSON *errors = NULL;
	b.schema = gqlws_schema_parse(b.sdl.data, b.sdl.len, &errors);
	if (!b.schema)
		die("gqlws_schema_parse", errors);

	struct {
		const char *name;
		const char *what;
		operation op;
		double us;
	} rows[] = {
		{"build_schema", "build the 200-type schema from SDL", build_schema, 0},
		{"parse_validate", "parse + validate the subscription", parse_validate, 0},
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
		printf("schema %zu bytes SDL (200 types, %zu bytes of heap), subscription %zu bytes; best of 5\n",
		       b.sdl.len, gqlws_schema_bytes(b.schema), b.subscription.len);
		for (size_t i = 0; i < count; i++)
			printf("%-40s %10.3f us/op\n", rows[i].what, rows[i].us);
	}

	gqlws_schema_free(b.schema);
	free(b.sdl.data);
	free(b.subscription.data);
	return 0;
}
