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
