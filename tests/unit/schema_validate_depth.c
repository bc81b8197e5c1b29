/*
 * schema_validate_depth.c - the deepest documents max-document-depth lets
 * through are validated against a schema on a 1 MiB thread stack: the
 * walker, the fragment walks (cycles, subscriptions, introspection depth)
 * and the value walks all recurse at most as deep as the document, and
 * this measures what that costs (GQLWS_MEASURE_STACK=1 prints it).
 */
#define _GNU_SOURCE /* pthread_attr_setstack */

#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#endif

#define WORK_STACK_BYTES (1u << 20)
#define PAINT 0xA5

static const char sdl[] = "type Query { car: Car ride(route: RouteInput, names: [[String]]): Int }\n"
			  "type Car { label: String towedBy: Car }\n"
			  "input RouteInput { via: RouteInput stop: Int }\n"
			  "type Subscription { ticks: Int }\n";

typedef struct text {
	char *data;
	size_t len, room;
} text;

static void put(text *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *format, ...)
{
	va_list args;
	for (;;) {
		va_start(args, format);
		int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->room - t->len : 0, format,
				  args);
		va_end(args);
		if (t->data && t->len + (size_t)n < t->room) {
			t->len += (size_t)n;
			return;
		}
		t->room = 2 * (t->room + (size_t)n + 64);
		t->data = realloc(t->data, t->room);
		if (!t->data)
			abort();
	}
}

/* The deep documents, each as deep as depth allows. */
static void deep_documents(size_t depth, text docs[6])
{
	size_t n = depth - 2;
	memset(docs, 0, 6 * sizeof *docs);
	put(&docs[0], "{ car ");
	for (size_t i = 0; i < n; i++)
		put(&docs[0], "{ towedBy ");
	put(&docs[0], "{ label }");
	for (size_t i = 0; i < n; i++)
		put(&docs[0], " }");
	put(&docs[0], " }");

	put(&docs[1], "{ ride(route: ");
	for (size_t i = 0; i < n; i++)
		put(&docs[1], "{via: ");
	put(&docs[1], "{stop: 1}");
	for (size_t i = 0; i < n; i++)
		put(&docs[1], "}");
	put(&docs[1], ") }");

	put(&docs[2], "query ($v: String) { ride(names: ");
	for (size_t i = 0; i < n; i++)
		put(&docs[2], "[");
	put(&docs[2], "$v");
	for (size_t i = 0; i < n; i++)
		put(&docs[2], "]");
	put(&docs[2], ") }");

	/* each spread and each selection set counts one level */
	size_t fragments = n / 2 - 1;
	put(&docs[3], "{ car { ...F0 } }");
	for (size_t i = 0; i < fragments; i++)
		put(&docs[3], " fragment F%zu on Car { towedBy { ...F%zu } }", i, i + 1);
	put(&docs[3], " fragment F%zu on Car { label ...F0 }", fragments);

	put(&docs[4], "{ __schema { types { ...T0 } } }");
	for (size_t i = 0; i < fragments; i++)
		put(&docs[4], " fragment T%zu on __Type { ofType { ...T%zu } }", i, i + 1);
	put(&docs[4], " fragment T%zu on __Type { name }", fragments);

	put(&docs[5], "subscription { ");
	for (size_t i = 0; i < n; i++)
		put(&docs[5], "... on Subscription { ");
	put(&docs[5], "ticks");
	for (size_t i = 0; i < n; i++)
		put(&docs[5], " }");
	put(&docs[5], " }");
}

typedef struct depth_case {
	size_t depth;
	gqlws_schema *schema;
	text docs[6];
	bool ok;
	char failure[512];
} depth_case;

static void *deep_work(void *arg)
{
	depth_case *c = arg;
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = c->depth;
	limits.max_tokens = 100000;
	c->ok = true;
	for (size_t i = 0; i < 6 && c->ok; i++) {
		cJSON *errors = NULL;
		gqlws_doc_status status;
		gqlws_doc *doc = gqlws_schema_parse_document(c->schema, c->docs[i].data, c->docs[i].len,
							     &limits, &errors, &status);
		/* the list nesting (2) and the fragment cycle (3) are errors the
		 * rules find: the walk went all the way down */
		bool expected = (i == 2 || i == 3) ? status == GQLWS_DOC_INVALID : doc != NULL;
		if (!expected) {
			char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
			snprintf(c->failure, sizeof c->failure, "document %zu: status %d: %.400s", i, (int)status,
				 text ? text : "(none)");
			free(text);
			c->ok = false;
		}
		cJSON_Delete(errors);
		gqlws_doc_free(doc);
	}
	return NULL;
}

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
		size_t untouched = 0;
		while (untouched < WORK_STACK_BYTES && stack[untouched] == PAINT)
			untouched++;
		used = WORK_STACK_BYTES - untouched;
		free(stack);
	}
	return used;
}

static void run_depth(size_t depth)
{
	depth_case c = {.depth = depth};
	cJSON *errors = NULL;
	c.schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	ck_assert_ptr_nonnull(c.schema);
	deep_documents(depth, c.docs);
	size_t used = run_on_small_stack(&c);
	ck_assert_msg(c.ok, "%s", c.failure);
	if (used)
		printf("schema validation at max-document-depth %zu: %zu bytes of stack\n", depth, used);
	for (size_t i = 0; i < 6; i++)
		free(c.docs[i].data);
	gqlws_schema_free(c.schema);
}

START_TEST(default_depth_validates_on_a_small_stack)
{
	run_depth(500);
}
END_TEST

START_TEST(deepest_allowed_depth_validates_on_a_small_stack)
{
	run_depth(GQLWS_DOC_DEPTH_CEILING);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema_validate_depth");
	TCase *tc = tcase_create("depth");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, default_depth_validates_on_a_small_stack);
	tcase_add_test(tc, deepest_allowed_depth_validates_on_a_small_stack);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
