/*
 * doc_plan.c - operation selection, variable coercion and defaults,
 * @skip/@include, and root-field collection as an executor sees them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

static gqlws_doc *parse_ok(const char *text)
{
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_msg(doc != NULL, "parse failed: %s", text);
	ck_assert_ptr_null(errors);
	return doc;
}

/* Asserts errors is exactly the expected JSON text, and frees it. */
static void assert_errors(cJSON *errors, const char *expected)
{
	ck_assert_ptr_nonnull(errors);
	char *text = cJSON_PrintUnformatted(errors);
	ck_assert_msg(strcmp(text, expected) == 0, "errors %s, want %s", text, expected);
	cJSON_free(text);
	cJSON_Delete(errors);
}

/* Plans the only operation; NULL plan with errors checked when expected is
 * not NULL. */
static gqlws_doc_plan *plan_with(gqlws_doc *doc, const char *variables, const char *expected_errors)
{
	cJSON *errors = NULL;
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	ck_assert_ptr_nonnull(op);
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, "Subscription", vars, &errors);
	cJSON_Delete(vars);
	if (expected_errors) {
		ck_assert_ptr_null(plan);
		assert_errors(errors, expected_errors);
		return NULL;
	}
	if (!plan) {
		char *e = cJSON_PrintUnformatted(errors);
		ck_abort_msg("plan failed: %s", e);
	}
	return plan;
}

static void assert_json(const cJSON *value, const char *expected)
{
	char *text = cJSON_PrintUnformatted(value);
	ck_assert_msg(strcmp(text, expected) == 0, "got %s, want %s", text, expected);
	cJSON_free(text);
}

/* The response keys of a plan's root fields, comma-separated. */
static void assert_root_keys(const gqlws_doc_plan *plan, const char *expected)
{
	char keys[256] = "";
	for (size_t i = 0; i < gqlws_doc_plan_field_count(plan); i++) {
		if (i)
			strcat(keys, ",");
		strcat(keys, gqlws_doc_field_key(gqlws_doc_plan_field(plan, i)));
	}
	ck_assert_str_eq(keys, expected);
}

/* ------------------------------------------------ operation selection */

START_TEST(single_operation_is_selected_without_a_name)
{
	gqlws_doc *doc = parse_ok("subscription OnCounter { counter { value } }");
	cJSON *errors = NULL;
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	ck_assert_ptr_nonnull(op);
	ck_assert_ptr_null(errors);
	ck_assert_ptr_eq(gqlws_doc_select_operation(doc, "", &errors), op);
	ck_assert_ptr_eq(gqlws_doc_select_operation(doc, "OnCounter", &errors), op);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(operation_is_selected_by_name)
{
	gqlws_doc *doc = parse_ok("query A { hello } subscription B { ticks { seq } } mutation C { x }");
	cJSON *errors = NULL;
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, "B", &errors);
	ck_assert_ptr_nonnull(op);
	ck_assert_str_eq(gqlws_doc_operation_name(op), "B");
	ck_assert_int_eq(gqlws_doc_operation_type(op), GQLWS_DOC_SUBSCRIPTION);
	op = gqlws_doc_select_operation(doc, "C", &errors);
	ck_assert_int_eq(gqlws_doc_operation_type(op), GQLWS_DOC_MUTATION);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(missing_name_with_several_operations_is_an_error)
{
	gqlws_doc *doc = parse_ok("query A { hello } subscription B { ticks { seq } }");
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_doc_select_operation(doc, NULL, &errors));
	assert_errors(errors, "[{\"message\":\"Must provide operation name if query contains multiple operations.\"}]");
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(unknown_operation_name_is_an_error)
{
	gqlws_doc *doc = parse_ok("query A { hello }");
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_doc_select_operation(doc, "Nope", &errors));
	assert_errors(errors, "[{\"message\":\"Unknown operation named \\\"Nope\\\".\"}]");
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(document_of_fragments_only_has_no_operation)
{
	gqlws_doc *doc = parse_ok("fragment F on T { a }");
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_doc_select_operation(doc, NULL, &errors));
	assert_errors(errors, "[{\"message\":\"Must provide an operation.\"}]");
	gqlws_doc_free(doc);
}
END_TEST

/* --------------------------------------------------------- variables */

START_TEST(variables_are_substituted_in_arguments)
{
	gqlws_doc *doc = parse_ok("subscription ($limit: Int, $ms: Int) { counter(limit: $limit, intervalMs: $ms) { value } }");
	gqlws_doc_plan *plan = plan_with(doc, "{\"limit\":3,\"ms\":0,\"extra\":true}", NULL);
	const gqlws_doc_field *f = gqlws_doc_plan_field(plan, 0);
	assert_json(gqlws_doc_field_args(f), "{\"limit\":3,\"intervalMs\":0}");
	ck_assert_double_eq(gqlws_doc_field_arg(f, "limit")->valuedouble, 3);
	ck_assert_ptr_null(gqlws_doc_field_arg(f, "nope"));
	/* only defined variables are kept */
	assert_json(gqlws_doc_plan_variables(plan), "{\"limit\":3,\"ms\":0}");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(defaults_apply_to_variables_not_given)
{
	gqlws_doc *doc = parse_ok("subscription ($limit: Int = 5, $ms: Int! = 100, $o: In = {a: [1, B]}) {"
				  " counter(limit: $limit, intervalMs: $ms, o: $o) { value } }");
	gqlws_doc_plan *plan = plan_with(doc, "{\"limit\":2}", NULL);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(plan, 0)),
		    "{\"limit\":2,\"intervalMs\":100,\"o\":{\"a\":[1,\"B\"]}}");
	gqlws_doc_plan_free(plan);
	/* an explicit null is a value, not a missing variable */
	plan = plan_with(doc, "{\"limit\":null}", NULL);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(plan, 0)),
		    "{\"limit\":null,\"intervalMs\":100,\"o\":{\"a\":[1,\"B\"]}}");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(argument_of_a_missing_optional_variable_is_left_out)
{
	gqlws_doc *doc = parse_ok("subscription ($limit: Int) { counter(limit: $limit, l: [$limit], o: {a: $limit, b: 1}) { value } }");
	gqlws_doc_plan *plan = plan_with(doc, NULL, NULL);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(plan, 0)), "{\"l\":[null],\"o\":{\"b\":1}}");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(missing_required_variable_is_an_error)
{
	gqlws_doc *doc = parse_ok("subscription ($a: Int!, $b: [String!]!) { counter(limit: $a) { value } }");
	plan_with(doc, "{}",
		  "[{\"message\":\"Variable \\\"$a\\\" of required type \\\"Int!\\\" was not provided.\","
		  "\"locations\":[{\"line\":1,\"column\":15}]},"
		  "{\"message\":\"Variable \\\"$b\\\" of required type \\\"[String!]!\\\" was not provided.\","
		  "\"locations\":[{\"line\":1,\"column\":25}]}]");
	plan_with(doc, "{\"a\":null,\"b\":[]}",
		  "[{\"message\":\"Variable \\\"$a\\\" of non-null type \\\"Int!\\\" must not be null.\","
		  "\"locations\":[{\"line\":1,\"column\":15}]}]");
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(undefined_variable_is_an_error)
{
	gqlws_doc *doc = parse_ok("subscription S { counter(limit: $nope) { value } }");
	plan_with(doc, "{\"nope\":1}",
		  "[{\"message\":\"Variable \\\"$nope\\\" is not defined by operation \\\"S\\\".\","
		  "\"locations\":[{\"line\":1,\"column\":33},{\"line\":1,\"column\":1}]}]");
	gqlws_doc_free(doc);
	doc = parse_ok("{ a { ...F } } fragment F on T { b(x: [$v]) }");
	plan_with(doc, NULL,
		  "[{\"message\":\"Variable \\\"$v\\\" is not defined.\","
		  "\"locations\":[{\"line\":1,\"column\":40},{\"line\":1,\"column\":1}]}]");
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(variables_must_be_an_object)
{
	gqlws_doc *doc = parse_ok("{ a }");
	plan_with(doc, "[1]",
		  "[{\"message\":\"Variables must be provided as an Object where each property is a variable value."
		  " Perhaps look to see if an unparsed JSON string was provided.\"}]");
	gqlws_doc_plan *plan = plan_with(doc, "null", NULL);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

/* The message of the only error of planning doc with variables. */
static void assert_variable_error(const char *text, const char *variables, const char *message)
{
	gqlws_doc *doc = parse_ok(text);
	cJSON *errors = NULL;
	cJSON *vars = cJSON_Parse(variables);
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, gqlws_doc_select_operation(doc, NULL, &errors),
						  "Subscription", vars, &errors);
	cJSON_Delete(vars);
	ck_assert_ptr_null(plan);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 0), "message");
	ck_assert_msg(strcmp(msg->valuestring, message) == 0, "got %s, want %s", msg->valuestring, message);
	cJSON_Delete(errors);
	gqlws_doc_free(doc);
}

START_TEST(built_in_scalar_variables_are_checked)
{
	const char *doc = "subscription ($a: Int, $f: Float, $s: String, $b: Boolean, $i: ID) { counter(limit: $a) }";
	assert_variable_error(doc, "{\"a\":\"abc\"}",
			      "Variable \"$a\" got invalid value \"abc\"; Int cannot represent non-integer value: \"abc\"");
	assert_variable_error(doc, "{\"a\":1.5}",
			      "Variable \"$a\" got invalid value 1.5; Int cannot represent non-integer value: 1.5");
	assert_variable_error(doc, "{\"a\":3000000000}",
			      "Variable \"$a\" got invalid value 3000000000; Int cannot represent non 32-bit signed integer value: 3000000000");
	assert_variable_error(doc, "{\"f\":\"x\"}",
			      "Variable \"$f\" got invalid value \"x\"; Float cannot represent non numeric value: \"x\"");
	assert_variable_error(doc, "{\"s\":{\"a\":1,\"b\":[1,\"2\"],\"c\":{\"d\":{}}}}",
			      "Variable \"$s\" got invalid value { a: 1, b: [1, \"2\"], c: { d: {} } }; String cannot represent a non string value: { a: 1, b: [1, \"2\"], c: { d: {} } }");
	assert_variable_error(doc, "{\"b\":1}",
			      "Variable \"$b\" got invalid value 1; Boolean cannot represent a non boolean value: 1");
	assert_variable_error(doc, "{\"i\":true}",
			      "Variable \"$i\" got invalid value true; ID cannot represent value: true");
}
END_TEST

START_TEST(list_variables_are_checked_item_by_item)
{
	assert_variable_error("query ($l: [Int!]) { a(l: $l) }", "{\"l\":[1,null]}",
			      "Variable \"$l\" got invalid value null at \"l[1]\"; Expected non-nullable type \"Int!\" not to be null.");
	assert_variable_error("query ($l: [[Int]]) { a(l: $l) }", "{\"l\":[[1],[2,\"x\"]]}",
			      "Variable \"$l\" got invalid value \"x\" at \"l[1][1]\"; Int cannot represent non-integer value: \"x\"");
}
END_TEST

/* graphql-js shows numbers as JavaScript prints them (expected texts are
 * graphql-js 16's answers for the same variables). */
START_TEST(variable_numbers_are_shown_as_javascript_shows_them)
{
	const char *doc = "subscription ($a: Int, $s: String) { counter(limit: $a, s: $s) }";
	assert_variable_error(doc, "{\"a\":1e400}",
			      "Variable \"$a\" got invalid value Infinity; Int cannot represent non-integer value: Infinity");
	assert_variable_error(doc, "{\"a\":-1e400}",
			      "Variable \"$a\" got invalid value -Infinity; Int cannot represent non-integer value: -Infinity");
	assert_variable_error(doc, "{\"a\":99999999999999999999999}",
			      "Variable \"$a\" got invalid value 1e+23; Int cannot represent non 32-bit signed integer value: 1e+23");
	assert_variable_error(doc, "{\"a\":1e20}",
			      "Variable \"$a\" got invalid value 100000000000000000000; Int cannot represent non 32-bit signed integer value: 100000000000000000000");
	assert_variable_error(doc, "{\"a\":1e21}",
			      "Variable \"$a\" got invalid value 1e+21; Int cannot represent non 32-bit signed integer value: 1e+21");
	assert_variable_error(doc, "{\"a\":1.5e-7}",
			      "Variable \"$a\" got invalid value 1.5e-7; Int cannot represent non-integer value: 1.5e-7");
	assert_variable_error(doc, "{\"a\":0.000001}",
			      "Variable \"$a\" got invalid value 0.000001; Int cannot represent non-integer value: 0.000001");
	assert_variable_error(doc, "{\"a\":123456.789}",
			      "Variable \"$a\" got invalid value 123456.789; Int cannot represent non-integer value: 123456.789");
	assert_variable_error(doc, "{\"a\":[1e400]}",
			      "Variable \"$a\" got invalid value [Infinity]; Int cannot represent non-integer value: [Infinity]");
	assert_variable_error(doc, "{\"s\":5e-324}",
			      "Variable \"$s\" got invalid value 5e-324; String cannot represent a non string value: 5e-324");
	assert_variable_error(doc, "{\"s\":1.7976931348623157e308}",
			      "Variable \"$s\" got invalid value 1.7976931348623157e+308; String cannot represent a non string value: 1.7976931348623157e+308");
	assert_variable_error(doc, "{\"s\":123e-20}",
			      "Variable \"$s\" got invalid value 1.23e-18; String cannot represent a non string value: 1.23e-18");
	assert_variable_error(doc, "{\"s\":-1.25e+30}",
			      "Variable \"$s\" got invalid value -1.25e+30; String cannot represent a non string value: -1.25e+30");
	assert_variable_error(doc, "{\"s\":123456789012345680000}",
			      "Variable \"$s\" got invalid value 123456789012345680000; String cannot represent a non string value: 123456789012345680000");
	assert_variable_error(doc, "{\"a\":\"a\\nb\\t\\u0001\"}",
			      "Variable \"$a\" got invalid value \"a\\nb\\t\\u0001\"; Int cannot represent non-integer value: \"a\\nb\\t\\u0001\"");
}
END_TEST

START_TEST(integer_ids_become_javascript_number_text)
{
	gqlws_doc *doc = parse_ok("subscription ($a: ID, $b: ID, $c: ID, $d: Int) { a(a: $a, b: $b, c: $c, d: $d) }");
	gqlws_doc_plan *plan = plan_with(doc, "{\"a\":1e20,\"b\":1e21,\"c\":-0,\"d\":1e-400}", NULL);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(plan, 0)),
		    "{\"a\":\"100000000000000000000\",\"b\":\"1e+21\",\"c\":\"0\",\"d\":0}");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	assert_variable_error("query ($i: ID) { a(i: $i) }", "{\"i\":1e400}",
			      "Variable \"$i\" got invalid value Infinity; ID cannot represent value: Infinity");
}
END_TEST

START_TEST(default_values_are_checked_as_literals)
{
	gqlws_doc *doc = parse_ok("query ($x: Int = 1e400) { f(i: $x) }");
	plan_with(doc, "{\"x\":1}",
		  "[{\"message\":\"Int cannot represent non-integer value: 1e400\",\"locations\":[{\"line\":1,\"column\":18}]}]");
	gqlws_doc_free(doc);
	doc = parse_ok("query ($x: Int = 99999999999999999999999) { f(i: $x) }");
	plan_with(doc, NULL,
		  "[{\"message\":\"Int cannot represent non 32-bit signed integer value: 99999999999999999999999\",\"locations\":[{\"line\":1,\"column\":18}]}]");
	gqlws_doc_free(doc);
	doc = parse_ok("query ($x: [Int] = [1, 1.5, \"a\"]) { f(i: $x) }");
	plan_with(doc, NULL,
		  "[{\"message\":\"Int cannot represent non-integer value: 1.5\",\"locations\":[{\"line\":1,\"column\":24}]},"
		  "{\"message\":\"Int cannot represent non-integer value: \\\"a\\\"\",\"locations\":[{\"line\":1,\"column\":29}]}]");
	gqlws_doc_free(doc);
	doc = parse_ok("query ($x: Int! = null) { f(i: $x) }");
	plan_with(doc, NULL,
		  "[{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":1,\"column\":19}]}]");
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(variables_are_coerced)
{
	gqlws_doc *doc = parse_ok("subscription ($i: ID, $ids: [ID!]!, $one: [Int], $n: Int, $f: Float, $o: In, $e: Color) {"
				  " a(i: $i, ids: $ids, one: $one, n: $n, f: $f, o: $o, e: $e) }");
	gqlws_doc_plan *plan = plan_with(doc, "{\"i\":7,\"ids\":[\"a\",-2],\"one\":5,\"n\":null,\"f\":2,"
				    "\"o\":{\"any\":[true]},\"e\":\"RED\"}",
				    NULL);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(plan, 0)),
		    "{\"i\":\"7\",\"ids\":[\"a\",\"-2\"],\"one\":[5],\"n\":null,\"f\":2,\"o\":{\"any\":[true]},\"e\":\"RED\"}");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(plan_outlives_the_request_variables)
{
	gqlws_doc *doc = parse_ok("subscription ($l: Int) { counter(limit: $l) { value } }");
	cJSON *errors = NULL;
	cJSON *vars = cJSON_Parse("{\"l\":7}");
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, gqlws_doc_select_operation(doc, NULL, &errors),
						  "Subscription", vars, &errors);
	cJSON_Delete(vars);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(plan, 0)), "{\"limit\":7}");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

/* ---------------------------------------------------- skip / include */

START_TEST(skip_and_include_with_literals)
{
	gqlws_doc *doc = parse_ok("subscription { a @skip(if: true) b @skip(if: false) c @include(if: true)"
				  " d @include(if: false) e @skip(if: false) @include(if: false) f @skip(if: false) @include(if: true) }");
	gqlws_doc_plan *plan = plan_with(doc, NULL, NULL);
	assert_root_keys(plan, "b,c,f");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(skip_and_include_with_variables_and_defaults)
{
	gqlws_doc *doc = parse_ok("subscription ($s: Boolean!, $i: Boolean = false) { a @skip(if: $s) b @include(if: $i)"
				  " ... @include(if: $s) { c } ...F @skip(if: $i) } fragment F on Subscription { d }");
	gqlws_doc_plan *plan = plan_with(doc, "{\"s\":true}", NULL);
	assert_root_keys(plan, "c,d");
	gqlws_doc_plan_free(plan);
	plan = plan_with(doc, "{\"s\":false,\"i\":true}", NULL);
	assert_root_keys(plan, "a,b");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(bad_skip_conditions_are_errors)
{
	gqlws_doc *doc = parse_ok("subscription ($s: Boolean) { a @skip(if: $s) }");
	plan_with(doc, "{}",
		  "[{\"message\":\"Directive \\\"@skip\\\" argument \\\"if\\\" of type \\\"Boolean!\\\" is required, but it was not provided.\","
		  "\"locations\":[{\"line\":1,\"column\":32}]}]");
	gqlws_doc_free(doc);
	/* a type the plan cannot check lets a non-Boolean through to @skip */
	doc = parse_ok("subscription ($s: Flag) { a @skip(if: $s) }");
	plan_with(doc, "{\"s\":\"yes\"}",
		  "[{\"message\":\"Directive \\\"@skip\\\" argument \\\"if\\\" must be a Boolean.\","
		  "\"locations\":[{\"line\":1,\"column\":39}]}]");
	gqlws_doc_free(doc);
	doc = parse_ok("{ a @include }");
	plan_with(doc, NULL,
		  "[{\"message\":\"Directive \\\"@include\\\" argument \\\"if\\\" of type \\\"Boolean!\\\" is required, but it was not provided.\","
		  "\"locations\":[{\"line\":1,\"column\":5}]}]");
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(unknown_directives_are_ignored)
{
	gqlws_doc *doc = parse_ok("subscription { a @live b @defer(label: \"x\") }");
	gqlws_doc_plan *plan = plan_with(doc, NULL, NULL);
	assert_root_keys(plan, "a,b");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

/* -------------------------------------------------------- root fields */

START_TEST(root_fragments_apply_for_the_root_type)
{
	gqlws_doc *doc = parse_ok("subscription { ...Root ... on Subscription { b } ... on Query { c } ... { d }"
				  " ...Other } fragment Root on Subscription { a } fragment Other on Query { e }");
	gqlws_doc_plan *plan = plan_with(doc, NULL, NULL);
	assert_root_keys(plan, "a,b,d");
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(root_fields_with_one_response_key_merge)
{
	gqlws_doc *doc = parse_ok("subscription { counter(limit: 1) { value } x: ticks ...F counter { at } }"
				  " fragment F on Subscription { counter { value } }");
	gqlws_doc_plan *plan = plan_with(doc, NULL, NULL);
	assert_root_keys(plan, "counter,x");
	const gqlws_doc_field *f = gqlws_doc_plan_field(plan, 0);
	ck_assert_uint_eq(gqlws_doc_field_line(f), 1);
	ck_assert_uint_eq(gqlws_doc_field_column(f), 16);
	assert_json(gqlws_doc_field_args(f), "{\"limit\":1}");
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	cJSON *data = cJSON_Parse("{\"at\":2,\"value\":1,\"other\":3}");
	ck_assert_int_eq(gqlws_doc_project_text(plan, f, data, "Counter", &out), 0);
	ck_assert_str_eq(out.data, "{\"value\":1,\"at\":2}");
	cJSON_Delete(data);
	gqlws_doc_buf_free(&out);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(many_root_fields_with_repeated_keys)
{
	char text[2048] = "subscription {";
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 30; i++) {
			char f[32];
			snprintf(f, sizeof f, " f%d: counter%s", i, pass ? " { value }" : "");
			strcat(text, f);
		}
	strcat(text, " }");
	gqlws_doc *doc = parse_ok(text);
	gqlws_doc_plan *plan = plan_with(doc, NULL, NULL);
	ck_assert_uint_eq(gqlws_doc_plan_field_count(plan), 30);
	ck_assert_str_eq(gqlws_doc_field_key(gqlws_doc_plan_field(plan, 29)), "f29");
	ck_assert(gqlws_doc_field_has_selection(gqlws_doc_plan_field(plan, 29)));
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}
END_TEST

START_TEST(one_document_many_plans)
{
	gqlws_doc *doc = parse_ok("subscription ($l: Int) { counter(limit: $l) { value } }");
	gqlws_doc_plan *a = plan_with(doc, "{\"l\":1}", NULL);
	gqlws_doc_plan *b = plan_with(doc, "{\"l\":2}", NULL);
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(a, 0)), "{\"limit\":1}");
	assert_json(gqlws_doc_field_args(gqlws_doc_plan_field(b, 0)), "{\"limit\":2}");
	gqlws_doc_plan_free(a);
	gqlws_doc_plan_free(b);
	gqlws_doc_free(doc);
	gqlws_doc_plan_free(NULL);
	gqlws_doc_free(NULL);
}
END_TEST

/* What an executor charges for keeping a document and its plan: the heap
 * they take, which grows with the document and is several times its text. */
START_TEST(document_and_plan_report_the_heap_they_take)
{
	static char big[48000];
	size_t len = (size_t)snprintf(big, sizeof big, "subscription { counter { ");
	for (int i = 0; i < 3300; i++)
		len += (size_t)snprintf(big + len, sizeof big - len, "a%d: value ", i);
	snprintf(big + len, sizeof big - len, "} }");

	gqlws_doc *small = parse_ok("subscription { counter { value } }");
	gqlws_doc *large = parse_ok(big);
	gqlws_doc_plan *small_plan = plan_with(small, "{\"v\":\"text\"}", NULL);
	gqlws_doc_plan *large_plan = plan_with(large, NULL, NULL);

	ck_assert_uint_gt(gqlws_doc_bytes(small), 0);
	ck_assert_uint_lt(gqlws_doc_bytes(small), 4096);
	ck_assert_uint_gt(gqlws_doc_bytes(large), 4 * strlen(big));
	ck_assert_uint_gt(gqlws_doc_plan_bytes(small_plan), 0);
	ck_assert_uint_gt(gqlws_doc_plan_bytes(large_plan), gqlws_doc_plan_bytes(small_plan));
	ck_assert_uint_eq(gqlws_doc_bytes(NULL), 0);
	ck_assert_uint_eq(gqlws_doc_plan_bytes(NULL), 0);
	gqlws_doc_plan_free(small_plan);
	gqlws_doc_plan_free(large_plan);
	gqlws_doc_free(small);
	gqlws_doc_free(large);
}
END_TEST

static Suite *doc_plan_suite(void)
{
	Suite *s = suite_create("doc_plan");
	TCase *select = tcase_create("operation selection");
	tcase_add_test(select, single_operation_is_selected_without_a_name);
	tcase_add_test(select, document_and_plan_report_the_heap_they_take);
	tcase_add_test(select, operation_is_selected_by_name);
	tcase_add_test(select, missing_name_with_several_operations_is_an_error);
	tcase_add_test(select, unknown_operation_name_is_an_error);
	tcase_add_test(select, document_of_fragments_only_has_no_operation);
	suite_add_tcase(s, select);
	TCase *vars = tcase_create("variables");
	tcase_add_test(vars, variables_are_substituted_in_arguments);
	tcase_add_test(vars, defaults_apply_to_variables_not_given);
	tcase_add_test(vars, argument_of_a_missing_optional_variable_is_left_out);
	tcase_add_test(vars, missing_required_variable_is_an_error);
	tcase_add_test(vars, undefined_variable_is_an_error);
	tcase_add_test(vars, variables_must_be_an_object);
	tcase_add_test(vars, plan_outlives_the_request_variables);
	tcase_add_test(vars, built_in_scalar_variables_are_checked);
	tcase_add_test(vars, list_variables_are_checked_item_by_item);
	tcase_add_test(vars, variables_are_coerced);
	tcase_add_test(vars, variable_numbers_are_shown_as_javascript_shows_them);
	tcase_add_test(vars, integer_ids_become_javascript_number_text);
	tcase_add_test(vars, default_values_are_checked_as_literals);
	suite_add_tcase(s, vars);
	TCase *dirs = tcase_create("directives");
	tcase_add_test(dirs, skip_and_include_with_literals);
	tcase_add_test(dirs, skip_and_include_with_variables_and_defaults);
	tcase_add_test(dirs, bad_skip_conditions_are_errors);
	tcase_add_test(dirs, unknown_directives_are_ignored);
	suite_add_tcase(s, dirs);
	TCase *root = tcase_create("root fields");
	tcase_add_test(root, root_fragments_apply_for_the_root_type);
	tcase_add_test(root, root_fields_with_one_response_key_merge);
	tcase_add_test(root, many_root_fields_with_repeated_keys);
	tcase_add_test(root, one_document_many_plans);
	suite_add_tcase(s, root);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(doc_plan_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
