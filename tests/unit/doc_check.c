/*
 * doc_check.c - gqlws_doc_field_check_selection: unknown fields under a root
 * field are reported as graphql-js reports them; known ones, __typename,
 * skipped selections and fragments on other types are not.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

static const char *const counter_fields[] = {"value", "at", NULL};

/* Plans text (one subscription) and returns the errors the check appends
 * for its first root field, as compact JSON text (caller frees). */
static char *check_text(const char *text, const char *variables, int *count)
{
	cJSON *errors = NULL, *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	ck_assert_ptr_nonnull(op);
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Subscription", vars, &errors);
	ck_assert_ptr_nonnull(plan);

	cJSON *found = cJSON_CreateArray();
	*count = gqlws_doc_field_check_selection(plan, gqlws_doc_plan_field(plan, 0), "Counter",
						 counter_fields, found);
	char *printed = cJSON_PrintUnformatted(found);
	cJSON_Delete(found);
	cJSON_Delete(vars);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	return printed;
}

START_TEST(check_known_fields_and_typename_pass)
{
	int count;
	char *text = check_text("subscription { counter { value at __typename } }", NULL, &count);
	ck_assert_int_eq(count, 0);
	ck_assert_str_eq(text, "[]");
	free(text);
}
END_TEST

START_TEST(check_unknown_field_reported_with_location)
{
	int count;
	char *text = check_text("subscription {\n  counter { value nope }\n}", NULL, &count);
	ck_assert_int_eq(count, 1);
	ck_assert_str_eq(text, "[{\"message\":\"Cannot query field \\\"nope\\\" on type "
			       "\\\"Counter\\\".\",\"locations\":[{\"line\":2,\"column\":19}]}]");
	free(text);
}
END_TEST

START_TEST(check_fragments_on_the_type_are_followed)
{
	int count;
	char *text = check_text("subscription { counter { ...F ... on Counter { bad } } }"
				" fragment F on Counter { worse }",
				NULL, &count);
	ck_assert_int_eq(count, 2);
	ck_assert_ptr_nonnull(strstr(text, "\\\"worse\\\""));
	ck_assert_ptr_nonnull(strstr(text, "\\\"bad\\\""));
	free(text);
}
END_TEST

START_TEST(check_skipped_and_other_type_selections_ignored)
{
	int count;
	char *text = check_text("subscription($no: Boolean!) { counter { value x @include(if: $no)"
				" ... on Tick { seq } } }",
				"{\"no\":false}", &count);
	ck_assert_int_eq(count, 0);
	free(text);
}
END_TEST

START_TEST(check_bad_arguments_rejected)
{
	ck_assert_int_eq(gqlws_doc_field_check_selection(NULL, NULL, "Counter", counter_fields, NULL),
			 -1);
}
END_TEST

/* The errors gqlws_doc_field_check_arg appends for argument `name` of type
 * `type` of the first root field of query text (variables as JSON), as
 * compact JSON; "[]" when it passes. Caller frees. */
static char *arg_errors(const char *text, const char *variables, const char *name,
			const char *type)
{
	cJSON *errors = NULL, *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Query", vars, &errors);
	ck_assert_msg(plan != NULL, "plan failed: %s", text);

	cJSON *found = cJSON_CreateArray();
	int count = gqlws_doc_field_check_arg(plan, gqlws_doc_plan_field(plan, 0), name, type, found);
	ck_assert_int_eq(count, cJSON_GetArraySize(found));
	char *printed = cJSON_PrintUnformatted(found);
	cJSON_Delete(found);
	cJSON_Delete(vars);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	return printed;
}

static void assert_arg(const char *text, const char *variables, const char *name,
		       const char *type, const char *expected)
{
	char *got = arg_errors(text, variables, name, type);
	ck_assert_msg(strcmp(got, expected) == 0, "%s: got %s, want %s", text, got, expected);
	free(got);
}

/* The message of the one error, at line 1, column `column`. */
#define ONE_ERROR(message, column) \
	"[{\"message\":\"" message "\",\"locations\":[{\"line\":1,\"column\":" #column "}]}]"

/* Expected texts are graphql-js 16's answers for the same documents. */
START_TEST(int_literals_are_worded_as_graphql_js_words_them)
{
	assert_arg("{ f(i: 1e400) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: 1e400", 8));
	assert_arg("{ f(i: 99999999999999999999999) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non 32-bit signed integer value: 99999999999999999999999", 8));
	assert_arg("{ f(i: 2147483648) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non 32-bit signed integer value: 2147483648", 8));
	assert_arg("{ f(i: -2147483649) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non 32-bit signed integer value: -2147483649", 8));
	assert_arg("{ f(i: 1.0) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: 1.0", 8));
	assert_arg("{ f(i: -0.0) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: -0.0", 8));
	assert_arg("{ f(i: 1e3) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: 1e3", 8));
	assert_arg("{ f(i: NaN) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: NaN", 8));
	assert_arg("{ f(i: \"3\") }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: \\\"3\\\"", 8));
	assert_arg("{ f(i: [1, 2]) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: [1, 2]", 8));
	assert_arg("{ f(i: {a: [1, {b: null}], c: \"x\\n\"}) }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: {a: [1, {b: null}], c: \\\"x\\\\n\\\"}", 8));
	assert_arg("{ f(i: \"\\u0001\\u007f\\u0080\\u009f\\u00a0\") }", NULL, "i", "Int",
		   ONE_ERROR("Int cannot represent non-integer value: "
			     "\\\"\\\\u0001\\\\u007F\\\\u0080\\\\u009F\xc2\xa0\\\"", 8));
}
END_TEST

/* graphql-js prints a block string argument as a block string, on lines of
 * its own when it spans lines, is long, or ends in an escaped triple quote. */
START_TEST(block_string_literals_print_as_graphql_js_prints_them)
{
	assert_arg("{ f(i: \"\"\"a\n  b\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\na\\nb\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"abc\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"abc\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"  lead\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"  lead\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"x \\\"\"\" y\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"x \\\\\\\"\\\"\\\" y\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"x \\\"\"\"\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\nx \\\\\\\"\\\"\\\"\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"a\n\n  b\n  c\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\na\\n\\nb\\nc\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"0123456789012345678901234567890123456789012345678901234567890123456789x\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\n0123456789012345678901234567890123456789012345678901234567890123456789x\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"é0123456789012345678901234567890123456789012345678901234567890123456789\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\né0123456789012345678901234567890123456789012345678901234567890123456789\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	assert_arg("{ f(i: \"\"\"\n    first\n  second\"\"\") }", NULL, "i", "Int",
		   "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\n  first\\nsecond\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
}
END_TEST

START_TEST(int_literals_that_fit_pass)
{
	assert_arg("{ f(i: -0) }", NULL, "i", "Int", "[]");
	assert_arg("{ f(i: -2147483648) }", NULL, "i", "Int", "[]");
	assert_arg("{ f(i: 2147483647) }", NULL, "i", "Int", "[]");
	assert_arg("{ f(i: null) }", NULL, "i", "Int", "[]");
	assert_arg("{ f(j: 1.5) }", NULL, "i", "Int", "[]");
}
END_TEST

START_TEST(other_scalar_literals_are_worded_as_graphql_js_words_them)
{
	assert_arg("{ f(s: 1e400) }", NULL, "s", "String",
		   ONE_ERROR("String cannot represent a non string value: 1e400", 8));
	assert_arg("{ f(b: 99999999999999999999999) }", NULL, "b", "Boolean",
		   ONE_ERROR("Boolean cannot represent a non boolean value: 99999999999999999999999", 8));
	assert_arg("{ f(id: 1.0) }", NULL, "id", "ID",
		   ONE_ERROR("ID cannot represent a non-string and non-integer value: 1.0", 9));
	assert_arg("{ f(fl: true) }", NULL, "fl", "Float",
		   ONE_ERROR("Float cannot represent non numeric value: true", 9));
	assert_arg("{ f(fl: 1e400, id: 99999999999999999999999) }", NULL, "fl", "Float", "[]");
	assert_arg("{ f(fl: 1e400, id: 99999999999999999999999) }", NULL, "id", "ID", "[]");
	assert_arg("{ f(i: FOO) }", NULL, "i", "Color", "[]");
}
END_TEST

START_TEST(non_null_arguments_must_be_given)
{
	assert_arg("{ f }", NULL, "i", "Int!",
		   ONE_ERROR("Field \\\"f\\\" argument \\\"i\\\" of type \\\"Int!\\\" is required, but it was not provided.", 3));
	assert_arg("{ f(i: null) }", NULL, "i", "Int!",
		   ONE_ERROR("Expected value of type \\\"Int!\\\", found null.", 8));
	assert_arg("{ f(i: 1) }", NULL, "i", "Int!", "[]");
}
END_TEST

/* The message, located at the definition (column 8) and the use. */
#define VARIABLE_ERROR(message, use_column)                                                    \
	"[{\"message\":\"" message "\",\"locations\":[{\"line\":1,\"column\":8},"                 \
	"{\"line\":1,\"column\":" #use_column "}]}]"

START_TEST(variables_must_be_declared_with_a_fitting_type)
{
	assert_arg("query ($x: Float) { f(i: $x) }", "{\"x\":1}", "i", "Int",
		   VARIABLE_ERROR("Variable \\\"$x\\\" of type \\\"Float\\\" used in position expecting type \\\"Int\\\".", 26));
	assert_arg("query ($x: [Int]) { f(i: $x) }", "{\"x\":[1]}", "i", "Int",
		   VARIABLE_ERROR("Variable \\\"$x\\\" of type \\\"[Int]\\\" used in position expecting type \\\"Int\\\".", 26));
	assert_arg("query ($x: Int) { f(i: $x) }", NULL, "i", "Int!",
		   VARIABLE_ERROR("Variable \\\"$x\\\" of type \\\"Int\\\" used in position expecting type \\\"Int!\\\".", 24));
	assert_arg("query ($x: Int!) { f(i: $x) }", "{\"x\":1}", "i", "Int", "[]");
	assert_arg("query ($x: Int) { f(i: $x) }", "{\"x\":1}", "i", "Int", "[]");
	assert_arg("query ($x: Int = 5) { f(i: $x) }", NULL, "i", "Int!", "[]");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("doc_check");
	TCase *tc = tcase_create("selection");
	tcase_add_test(tc, check_known_fields_and_typename_pass);
	tcase_add_test(tc, check_unknown_field_reported_with_location);
	tcase_add_test(tc, check_fragments_on_the_type_are_followed);
	tcase_add_test(tc, check_skipped_and_other_type_selections_ignored);
	tcase_add_test(tc, check_bad_arguments_rejected);
	suite_add_tcase(s, tc);
	TCase *args = tcase_create("arguments");
	tcase_add_test(args, int_literals_are_worded_as_graphql_js_words_them);
	tcase_add_test(args, int_literals_that_fit_pass);
	tcase_add_test(args, block_string_literals_print_as_graphql_js_prints_them);
	tcase_add_test(args, other_scalar_literals_are_worded_as_graphql_js_words_them);
	tcase_add_test(args, non_null_arguments_must_be_given);
	tcase_add_test(args, variables_must_be_declared_with_a_fitting_type);
	suite_add_tcase(s, args);
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
