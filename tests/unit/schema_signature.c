/*
 * schema_signature.c - gqlws_schema_request_signature: equal keys for
 * requests whose results are the same text for every value (arguments and
 * variables that only name a topic), different keys wherever a result could
 * differ (response keys, fields, fragment conditions, @skip/@include
 * outcomes, the locations errors carry); and equal keys really giving equal
 * results, bad values included.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

static const char sdl[] =
	"type Query { a: Int }\n"
	"type Subscription {\n"
	"  stock(symbol: String!): Stock!\n"
	"  item(symbol: String!): Priced\n"
	"}\n"
	"interface Priced { price: Float! }\n"
	"type Stock implements Priced { symbol: String! price: Float! history(last: Int): [Float] }\n"
	"type Bond implements Priced { price: Float! coupon: Float }\n";

static gqlws_schema *schema;

static void setup(void)
{
	cJSON *errors = NULL;
	schema = gqlws_schema_parse(sdl, sizeof sdl - 1, &errors);
	ck_assert_ptr_nonnull(schema);
}

static void teardown(void)
{
	gqlws_schema_free(schema);
	schema = NULL;
}

static gqlws_schema_request *request(const char *query, const char *variables)
{
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_request req = {.id = "1", .query = query, .query_len = strlen(query), .variables = vars};
	cJSON *errors = NULL;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, 0, &errors, NULL);
	char *printed = errors ? cJSON_PrintUnformatted(errors) : NULL;
	ck_assert_msg(r != NULL, "request refused: %s", printed ? printed : "(no errors)");
	free(printed);
	cJSON_Delete(errors);
	cJSON_Delete(vars);
	return r;
}

/* The key of a request (caller frees). */
static char *key_of(const char *query, const char *variables)
{
	gqlws_schema_request *r = request(query, variables);
	gqlws_doc_buf key = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_schema_request_signature(r, &key), 0);
	ck_assert_ptr_nonnull(key.data);
	ck_assert_uint_eq(strlen(key.data), key.len);
	gqlws_schema_request_free(r);
	return key.data;
}

static bool same_key(const char *q1, const char *v1, const char *q2, const char *v2)
{
	char *k1 = key_of(q1, v1), *k2 = key_of(q2, v2);
	bool same = !strcmp(k1, k2);
	free(k1);
	free(k2);
	return same;
}

#define STOCK "subscription($s: String!) { stock(symbol: $s) { symbol price } }"

START_TEST(same_document_with_other_topic_variables_has_one_key)
{
	ck_assert(same_key(STOCK, "{\"s\":\"A\"}", STOCK, "{\"s\":\"B\"}"));
}
END_TEST

START_TEST(literal_topic_arguments_and_nested_arguments_do_not_change_the_key)
{
	ck_assert(same_key("subscription { stock(symbol: \"A\") { price history(last: 1) } }", NULL,
			   "subscription { stock(symbol: \"Z\") { price history(last: 2) } }", NULL));
	/* an operation's name is in no result */
	ck_assert(same_key("subscription One { stock(symbol: \"A\") { price } }", NULL,
			   "subscription Two { stock(symbol: \"A\") { price } }", NULL));
}
END_TEST

START_TEST(an_alias_changes_the_key)
{
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription { stock(symbol: \"A\") { p: price } }", NULL));
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription { s: stock(symbol: \"A\") { price } }", NULL));
}
END_TEST

START_TEST(an_extra_field_changes_the_key)
{
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription { stock(symbol: \"A\") { price symbol } }", NULL));
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription { stock(symbol: \"A\") { price __typename } }", NULL));
}
END_TEST

START_TEST(a_different_fragment_condition_changes_the_key)
{
	ck_assert(!same_key("subscription { item(symbol: \"A\") { ... on Stock { price } } }", NULL,
			    "subscription { item(symbol: \"A\") { ... on Bond { price } } }", NULL));
	ck_assert(!same_key("subscription { item(symbol: \"A\") { ...F } } fragment F on Stock { price }", NULL,
			    "subscription { item(symbol: \"A\") { ...F } } fragment F on Bond { price }", NULL));
	ck_assert(same_key("subscription { item(symbol: \"A\") { ...F } } fragment F on Stock { price }", NULL,
			   "subscription { item(symbol: \"B\") { ...F } } fragment F on Stock { price }", NULL));
}
END_TEST

#define SKIPPY "subscription($s: String!, $p: Boolean!) { stock(symbol: $s) { symbol price @include(if: $p) } }"

START_TEST(skip_and_include_outcomes_change_the_key)
{
	ck_assert(!same_key(SKIPPY, "{\"s\":\"A\",\"p\":true}", SKIPPY, "{\"s\":\"A\",\"p\":false}"));
	ck_assert(same_key(SKIPPY, "{\"s\":\"A\",\"p\":true}", SKIPPY, "{\"s\":\"B\",\"p\":true}"));
}
END_TEST

#define RAISES "subscription($s: String!, $p: Boolean = true) { stock(symbol: $s) { symbol price @include(if: $p) } }"

/* An `if` that is null raises when a value reaches it (a field error):
 * a key of its own, apart from the default it replaced. */
START_TEST(a_raising_condition_has_a_key_of_its_own)
{
	ck_assert(!same_key(RAISES, "{\"s\":\"A\",\"p\":null}", RAISES, "{\"s\":\"A\"}"));
	ck_assert(!same_key(RAISES, "{\"s\":\"A\",\"p\":null}", RAISES, "{\"s\":\"A\",\"p\":true}"));
	ck_assert(same_key(RAISES, "{\"s\":\"A\",\"p\":null}", RAISES, "{\"s\":\"B\",\"p\":null}"));
}
END_TEST

START_TEST(a_field_on_another_line_or_column_changes_the_key)
{
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription { stock(symbol: \"A\") {\n price } }", NULL));
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription { stock(symbol: \"A\") {  price } }", NULL));
	ck_assert(!same_key("subscription { stock(symbol: \"A\") { price } }", NULL,
			    "subscription {\nstock(symbol: \"A\") { price } }", NULL));
}
END_TEST

static char *result_of(gqlws_schema_request *r, const char *event)
{
	cJSON *root = cJSON_CreateObject();
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	cJSON_AddItemToObject(root, gqlws_doc_field_name(gqlws_doc_plan_field(plan, 0)), cJSON_Parse(event));
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_schema_result_text(schema, plan, root, &text), 0);
	cJSON_Delete(root);
	return text.data;
}

/* What the key promises: requests with equal keys answer every value with
 * the same text, errors and their locations included. */
START_TEST(equal_keys_give_equal_results_for_every_value)
{
	static const char *const events[] = {
		"{\"symbol\":\"A\",\"price\":1.5,\"history\":[1,2]}",
		"{\"symbol\":\"A\",\"price\":\"x\"}",
		"{\"symbol\":null,\"price\":2}",
		"null",
		"[1]",
		"{\"__typename\":\"Bond\",\"price\":3,\"coupon\":0.1}",
	};
	static const char *const queries[][2] = {
		{RAISES, "{\"s\":\"A\",\"p\":null}"},
		{SKIPPY, "{\"s\":\"A\",\"p\":true}"},
		{"subscription($s: String!) { stock(symbol: $s) { ...F history(last: 3) } } fragment F on Stock { symbol price }", "{\"s\":\"A\"}"},
		{"subscription($s: String!) { item(symbol: $s) { price ... on Bond { coupon } } }", "{\"s\":\"A\"}"},
	};
	for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
		gqlws_schema_request *a = request(queries[q][0], queries[q][1]);
		cJSON *other_vars = cJSON_Parse(queries[q][1]);
		cJSON_ReplaceItemInObject(other_vars, "s", cJSON_CreateString("OTHER"));
		char *vars = cJSON_PrintUnformatted(other_vars);
		gqlws_schema_request *b = request(queries[q][0], vars);
		gqlws_doc_buf ka = GQLWS_DOC_BUF_INIT, kb = GQLWS_DOC_BUF_INIT;
		ck_assert_int_eq(gqlws_schema_request_signature(a, &ka), 0);
		ck_assert_int_eq(gqlws_schema_request_signature(b, &kb), 0);
		ck_assert_str_eq(ka.data, kb.data);
		for (size_t e = 0; e < sizeof events / sizeof *events; e++) {
			char *ra = result_of(a, events[e]), *rb = result_of(b, events[e]);
			ck_assert_str_eq(ra, rb);
			free(ra);
			free(rb);
		}
		gqlws_doc_buf_free(&ka);
		gqlws_doc_buf_free(&kb);
		free(vars);
		cJSON_Delete(other_vars);
		gqlws_schema_request_free(a);
		gqlws_schema_request_free(b);
	}
}
END_TEST

/* Fragments are written once however often they are spread, so the key
 * grows with the document, not with its expansion. */
START_TEST(a_fragment_spread_many_times_is_written_once)
{
	char query[4096];
	size_t n = (size_t)snprintf(query, sizeof query, "subscription { stock(symbol: \"A\") { ");
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(query + n, sizeof query - n, "...F ");
	snprintf(query + n, sizeof query - n, "} } fragment F on Stock { symbol price }");
	char *key = key_of(query, NULL);
	ck_assert_ptr_nonnull(strstr(key, "&F"));
	ck_assert_ptr_null(strstr(strstr(key, "&F") + 1, "&F"));
	ck_assert_uint_lt(strlen(key), strlen(query));
	free(key);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema_signature");
	TCase *tc = tcase_create("request signatures");
	tcase_add_test(tc, same_document_with_other_topic_variables_has_one_key);
	tcase_add_test(tc, literal_topic_arguments_and_nested_arguments_do_not_change_the_key);
	tcase_add_test(tc, an_alias_changes_the_key);
	tcase_add_test(tc, an_extra_field_changes_the_key);
	tcase_add_test(tc, a_different_fragment_condition_changes_the_key);
	tcase_add_test(tc, skip_and_include_outcomes_change_the_key);
	tcase_add_test(tc, a_raising_condition_has_a_key_of_its_own);
	tcase_add_test(tc, a_field_on_another_line_or_column_changes_the_key);
	tcase_add_test(tc, equal_keys_give_equal_results_for_every_value);
	tcase_add_test(tc, a_fragment_spread_many_times_is_written_once);
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
