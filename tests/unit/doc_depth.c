/*
 * doc_depth.c - the deepest documents max-document-depth lets through are
 * parsed, validated, planned, checked and projected on a small thread
 * stack: every recursion over a document is bounded by the depth limit,
 * and this measures what that bound costs.
 */
#define _GNU_SOURCE /* pthread_attr_setstack */

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#endif

/* The stack the work runs on (a thread's default is 8 MiB): at depth 1000
 * a RelWithDebInfo build measured 456 KiB, a Debug build with ASan between
 * 512 and 768 KiB. */
#define WORK_STACK_BYTES (1u << 20)
#define PAINT 0xA5

typedef struct depth_case {
	size_t depth; /* max-document-depth, and how deep the documents go */
	bool ok;
} depth_case;

static char *repeat(const char *head, const char *unit, size_t n, const char *middle,
		    const char *close_unit, const char *tail)
{
	size_t len = strlen(head) + n * (strlen(unit) + strlen(close_unit)) + strlen(middle) +
		     strlen(tail) + 1;
	char *d = malloc(len);
	char *p = d;
	p += sprintf(p, "%s", head);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s", unit);
	p += sprintf(p, "%s", middle);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s", close_unit);
	sprintf(p, "%s", tail);
	return d;
}

static gqlws_doc_plan *parse_and_plan(const char *text, const gqlws_doc_limits *limits,
				      const char *variables, gqlws_doc **doc)
{
	cJSON *errors = NULL;
	*doc = gqlws_doc_parse(text, strlen(text), limits, &errors);
	if (!*doc)
		return NULL;
	const gqlws_doc_operation *op = gqlws_doc_select_operation(*doc, NULL, &errors);
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_doc_plan *plan = op ? gqlws_doc_plan_new(*doc, op, "Query", vars, &errors) : NULL;
	cJSON_Delete(vars);
	cJSON_Delete(errors);
	return plan;
}

/* Everything an executor does with a document, each at full depth. */
static void *deep_work(void *arg)
{
	depth_case *c = arg;
	size_t d = c->depth;
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = d;
	limits.max_tokens = 100000;
	bool ok = true;

	/* Selection sets d deep, projected through data d deep. */
	char *sels = repeat("", "{a", d, "", "}", "");
	gqlws_doc *doc;
	gqlws_doc_plan *plan = parse_and_plan(sels, &limits, NULL, &doc);
	ok = ok && plan;
	if (plan) {
		cJSON *data = cJSON_CreateNull();
		for (size_t i = 1; i < d; i++) {
			cJSON *outer = cJSON_CreateObject();
			cJSON_AddItemToObject(outer, "a", data);
			data = outer;
		}
		const gqlws_doc_field *f = gqlws_doc_plan_field(plan, 0);
		gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
		ok = ok && gqlws_doc_project_text(plan, f, data, "T", &out) == 0;
		cJSON *tree = gqlws_doc_project(plan, f, data, "T");
		ok = ok && tree;
		const char *known[] = {"a", NULL};
		cJSON *errors = cJSON_CreateArray();
		ok = ok && gqlws_doc_field_check_selection(plan, f, "T", known, errors) == 0;
		cJSON_Delete(errors);
		cJSON_Delete(tree);
		gqlws_doc_buf_free(&out);
		cJSON_Delete(data);
	}
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	free(sels);

	/* Fragments spreading each other d - 1 deep. */
	size_t fragments = d - 2;
	char *frags = malloc(fragments * 48 + 64);
	char *p = frags + sprintf(frags, "{ ...F0 }");
	for (size_t i = 0; i + 1 < fragments; i++)
		p += sprintf(p, " fragment F%zu on Query { a ...F%zu }", i, i + 1);
	sprintf(p, " fragment F%zu on Query { a }", fragments - 1);
	plan = parse_and_plan(frags, &limits, NULL, &doc);
	ok = ok && plan && gqlws_doc_plan_field_count(plan) == 1;
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	free(frags);

	/* A list value d - 1 deep (the selection set is one level), checked
	 * against Int (printed whole) and turned into JSON. */
	char *lists = repeat("{ a(x: ", "[", d - 1, "1", "]", ") }");
	plan = parse_and_plan(lists, &limits, NULL, &doc);
	ok = ok && plan;
	if (plan) {
		cJSON *errors = cJSON_CreateArray();
		ok = ok && gqlws_doc_field_check_arg(plan, gqlws_doc_plan_field(plan, 0), "x", "Int",
						     errors) == 1;
		cJSON_Delete(errors);
	}
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	free(lists);

	/* A variable of a list type d - 2 deep, coerced from a value. */
	char *types = repeat("query ($v: ", "[", d - 2, "Int", "]", ") { a(v: $v) }");
	plan = parse_and_plan(types, &limits, "{\"v\": 1}", &doc);
	ok = ok && plan;
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	free(types);

	c->ok = ok;
	return NULL;
}

/* Runs deep_work on a thread whose stack is WORK_STACK_BYTES (with a guard
 * page below it: overflowing it crashes the test). With GQLWS_MEASURE_STACK
 * set (not under ASan or valgrind, which own the stack memory), the stack
 * is painted first and the bytes used are returned; else 0. */
static size_t run_on_small_stack(depth_case *c)
{
	pthread_attr_t attr;
	pthread_t thread;
	size_t used = 0;
	unsigned char *stack = NULL;
	ck_assert_int_eq(pthread_attr_init(&attr), 0);
#ifndef UNDER_ASAN
	if (getenv("GQLWS_MEASURE_STACK")) {
		stack = aligned_alloc(4096, WORK_STACK_BYTES);
		ck_assert_ptr_nonnull(stack);
		memset(stack, PAINT, WORK_STACK_BYTES);
		ck_assert_int_eq(pthread_attr_setstack(&attr, stack, WORK_STACK_BYTES), 0);
	}
#endif
	if (!stack)
		ck_assert_int_eq(pthread_attr_setstacksize(&attr, WORK_STACK_BYTES), 0);
	ck_assert_int_eq(pthread_create(&thread, &attr, deep_work, c), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	pthread_attr_destroy(&attr);
	if (stack) {
		/* The stack grows down: the first touched byte from the bottom. */
		size_t untouched = 0;
		while (untouched < WORK_STACK_BYTES && stack[untouched] == PAINT)
			untouched++;
		used = WORK_STACK_BYTES - untouched;
		free(stack);
	}
	return used;
}

START_TEST(default_depth_runs_on_a_small_stack)
{
	depth_case c = {.depth = 500};
	size_t used = run_on_small_stack(&c);
	ck_assert(c.ok);
	if (used)
		printf("max-document-depth 500: %zu bytes of stack\n", used);
}
END_TEST

START_TEST(deepest_allowed_depth_runs_on_a_small_stack)
{
	depth_case c = {.depth = GQLWS_DOC_DEPTH_CEILING};
	size_t used = run_on_small_stack(&c);
	ck_assert(c.ok);
	if (used)
		printf("max-document-depth %d: %zu bytes of stack\n", GQLWS_DOC_DEPTH_CEILING, used);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("doc_depth");
	TCase *tc = tcase_create("depth");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, default_depth_runs_on_a_small_stack);
	tcase_add_test(tc, deepest_allowed_depth_runs_on_a_small_stack);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
