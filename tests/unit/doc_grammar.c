/*
 * doc_grammar.c - each production of the executable-document grammar parses
 * and means what the spec says, observed through the public API: operation
 * types and names, root fields with aliases and locations, argument values
 * of every kind, strings with escapes, block strings, ignored tokens.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

/* One document planned against its only (or named) operation. */
typedef struct planned {
	gqlws_doc *doc;
	const gqlws_doc_operation *op;
	gqlws_doc_plan *plan;
} planned;

static planned plan_document(const char *text, const char *op_name, const char *variables,
			     const char *root_type)
{
	planned p = {0};
	cJSON *errors = NULL;
	p.doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	if (!p.doc) {
		char *e = cJSON_PrintUnformatted(errors);
		ck_abort_msg("parse failed: %s: %s", text, e);
	}
	p.op = gqlws_doc_select_operation(p.doc, op_name, &errors);
	ck_assert_ptr_nonnull(p.op);
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	p.plan = gqlws_doc_plan_new(p.doc, p.op, root_type, vars, &errors);
	cJSON_Delete(vars);
	if (!p.plan) {
		char *e = cJSON_PrintUnformatted(errors);
		ck_abort_msg("plan failed: %s: %s", text, e);
	}
	return p;
}

static void planned_free(planned *p)
{
	gqlws_doc_plan_free(p->plan);
	gqlws_doc_free(p->doc);
}

static void assert_args(const gqlws_doc_field *f, const char *expected)
{
	char *text = cJSON_PrintUnformatted(gqlws_doc_field_args(f));
	ck_assert_msg(strcmp(text, expected) == 0, "args %s, want %s", text, expected);
	cJSON_free(text);
}

/* The arguments of the first root field of a one-field query. */
static void assert_query_args(const char *text, const char *expected)
{
	planned p = plan_document(text, NULL, NULL, "Query");
	ck_assert_uint_eq(gqlws_doc_plan_field_count(p.plan), 1);
	assert_args(gqlws_doc_plan_field(p.plan, 0), expected);
	planned_free(&p);
}

START_TEST(shorthand_query_is_an_anonymous_query)
{
	planned p = plan_document("{ hello }", NULL, NULL, "Query");
	ck_assert_int_eq(gqlws_doc_operation_type(p.op), GQLWS_DOC_QUERY);
	ck_assert_ptr_null(gqlws_doc_operation_name(p.op));
	ck_assert_uint_eq(gqlws_doc_operation_count(p.doc), 1);
	const gqlws_doc_field *f = gqlws_doc_plan_field(p.plan, 0);
	ck_assert_str_eq(gqlws_doc_field_name(f), "hello");
	ck_assert_str_eq(gqlws_doc_field_key(f), "hello");
	ck_assert(!gqlws_doc_field_has_selection(f));
	ck_assert_uint_eq(gqlws_doc_field_line(f), 1);
	ck_assert_uint_eq(gqlws_doc_field_column(f), 3);
	planned_free(&p);
}
END_TEST

START_TEST(operation_types_and_names)
{
	static const struct {
		const char *text;
		gqlws_doc_op_type type;
		const char *name;
	} cases[] = {
		{"query { a }", GQLWS_DOC_QUERY, NULL},
		{"query Q { a }", GQLWS_DOC_QUERY, "Q"},
		{"mutation M { a }", GQLWS_DOC_MUTATION, "M"},
		{"subscription OnTick { a }", GQLWS_DOC_SUBSCRIPTION, "OnTick"},
		{"subscription @live { a }", GQLWS_DOC_SUBSCRIPTION, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		planned p = plan_document(cases[i].text, NULL, NULL, "Root");
		ck_assert_int_eq(gqlws_doc_operation_type(p.op), cases[i].type);
		if (cases[i].name)
			ck_assert_str_eq(gqlws_doc_operation_name(p.op), cases[i].name);
		else
			ck_assert_ptr_null(gqlws_doc_operation_name(p.op));
		planned_free(&p);
	}
	ck_assert_str_eq(gqlws_doc_op_type_name(GQLWS_DOC_QUERY), "query");
	ck_assert_str_eq(gqlws_doc_op_type_name(GQLWS_DOC_MUTATION), "mutation");
	ck_assert_str_eq(gqlws_doc_op_type_name(GQLWS_DOC_SUBSCRIPTION), "subscription");
}
END_TEST

START_TEST(fields_have_aliases_and_locations)
{
	planned p = plan_document("subscription {\n  first: counter\n\tsecond : counter(limit: 2) { value }\n}",
				  NULL, NULL, "Subscription");
	ck_assert_uint_eq(gqlws_doc_plan_field_count(p.plan), 2);
	const gqlws_doc_field *a = gqlws_doc_plan_field(p.plan, 0);
	const gqlws_doc_field *b = gqlws_doc_plan_field(p.plan, 1);
	ck_assert_str_eq(gqlws_doc_field_key(a), "first");
	ck_assert_str_eq(gqlws_doc_field_name(a), "counter");
	ck_assert_uint_eq(gqlws_doc_field_line(a), 2);
	ck_assert_uint_eq(gqlws_doc_field_column(a), 3);
	ck_assert_str_eq(gqlws_doc_field_key(b), "second");
	ck_assert_uint_eq(gqlws_doc_field_line(b), 3);
	ck_assert_uint_eq(gqlws_doc_field_column(b), 2);
	ck_assert(gqlws_doc_field_has_selection(b));
	ck_assert_ptr_null(gqlws_doc_plan_field(p.plan, 2));
	planned_free(&p);
}
END_TEST

START_TEST(scalar_values)
{
	assert_query_args("{ f(i: 0, n: -12, big: 4294967296, fl: 1.5, e: -2e3, E: 6.02E+23, z: -0.0) }",
			  "{\"i\":0,\"n\":-12,\"big\":4294967296,\"fl\":1.5,\"e\":-2000,\"E\":6.02e+23,\"z\":-0}");
	assert_query_args("{ f(t: true, f: false, n: null, e: RED, e2: truely, e3: nulls) }",
			  "{\"t\":true,\"f\":false,\"n\":null,\"e\":\"RED\",\"e2\":\"truely\",\"e3\":\"nulls\"}");
}
END_TEST

START_TEST(list_and_object_values)
{
	assert_query_args("{ f(l: [], l2: [1 [2, [3]] {a: 1}], o: {}, o2: {a: {b: [true]} c: \"x\"}) }",
			  "{\"l\":[],\"l2\":[1,[2,[3]],{\"a\":1}],\"o\":{},\"o2\":{\"a\":{\"b\":[true]},\"c\":\"x\"}}");
}
END_TEST

START_TEST(string_escapes)
{
	assert_query_args("{ f(s: \"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\") }",
			  "{\"s\":\"a\\\"b\\\\c/d\\be\\ff\\ng\\rh\\ti\"}");
	/* \u escapes: BMP, a surrogate pair, and the braced form */
	assert_query_args("{ f(s: \"\\u00e9\\u20AC\\uD83D\\uDE00\\u{1F600}\\u{41}\") }",
			  "{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x9f\x98\x80" "A\"}");
	/* raw UTF-8 passes through */
	assert_query_args("{ f(s: \"h\xc3\xa9llo \xf0\x9f\x98\x80\") }", "{\"s\":\"h\xc3\xa9llo \xf0\x9f\x98\x80\"}");
	assert_query_args("{ f(s: \"\") }", "{\"s\":\"\"}");
}
END_TEST

START_TEST(block_strings)
{
	/* common indentation and blank first/last lines removed */
	assert_query_args("{ f(s: \"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\") }",
			  "{\"s\":\"Hello,\\n  World!\\n\\nYours,\\n  GraphQL.\"}");
	/* no escapes except \""" ; CRLF becomes \n */
	assert_query_args("{ f(s: \"\"\"a\\nb \\\"\"\" c\r\n d\"\"\") }", "{\"s\":\"a\\\\nb \\\"\\\"\\\" c\\nd\"}");
	assert_query_args("{ f(s: \"\"\"\"\"\") }", "{\"s\":\"\"}");
	assert_query_args("{ f(s: \"\"\"  first line keeps its indent\n   x\"\"\") }",
			  "{\"s\":\"  first line keeps its indent\\nx\"}");
}
END_TEST

START_TEST(ignored_tokens)
{
	/* byte order mark, commas, tabs, comments and every line terminator */
	planned p = plan_document("\xef\xbb\xbf# leading comment\r\n{\r,a,,\t# trailing\rb\n}", NULL, NULL, "Query");
	ck_assert_uint_eq(gqlws_doc_plan_field_count(p.plan), 2);
	const gqlws_doc_field *b = gqlws_doc_plan_field(p.plan, 1);
	ck_assert_str_eq(gqlws_doc_field_key(b), "b");
	ck_assert_uint_eq(gqlws_doc_field_line(b), 4);
	ck_assert_uint_eq(gqlws_doc_field_column(b), 1);
	planned_free(&p);
}
END_TEST

START_TEST(variable_definitions_with_types_defaults_and_directives)
{
	const char *text =
		"query Q($a: Int, $b: [String!]! = [\"x\"], $c: [[ID]] = null @deprecated(reason: \"r\"),"
		" $d: In = {x: [1], y: ENUM}) { f(a: $a, b: $b, c: $c, d: $d) }";
	planned p = plan_document(text, NULL, NULL, "Query");
	assert_args(gqlws_doc_plan_field(p.plan, 0), "{\"b\":[\"x\"],\"c\":null,\"d\":{\"x\":[1],\"y\":\"ENUM\"}}");
	planned_free(&p);
}
END_TEST

START_TEST(directives_on_every_location)
{
	const char *text = "query Q @a @b(x: 1) { f @c(y: [1]) { ...F @d ... on T @e { g } ... @f { h } } }"
			   " fragment F on T @g { i }";
	planned p = plan_document(text, NULL, NULL, "Query");
	ck_assert_uint_eq(gqlws_doc_plan_field_count(p.plan), 1);
	planned_free(&p);
}
END_TEST

START_TEST(keywords_are_ordinary_names_elsewhere)
{
	planned p = plan_document("query query { query: fragment(on: on, null: true) { mutation subscription } }"
				  " fragment subscription on on { on }",
				  NULL, NULL, "Query");
	const gqlws_doc_field *f = gqlws_doc_plan_field(p.plan, 0);
	ck_assert_str_eq(gqlws_doc_field_key(f), "query");
	ck_assert_str_eq(gqlws_doc_field_name(f), "fragment");
	assert_args(f, "{\"on\":\"on\",\"null\":true}");
	planned_free(&p);
}
END_TEST

START_TEST(several_operations_and_fragments_in_any_order)
{
	const char *text = "fragment A on Counter { value } subscription S { counter { ...A } }"
			   " query Q { hello } fragment B on Tick { seq }";
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_eq(gqlws_doc_operation_count(doc), 2);
	const gqlws_doc_operation *s = gqlws_doc_select_operation(doc, "S", &errors);
	const gqlws_doc_operation *q = gqlws_doc_select_operation(doc, "Q", &errors);
	ck_assert_int_eq(gqlws_doc_operation_type(s), GQLWS_DOC_SUBSCRIPTION);
	ck_assert_int_eq(gqlws_doc_operation_type(q), GQLWS_DOC_QUERY);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(text_needs_no_terminating_nul)
{
	const char text[] = {'{', ' ', 'a', ' ', '}'};
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, sizeof text, NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	gqlws_doc_free(doc);
	/* a number at the very end of the text */
	const char cut[] = {'{', 'a', '(', 'x', ':', '1', '2'};
	ck_assert_ptr_null(gqlws_doc_parse(cut, sizeof cut, NULL, &errors));
	cJSON_Delete(errors);
}
END_TEST

START_TEST(error_objects_for_fields)
{
	planned p = plan_document("subscription {\n  nope }", NULL, NULL, "Subscription");
	cJSON *e = gqlws_doc_field_error(gqlws_doc_plan_field(p.plan, 0),
					 "Cannot query field \"nope\" on type \"Subscription\".");
	char *text = cJSON_PrintUnformatted(e);
	ck_assert_str_eq(text, "{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Subscription\\\".\","
			       "\"locations\":[{\"line\":2,\"column\":3}]}");
	cJSON_free(text);
	cJSON_Delete(e);
	e = gqlws_doc_error_new("plain", 0, 0);
	text = cJSON_PrintUnformatted(e);
	ck_assert_str_eq(text, "{\"message\":\"plain\"}");
	cJSON_free(text);
	cJSON_Delete(e);
	planned_free(&p);
}
END_TEST

static Suite *doc_grammar_suite(void)
{
	Suite *s = suite_create("doc_grammar");
	TCase *tc = tcase_create("grammar");
	tcase_add_test(tc, shorthand_query_is_an_anonymous_query);
	tcase_add_test(tc, operation_types_and_names);
	tcase_add_test(tc, fields_have_aliases_and_locations);
	tcase_add_test(tc, scalar_values);
	tcase_add_test(tc, list_and_object_values);
	tcase_add_test(tc, string_escapes);
	tcase_add_test(tc, block_strings);
	tcase_add_test(tc, ignored_tokens);
	tcase_add_test(tc, variable_definitions_with_types_defaults_and_directives);
	tcase_add_test(tc, directives_on_every_location);
	tcase_add_test(tc, keywords_are_ordinary_names_elsewhere);
	tcase_add_test(tc, several_operations_and_fragments_in_any_order);
	tcase_add_test(tc, text_needs_no_terminating_nul);
	tcase_add_test(tc, error_objects_for_fields);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(doc_grammar_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
