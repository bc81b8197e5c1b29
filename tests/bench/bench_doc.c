/*
 * bench_doc.c - how long the document API takes on the hot paths of a
 * subscription server: parsing a typical Apollo-Client subscription
 * (about 300 bytes, two fragments, __typename), planning it, and projecting
 * a 1 KiB event through it. Prints microseconds per call, best of 5 runs.
 * Usage: bench_doc [iterations]   (default 200000)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gqlws_doc.h"

static const char document[] =
	"subscription OnCounter($limit: Int, $intervalMs: Int = 1000) {\n"
	"  counter(limit: $limit, intervalMs: $intervalMs) {\n"
	"    ...CounterValue\n"
	"    ...CounterTiming\n"
	"    __typename\n"
	"  }\n"
	"}\n"
	"fragment CounterValue on Counter {\n"
	"  value\n"
	"  __typename\n"
	"}\n"
	"fragment CounterTiming on Counter {\n"
	"  at\n"
	"  seq: value\n"
	"  __typename\n"
	"}\n";

static const char variables[] = "{\"limit\":1000000}";

/* A 1 KiB event: the members the document asks for among many it does not. */
static char *make_event(void)
{
	char *event = malloc(2048);
	int n = sprintf(event, "{\"__typename\":\"Counter\",\"id\":\"counter-0001\",\"value\":123456,"
			       "\"label\":\"%s\",\"meta\":{\"source\":\"demo\",\"region\":\"eu-west\","
			       "\"tags\":[\"a\",\"b\",\"c\"]},\"history\":[",
			"a moderately long label for a counter event in the benchmark");
	for (int i = 0; n < 960; i++)
		n += sprintf(event + n, "%s%d", i ? "," : "", 1000 + i * 7);
	sprintf(event + n, "],\"owner\":{\"id\":\"u1\",\"name\":\"Ann\"},\"at\":1700000000123.5}");
	return event;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what, cJSON *errors)
{
	char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
	fprintf(stderr, "bench_doc: %s failed: %s\n", what, text ? text : "(no errors)");
	exit(1);
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 200000;
	if (iterations <= 0)
		iterations = 200000;
	char *event_text = make_event();
	cJSON *event = cJSON_Parse(event_text);
	cJSON *vars = cJSON_Parse(variables);
	cJSON *errors = NULL;
	if (!event || !vars)
		die("setup", NULL);

	gqlws_doc *doc = gqlws_doc_parse(document, sizeof document - 1, NULL, &errors);
	if (!doc)
		die("parse", errors);
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	if (!op)
		die("select", errors);
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Subscription", vars, &errors);
	if (!plan)
		die("plan", errors);
	const gqlws_doc_field *field = gqlws_doc_plan_field(plan, 0);
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;

	double best_parse = 1e30, best_plan = 1e30, best_text = 1e30, best_tree = 1e30;
	for (int run = 0; run < 5; run++) {
		double t0 = now_us();
		for (long i = 0; i < iterations; i++) {
			gqlws_doc *d = gqlws_doc_parse(document, sizeof document - 1, NULL, &errors);
			if (!d)
				die("parse", errors);
			gqlws_doc_free(d);
		}
		double t1 = now_us();
		for (long i = 0; i < iterations; i++) {
			gqlws_doc_plan *p = gqlws_doc_plan_new(doc, op, "Subscription", vars, &errors);
			if (!p)
				die("plan", errors);
			gqlws_doc_plan_free(p);
		}
		double t2 = now_us();
		for (long i = 0; i < iterations; i++) {
			out.len = 0;
			if (gqlws_doc_project_text(plan, field, event, "Counter", &out) != 0)
				die("project_text", NULL);
		}
		double t3 = now_us();
		for (long i = 0; i < iterations; i++) {
			cJSON *tree = gqlws_doc_project(plan, field, event, "Counter");
			if (!tree)
				die("project", NULL);
			cJSON_Delete(tree);
		}
		double t4 = now_us();
		double n = (double)iterations;
		if ((t1 - t0) / n < best_parse) best_parse = (t1 - t0) / n;
		if ((t2 - t1) / n < best_plan) best_plan = (t2 - t1) / n;
		if ((t3 - t2) / n < best_text) best_text = (t3 - t2) / n;
		if ((t4 - t3) / n < best_tree) best_tree = (t4 - t3) / n;
	}

	printf("document %zu bytes (2 fragments, __typename), event %zu bytes, %ld iterations, best of 5\n",
	       sizeof document - 1, strlen(event_text), iterations);
	printf("projected: %s\n", out.data);
	printf("parse+validate       %8.3f us/document   (target < 5)\n", best_parse);
	printf("plan (vars, fields)  %8.3f us/operation\n", best_plan);
	printf("project to text      %8.3f us/event      (target < 2)\n", best_text);
	printf("project to cJSON     %8.3f us/event\n", best_tree);

	gqlws_doc_buf_free(&out);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	cJSON_Delete(vars);
	cJSON_Delete(event);
	free(event_text);
	return 0;
}
