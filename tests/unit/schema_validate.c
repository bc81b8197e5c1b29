/*
 * schema_validate.c - executable documents validated against a schema:
 * every rule of graphql-js 16.15's specifiedRules that the walker runs
 * gives graphql-js's messages, locations and order (the documents and
 * answers are in schema_validate_cases.inc), the 100-error limit, the
 * fragment-work budget, the document limits before the rules, and hostile
 * documents (deep, wide, many fragments, cycles) in bounded time.
 */
#include <check.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gqlws_schema.h"

#include "schema_validate_cases.inc"

static gqlws_schema *schema;

static void build_schema(void)
{
	cJSON *errors = NULL;
	schema = gqlws_schema_parse(test_sdl, strlen(test_sdl), &errors);
	if (!schema) {
		char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
		fprintf(stderr, "test schema refused: %s\n", text ? text : "(no memory)");
		abort();
	}
}

static void free_schema(void)
{
	gqlws_schema_free(schema);
	schema = NULL;
}

/* Validates text; returns the errors as compact JSON ("[]" when valid),
 * malloc'd, and the status. */
static char *validate_with(const char *text, size_t len, const gqlws_doc_limits *limits,
			   gqlws_doc_status *status)
{
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_schema_parse_document(schema, text, len, limits, &errors, status);
	char *json;
	if (doc) {
		ck_assert_ptr_null(errors);
		ck_assert_int_eq(*status, GQLWS_DOC_OK);
		json = malloc(3);
		ck_assert_ptr_nonnull(json);
		memcpy(json, "[]", 3);
	} else {
		ck_assert_ptr_nonnull(errors);
		json = cJSON_PrintUnformatted(errors);
	}
	cJSON_Delete(errors);
	gqlws_doc_free(doc);
	return json;
}

static char *validate(const char *text, gqlws_doc_status *status)
{
	return validate_with(text, strlen(text), NULL, status);
}

START_TEST(each_rule_answers_as_graphql_js)
{
	const struct rule_case *c = &rule_cases[_i];
	gqlws_doc_status status;
	char *got = validate(c->document, &status);
	ck_assert_msg(strcmp(got, c->errors) == 0, "%s\n  document: %s\n  got:      %s\n  expected: %s",
		      c->name, c->document, got, c->errors);
	if (strcmp(c->errors, "[]") != 0)
		ck_assert_int_eq(status, c->syntax ? GQLWS_DOC_SYNTAX : GQLWS_DOC_INVALID);
	free(got);
}
END_TEST

/* A growing text buffer for generated documents. */
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
		ck_assert_int_ge(n, 0);
		if (t->data && t->len + (size_t)n < t->room) {
			t->len += (size_t)n;
			return;
		}
		t->room = 2 * (t->room + (size_t)n + 64);
		t->data = realloc(t->data, t->room);
		ck_assert_ptr_nonnull(t->data);
	}
}

START_TEST(the_101st_error_ends_validation_as_graphql_js_does)
{
	text t = {0};
	put(&t, "{");
	for (int i = 0; i < 150; i++)
		put(&t, " f%d", i);
	put(&t, " }");
	gqlws_doc_status status;
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_schema_parse_document(schema, t.data, t.len, NULL, &errors, &status);
	ck_assert_ptr_null(doc);
	ck_assert_int_eq(status, GQLWS_DOC_INVALID);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 101);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(errors, 99), "message")->valuestring,
			 "Cannot query field \"f99\" on type \"Query\".");
	cJSON *last = cJSON_GetArrayItem(errors, 100);
	ck_assert_str_eq(cJSON_GetObjectItem(last, "message")->valuestring,
			 "Too many validation errors, error limit reached. Validation aborted.");
	ck_assert_ptr_null(cJSON_GetObjectItem(last, "locations"));
	cJSON_Delete(errors);
	free(t.data);
}
END_TEST

/* 200 operations spread one fragment with 2000 variable uses: graphql-js
 * runs out of fragment work (50000) and says only "Validation aborted." */
START_TEST(fragment_work_runs_out_as_in_graphql_js)
{
	text t = {0};
	for (int i = 0; i < 200; i++)
		put(&t, "query Q%d($v: String) { ...F } ", i);
	put(&t, "fragment F on Query { planner { byNames(names: [");
	for (int i = 0; i < 2000; i++)
		put(&t, "%s$v", i ? "," : "");
	put(&t, "]) } }");
	gqlws_doc_status status;
	char *got = validate_with(t.data, t.len, NULL, &status);
	ck_assert_str_eq(got, "[{\"message\":\"Validation aborted.\"}]");
	ck_assert_int_eq(status, GQLWS_DOC_INVALID);
	free(got);
	free(t.data);
}
END_TEST

START_TEST(document_limits_refuse_before_the_rules)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = 3;
	gqlws_doc_status status;
	/* the unknown field and fragment would be rule errors: the limit wins */
	const char *deep = "{ car { ...A } nope } fragment A on Car { towedBy { towedBy { label } } ...Missing }";
	char *got = validate_with(deep, strlen(deep), &limits, &status);
	ck_assert_str_eq(got, "[{\"message\":\"Document exceeds max-document-depth (3) when fragments are "
			      "expanded.\",\"locations\":[{\"line\":1,\"column\":9}]}]");
	ck_assert_int_eq(status, GQLWS_DOC_INVALID);
	free(got);
	const char *syntax = "{ car { towedBy { towedBy { label } } } }";
	got = validate_with(syntax, strlen(syntax), &limits, &status);
	ck_assert_int_eq(status, GQLWS_DOC_SYNTAX);
	ck_assert_ptr_nonnull(strstr(got, "Document exceeds max-document-depth (3)."));
	free(got);
}
END_TEST

START_TEST(plain_parse_still_reports_its_own_document_errors)
{
	/* gqlws_doc_parse_ex is unchanged: unknown fragments still fail there */
	cJSON *errors = NULL;
	gqlws_doc_status status;
	const char *text = "{ car { ...Missing } }";
	gqlws_doc *doc = gqlws_doc_parse_ex(text, strlen(text), NULL, &errors, &status);
	ck_assert_ptr_null(doc);
	ck_assert_int_eq(status, GQLWS_DOC_INVALID);
	char *got = cJSON_PrintUnformatted(errors);
	ck_assert_str_eq(got, "[{\"message\":\"Unknown fragment \\\"Missing\\\".\",\"locations\":[{\"line\":1,"
			      "\"column\":9}]}]");
	free(got);
	cJSON_Delete(errors);
}
END_TEST

static double seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

START_TEST(selections_nested_to_the_depth_ceiling_validate)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = GQLWS_DOC_DEPTH_CEILING;
	limits.max_tokens = 100000;
	text t = {0};
	int levels = GQLWS_DOC_DEPTH_CEILING - 2;
	put(&t, "{ car ");
	for (int i = 0; i < levels; i++)
		put(&t, "{ towedBy ");
	put(&t, "{ label }");
	for (int i = 0; i < levels; i++)
		put(&t, " }");
	put(&t, " }");
	gqlws_doc_status status;
	char *got = validate_with(t.data, t.len, &limits, &status);
	ck_assert_str_eq(got, "[]");
	free(got);
	free(t.data);
}
END_TEST

START_TEST(values_nested_to_the_depth_ceiling_validate)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = GQLWS_DOC_DEPTH_CEILING;
	text t = {0};
	int levels = GQLWS_DOC_DEPTH_CEILING - 4;
	put(&t, "{ planner { byRoute(route: ");
	for (int i = 0; i < levels; i++)
		put(&t, "{a: ");
	put(&t, "{a: 1, a: 2}");
	for (int i = 0; i < levels; i++)
		put(&t, "}");
	put(&t, ") } }");
	gqlws_doc_status status;
	char *got = validate_with(t.data, t.len, &limits, &status);
	/* the innermost duplicate is found, however deep */
	ck_assert_ptr_nonnull(strstr(got, "There can be only one input field named \\\"a\\\"."));
	free(got);
	free(t.data);
}
END_TEST

START_TEST(ten_thousand_fields_validate_in_bounded_time)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_tokens = 100000;
	text t = {0};
	put(&t, "{ car {");
	for (int i = 0; i < 9990; i++)
		put(&t, " f%d: label", i);
	put(&t, " } }");
	clock_t start = clock();
	gqlws_doc_status status;
	char *got = validate_with(t.data, t.len, &limits, &status);
	ck_assert_str_eq(got, "[]");
	ck_assert_msg(seconds_since(start) < 20, "took %.2f s", seconds_since(start));
	free(got);
	free(t.data);
}
END_TEST

/* 900 fragments, each spreading the next and the first (cycles
 * everywhere, the longest 900 spreads, under the expanded limits): every
 * rule that follows spreads stops, and the cycles come out until the
 * error limit. */
START_TEST(many_cyclic_fragments_validate_in_bounded_time)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_tokens = 100000;
	limits.max_expanded = 100000000;
	limits.max_depth = GQLWS_DOC_DEPTH_CEILING;
	text t = {0};
	int n = 900;
	put(&t, "{ car { ...F0 } }");
	for (int i = 0; i < n; i++)
		put(&t, " fragment F%d on Car { label ...F%d ...F0 }", i, (i + 1) % n);
	clock_t start = clock();
	gqlws_doc_status status;
	char *got = validate_with(t.data, t.len, &limits, &status);
	ck_assert_int_eq(status, GQLWS_DOC_INVALID);
	ck_assert_ptr_nonnull(strstr(got, "Cannot spread fragment \\\"F0\\\" within itself via"));
	ck_assert_ptr_nonnull(strstr(got, "Too many validation errors"));
	ck_assert_msg(seconds_since(start) < 20, "took %.2f s", seconds_since(start));
	free(got);
	free(t.data);
}
END_TEST

/* 3000 operations, each with its own fragment and variable: the
 * per-operation bookkeeping (spreads, referenced fragments, variable
 * usages) is found by index and hash, never by scanning the others. */
START_TEST(thousands_of_operations_validate_in_bounded_time)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_tokens = 100000;
	text t = {0};
	int n = 3000;
	for (int i = 0; i < n; i++)
		put(&t, "query Q%d($v: Int) { car { ...F%d isAt(x: $v) } } ", i, i);
	for (int i = 0; i < n; i++)
		put(&t, "fragment F%d on Car { label } ", i);
	put(&t, "fragment Unused on Car { label }");
	clock_t start = clock();
	gqlws_doc_status status;
	char *got = validate_with(t.data, t.len, &limits, &status);
	ck_assert_str_eq(got, "[{\"message\":\"Fragment \\\"Unused\\\" is never used.\",\"locations\":"
			      "[{\"line\":1,\"column\":254671}]}]");
	ck_assert_msg(seconds_since(start) < 20, "took %.2f s", seconds_since(start));
	free(got);
	free(t.data);
}
END_TEST

/* Subscriptions and introspection follow fragments too: through a cycle
 * they stop at spreads already followed. */
START_TEST(cycles_do_not_loop_the_fragment_walks)
{
	gqlws_doc_status status;
	char *got = validate("subscription { ...S } fragment S on Subscription { ticks ...S ...T } "
			     "fragment T on Subscription { ...S }",
			     &status);
	ck_assert_ptr_nonnull(strstr(got, "Cannot spread fragment \\\"S\\\" within itself."));
	ck_assert_ptr_null(strstr(got, "must select only one top level field"));
	free(got);
	got = validate("{ __schema { types { ...T } } } fragment T on __Type { name ...T ...U } "
		       "fragment U on __Type { ...T ofType { ...U } }",
		       &status);
	ck_assert_ptr_nonnull(strstr(got, "within itself"));
	ck_assert_ptr_null(strstr(got, "Maximum introspection depth exceeded"));
	free(got);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("schema_validate");
	TCase *rules = tcase_create("rules");
	tcase_add_unchecked_fixture(rules, build_schema, free_schema);
	tcase_add_loop_test(rules, each_rule_answers_as_graphql_js, 0,
			    (int)(sizeof rule_cases / sizeof rule_cases[0]));
	tcase_add_test(rules, the_101st_error_ends_validation_as_graphql_js_does);
	tcase_add_test(rules, fragment_work_runs_out_as_in_graphql_js);
	tcase_add_test(rules, document_limits_refuse_before_the_rules);
	tcase_add_test(rules, plain_parse_still_reports_its_own_document_errors);
	suite_add_tcase(s, rules);
	TCase *hostile = tcase_create("hostile");
	tcase_add_unchecked_fixture(hostile, build_schema, free_schema);
	tcase_set_timeout(hostile, 120);
	tcase_add_test(hostile, selections_nested_to_the_depth_ceiling_validate);
	tcase_add_test(hostile, values_nested_to_the_depth_ceiling_validate);
	tcase_add_test(hostile, ten_thousand_fields_validate_in_bounded_time);
	tcase_add_test(hostile, many_cyclic_fragments_validate_in_bounded_time);
	tcase_add_test(hostile, thousands_of_operations_validate_in_bounded_time);
	tcase_add_test(hostile, cycles_do_not_loop_the_fragment_walks);
	suite_add_tcase(s, hostile);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(validate_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
