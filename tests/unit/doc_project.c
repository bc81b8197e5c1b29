/*
 * doc_project.c - projection of executor data through a field's selection:
 * aliases, nesting, lists, fragments and type conditions, __typename,
 * @skip/@include, missing and unasked members, order, and both output forms.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

/* Projects data (JSON text) through the first root field of the document's
 * only operation, planned with variables against root type "Subscription",
 * and checks the text form and the cJSON form give expected. */
static void assert_projection(const char *document, const char *variables, const char *data,
			      const char *type_name, const char *expected)
{
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(document, strlen(document), NULL, &errors);
	ck_assert_msg(doc != NULL, "parse failed: %s", document);
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	ck_assert_ptr_nonnull(op);
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Subscription", vars, &errors);
	cJSON_Delete(vars);
	ck_assert_ptr_nonnull(plan);
	const gqlws_doc_field *field = gqlws_doc_plan_field(plan, 0);
	cJSON *value = data ? cJSON_Parse(data) : NULL;
	ck_assert(data == NULL || value != NULL);

	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_doc_project_text(plan, field, value, type_name, &out), 0);
	ck_assert_msg(strcmp(out.data, expected) == 0, "text %s, want %s", out.data, expected);

	cJSON *tree = gqlws_doc_project(plan, field, value, type_name);
	ck_assert_ptr_nonnull(tree);
	char *printed = cJSON_PrintUnformatted(tree);
	ck_assert_msg(strcmp(printed, expected) == 0, "tree %s, want %s", printed, expected);

	cJSON_free(printed);
	cJSON_Delete(tree);
	gqlws_doc_buf_free(&out);
	cJSON_Delete(value);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}

START_TEST(selected_members_in_selection_order)
{
	assert_projection("subscription { counter { at value } }", NULL,
			  "{\"value\":3,\"secret\":\"x\",\"at\":1700000000123}", NULL,
			  "{\"at\":1700000000123,\"value\":3}");
}
END_TEST

START_TEST(aliases_rename_and_repeat_members)
{
	assert_projection("subscription { counter { n: value v: value value } }", NULL, "{\"value\":3}", NULL,
			  "{\"n\":3,\"v\":3,\"value\":3}");
}
END_TEST

START_TEST(missing_members_become_null)
{
	assert_projection("subscription { counter { value at nested { x } } }", NULL, "{\"value\":1}", NULL,
			  "{\"value\":1,\"at\":null,\"nested\":null}");
}
END_TEST

START_TEST(nested_objects_are_projected)
{
	assert_projection("subscription { post { id author { name friends { name } } } }", NULL,
			  "{\"id\":\"p1\",\"author\":{\"name\":\"ann\",\"age\":3,\"friends\":[{\"name\":\"bob\",\"x\":1},"
			  "{\"name\":\"cy\"},null]},\"body\":\"...\"}",
			  NULL, "{\"id\":\"p1\",\"author\":{\"name\":\"ann\",\"friends\":[{\"name\":\"bob\"},{\"name\":\"cy\"},null]}}");
}
END_TEST

START_TEST(lists_of_objects_and_lists_of_lists)
{
	assert_projection("subscription { ticks { seq } }", NULL,
			  "[{\"seq\":1,\"at\":2},{\"seq\":2},[{\"seq\":3}],null,5]", NULL,
			  "[{\"seq\":1},{\"seq\":2},[{\"seq\":3}],null,null]");
}
END_TEST

START_TEST(leaf_fields_copy_their_value)
{
	assert_projection("subscription { counter { value tags meta } }", NULL,
			  "{\"value\":1.25,\"tags\":[\"a\",\"b\\\"\\n\\u0001\"],\"meta\":{\"k\":{\"z\":[true,false,null]}}}",
			  NULL,
			  "{\"value\":1.25,\"tags\":[\"a\",\"b\\\"\\n\\u0001\"],\"meta\":{\"k\":{\"z\":[true,false,null]}}}");
	assert_projection("subscription { hello }", NULL, "\"world\"", NULL, "\"world\"");
	assert_projection("subscription { hello }", NULL, NULL, NULL, "null");
}
END_TEST

START_TEST(numbers_keep_their_value)
{
	assert_projection("subscription { n { a b c d e f g h i j k } }", NULL,
			  "{\"a\":0,\"b\":-7,\"c\":1700000000123,\"d\":0.1,\"e\":1e300,\"f\":-2.5e-8,\"g\":123456789012345678,"
			  "\"h\":-0.5,\"i\":0.001,\"j\":1234.56,\"k\":1700000000123.5}",
			  NULL, "{\"a\":0,\"b\":-7,\"c\":1700000000123,\"d\":0.1,\"e\":1e+300,\"f\":-2.5e-08,\"g\":1.2345678901234568e+17,"
			  "\"h\":-0.5,\"i\":0.001,\"j\":1234.56,\"k\":1700000000123.5}");
}
END_TEST

START_TEST(scalar_where_a_selection_is_asked_becomes_null)
{
	assert_projection("subscription { counter { value } }", NULL, "42", NULL, "null");
	assert_projection("subscription { counter { value } }", NULL, "null", NULL, "null");
}
END_TEST

START_TEST(typename_comes_from_data_or_the_type_name)
{
	assert_projection("subscription { counter { __typename value } }", NULL,
			  "{\"__typename\":\"Counter\",\"value\":1}", "Ignored", "{\"__typename\":\"Counter\",\"value\":1}");
	assert_projection("subscription { counter { __typename value } }", NULL, "{\"value\":1}", "Counter",
			  "{\"__typename\":\"Counter\",\"value\":1}");
	assert_projection("subscription { counter { kind: __typename } }", NULL, "{\"value\":1}", NULL,
			  "{\"kind\":null}");
	/* nested objects only have their own __typename */
	assert_projection("subscription { post { __typename author { __typename } } }", NULL,
			  "{\"author\":{\"__typename\":\"User\"}}", "Post",
			  "{\"__typename\":\"Post\",\"author\":{\"__typename\":\"User\"}}");
}
END_TEST

START_TEST(fragments_apply_by_type_condition)
{
	const char *doc = "subscription { node { __typename ...C ...T ... on Counter { at } ... { id } } }"
			  " fragment C on Counter { value } fragment T on Tick { seq }";
	assert_projection(doc, NULL, "{\"__typename\":\"Counter\",\"id\":1,\"value\":2,\"seq\":3,\"at\":4}", NULL,
			  "{\"__typename\":\"Counter\",\"value\":2,\"at\":4,\"id\":1}");
	assert_projection(doc, NULL, "{\"id\":1,\"value\":2,\"seq\":3,\"at\":4}", "Tick",
			  "{\"__typename\":\"Tick\",\"seq\":3,\"id\":1}");
	/* unknown type: every condition applies */
	assert_projection(doc, NULL, "{\"id\":1,\"value\":2,\"seq\":3,\"at\":4}", NULL,
			  "{\"__typename\":null,\"value\":2,\"seq\":3,\"at\":4,\"id\":1}");
	/* elements of a list each have their own type */
	assert_projection(doc, NULL, "[{\"__typename\":\"Counter\",\"value\":1},{\"__typename\":\"Tick\",\"seq\":2}]",
			  NULL, "[{\"__typename\":\"Counter\",\"value\":1,\"at\":null,\"id\":null},"
				"{\"__typename\":\"Tick\",\"seq\":2,\"id\":null}]");
}
END_TEST

START_TEST(same_response_key_merges_sub_selections)
{
	assert_projection("subscription { post { author { name } ...F author { id } } }"
			  " fragment F on Post { author { name age } }",
			  NULL, "{\"__typename\":\"Post\",\"author\":{\"id\":1,\"name\":\"a\",\"age\":2,\"x\":3}}", NULL,
			  "{\"author\":{\"name\":\"a\",\"age\":2,\"id\":1}}");
}
END_TEST

START_TEST(skip_and_include_inside_the_selection)
{
	const char *doc = "subscription ($with: Boolean!) { counter { value @include(if: $with) at @skip(if: $with)"
			  " ...F @include(if: $with) ... @skip(if: true) { x } } } fragment F on Counter { seq }";
	assert_projection(doc, "{\"with\":true}", "{\"value\":1,\"at\":2,\"seq\":3,\"x\":4}", "Counter",
			  "{\"value\":1,\"seq\":3}");
	assert_projection(doc, "{\"with\":false}", "{\"value\":1,\"at\":2,\"seq\":3,\"x\":4}", "Counter",
			  "{\"at\":2}");
}
END_TEST

START_TEST(apollo_shaped_subscription)
{
	const char *doc =
		"subscription OnCounter($limit: Int) {\n"
		"  counter(limit: $limit) {\n"
		"    ...CounterParts\n"
		"    __typename\n"
		"  }\n"
		"}\n"
		"fragment CounterParts on Counter {\n"
		"  value\n"
		"  ...Timing\n"
		"  __typename\n"
		"}\n"
		"fragment Timing on Counter {\n"
		"  at\n"
		"  __typename\n"
		"}\n";
	assert_projection(doc, "{\"limit\":10}", "{\"value\":7,\"at\":1700000000000.5}", "Counter",
			  "{\"value\":7,\"at\":1700000000000.5,\"__typename\":\"Counter\"}");
}
END_TEST

START_TEST(projection_appends_to_the_buffer)
{
	const char *text = "subscription { counter { value } }";
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Subscription", NULL, &errors);
	const gqlws_doc_field *f = gqlws_doc_plan_field(plan, 0);
	cJSON *data = cJSON_Parse("{\"value\":1}");
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_doc_buf_append(&out, "{\"data\":{\"counter\":", 19), 0);
	ck_assert_int_eq(gqlws_doc_project_text(plan, f, data, NULL, &out), 0);
	ck_assert_int_eq(gqlws_doc_buf_append(&out, "}}", 2), 0);
	ck_assert_str_eq(out.data, "{\"data\":{\"counter\":{\"value\":1}}}");
	ck_assert_uint_eq(out.len, strlen(out.data));
	/* reuse without freeing */
	out.len = 0;
	ck_assert_int_eq(gqlws_doc_project_text(plan, f, data, NULL, &out), 0);
	ck_assert_str_eq(out.data, "{\"value\":1}");
	gqlws_doc_buf_free(&out);
	ck_assert_ptr_null(out.data);
	cJSON_Delete(data);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(large_selection_and_data)
{
	/* More fields than the projector keeps on its stack. */
	char doc[4096] = "subscription { o {";
	char data[8192] = "{";
	char expected[8192] = "{";
	for (int i = 0; i < 100; i++) {
		char f[32];
		snprintf(f, sizeof f, " f%d", i);
		strcat(doc, f);
		snprintf(f, sizeof f, "%s\"f%d\":%d", i ? "," : "", i, i);
		strcat(data, f);
		strcat(expected, f);
	}
	strcat(doc, " } }");
	strcat(data, "}");
	strcat(expected, "}");
	assert_projection(doc, NULL, data, NULL, expected);
}
END_TEST

START_TEST(many_fields_with_repeated_keys_merge)
{
	/* k0..k19 each selected twice with different sub-fields: more fields
	 * than the projector keeps on its stack, so its hash path runs. */
	char doc[4096] = "subscription { o {";
	char data[4096] = "{";
	char expected[4096] = "{";
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 20; i++) {
			char f[64];
			snprintf(f, sizeof f, " k%d: m { %s }", i, pass ? "y" : "x");
			strcat(doc, f);
		}
	}
	for (int i = 0; i < 20; i++) {
		char f[64];
		snprintf(f, sizeof f, "%s\"k%d\":{\"x\":1,\"y\":2}", i ? "," : "", i);
		strcat(expected, f);
	}
	strcat(doc, " } }");
	strcat(data, "\"m\":{\"y\":2,\"x\":1,\"z\":3}}");
	strcat(expected, "}");
	assert_projection(doc, NULL, data, NULL, expected);
}
END_TEST

START_TEST(biggest_selection_the_limits_allow)
{
	/* 9000 fields over 3000 keys at one level: within the default limits,
	 * far past every inline buffer. */
	size_t cap = 64 * 1024;
	char *doc = malloc(cap);
	size_t n = (size_t)sprintf(doc, "subscription { o {");
	for (int i = 0; i < 9000; i++)
		n += (size_t)sprintf(doc + n, " k%d", i % 3000);
	sprintf(doc + n, " } }");
	ck_assert_uint_lt(strlen(doc), cap);

	cJSON *errors = NULL;
	gqlws_doc *d = gqlws_doc_parse(doc, strlen(doc), NULL, &errors);
	ck_assert_ptr_nonnull(d);
	gqlws_doc_plan *plan = gqlws_doc_plan_new(d, gqlws_doc_select_operation(d, NULL, &errors),
						  "Subscription", NULL, &errors);
	ck_assert_ptr_nonnull(plan);
	cJSON *data = cJSON_Parse("{\"k2999\":1}");
	cJSON *out = gqlws_doc_project(plan, gqlws_doc_plan_field(plan, 0), data, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(out), 3000);
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(out, "k2999")->valuedouble, 1);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(out, "k0")));
	cJSON_Delete(out);
	cJSON_Delete(data);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(d);
	free(doc);
}
END_TEST

static Suite *doc_project_suite(void)
{
	Suite *s = suite_create("doc_project");
	TCase *tc = tcase_create("projection");
	tcase_add_test(tc, selected_members_in_selection_order);
	tcase_add_test(tc, aliases_rename_and_repeat_members);
	tcase_add_test(tc, missing_members_become_null);
	tcase_add_test(tc, nested_objects_are_projected);
	tcase_add_test(tc, lists_of_objects_and_lists_of_lists);
	tcase_add_test(tc, leaf_fields_copy_their_value);
	tcase_add_test(tc, numbers_keep_their_value);
	tcase_add_test(tc, scalar_where_a_selection_is_asked_becomes_null);
	tcase_add_test(tc, typename_comes_from_data_or_the_type_name);
	tcase_add_test(tc, fragments_apply_by_type_condition);
	tcase_add_test(tc, same_response_key_merges_sub_selections);
	tcase_add_test(tc, skip_and_include_inside_the_selection);
	tcase_add_test(tc, apollo_shaped_subscription);
	tcase_add_test(tc, projection_appends_to_the_buffer);
	tcase_add_test(tc, large_selection_and_data);
	tcase_add_test(tc, many_fields_with_repeated_keys_merge);
	tcase_add_test(tc, biggest_selection_the_limits_allow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(doc_project_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
