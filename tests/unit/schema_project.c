/*
 * schema_project.c - typed results (gqlws_schema_project_text and
 * gqlws_schema_result_text) against graphql-js 16.15.0: leaves serialised
 * as it serialises results, lists, abstract types by __typename, fragments
 * by the runtime type, non-null violations with path and locations, null
 * propagated to the nearest nullable parent, errors in its order; and
 * requests (gqlws_schema_request_new): variables coerced by their types
 * (enums, input objects, @oneOf, the 50-error limit), schema argument
 * defaults, `Schema is not configured` and @skip/@include with a null `if`
 * answered as results, introspection switched off.
 *
 * Every expected text is graphql-js's own answer for the same SDL,
 * document and rootValue, printed by:
 *   node -e 'const g=require("graphql");const s=g.buildSchema(SDL);
 *     console.log(JSON.stringify(g.execute({schema:s,document:g.parse(QUERY),
 *       rootValue:JSON.parse(ROOT),variableValues:VARIABLES})))'
 * and for requests, the errors of g.validate(s,doc,rules) (rules with
 * g.NoSchemaIntrospectionCustomRule when introspection is off), else of
 * g.execute({...,rootValue:{echo:(args)=>JSON.stringify(args)}}), else the
 * arguments echo returned.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

static const char test_sdl[] =
	"schema { query: Query subscription: Subscription }\n"
	"type Query {\n"
	"  stock: Stock\n"
	"  stocks: [Stock!]\n"
	"  strict: Stock!\n"
	"  node: Node\n"
	"  search: [SearchResult]\n"
	"  ints: [Int]\n"
	"  nonNullInts: [Int!]!\n"
	"  matrix: [[Int!]]\n"
	"  color: Color\n"
	"  colors: [Color!]\n"
	"  json: JSON\n"
	"  i: Int\n"
	"  f: Float\n"
	"  s: String\n"
	"  b: Boolean\n"
	"  id: ID\n"
	"  person: Person\n"
	"  strings: [String]\n"
	"  floats: [Float]\n"
	"  bools: [Boolean]\n"
	"  ids: [ID]\n"
	"  echo(filter: Filter, pick: Pick, color: Color, n: Int = 7, ints: [Int], id: ID): String\n"
	"}\n"
	"input Filter { symbol: String! min: Float = 0 colors: [Color!] nested: Filter }\n"
	"input Pick @oneOf { id: ID name: String }\n"
	"type Subscription { stock: Stock }\n"
	"scalar JSON\n"
	"enum Color { RED GREEN }\n"
	"interface Node { id: ID! }\n"
	"type Stock implements Node { id: ID! symbol: String! price: Float! volume: Int tags: [String!]! owner: Person }\n"
	"type Person implements Node { id: ID! name: String friends: [Person!] }\n"
	"union SearchResult = Stock | Person\n";

static gqlws_schema *test_schema;

static void schema_setup(void)
{
	cJSON *errors = NULL;
	test_schema = gqlws_schema_parse(test_sdl, strlen(test_sdl), &errors);
	ck_assert_msg(test_schema != NULL, "the test SDL does not build");
	cJSON_Delete(errors);
}

static void schema_teardown(void)
{
	gqlws_schema_free(test_schema);
	test_schema = NULL;
}

/* Validates and plans query (with variables, JSON text or NULL) against
 * the test schema, then checks that the result for rootValue root (JSON
 * text or NULL) is exactly expected, text for text. */
static void assert_result(const char *query, const char *variables, const char *root,
			  const char *expected)
{
	cJSON *errors = NULL;
	gqlws_doc_status status;
	gqlws_doc *doc = gqlws_schema_parse_document(test_schema, query, strlen(query), NULL, &errors, &status);
	if (!doc) {
		char *text = cJSON_PrintUnformatted(errors);
		ck_abort_msg("%s does not validate: %s", query, text);
	}
	const gqlws_doc_operation *op = gqlws_doc_select_operation(doc, NULL, &errors);
	ck_assert_ptr_nonnull(op);
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_doc_plan *plan = gqlws_doc_plan_new(doc, op, gqlws_schema_root_type(test_schema, gqlws_doc_operation_type(op)),
						  vars, &errors);
	ck_assert_ptr_nonnull(plan);
	cJSON *value = root ? cJSON_Parse(root) : NULL;
	ck_assert(root == NULL || value != NULL);

	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_schema_result_text(test_schema, plan, value, &out), 0);
	ck_assert_msg(strcmp(out.data, expected) == 0, "%s\n got  %s\n want %s", query, out.data, expected);

	gqlws_doc_buf_free(&out);
	cJSON_Delete(value);
	cJSON_Delete(vars);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
}

/* Runs query (variables: JSON text or NULL) as gqlws_schema_request_new
 * does with flags. expected_errors: graphql-js's errors (validation, or
 * execute() before any field runs) as JSON text, text for text; NULL: the
 * request is made, and the arguments of its root field `echo` equal
 * expected_args (JSON text), which graphql-js handed to echo's resolver. */
static void assert_request(const char *query, const char *variables, unsigned flags,
			   const char *expected_errors, const char *expected_args)
{
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_request req = {.id = "1", .query = query, .query_len = strlen(query), .variables = vars};
	cJSON *errors = NULL;
	gqlws_doc_status status;
	gqlws_schema_request *r = gqlws_schema_request_new(test_schema, &req, NULL, flags, &errors, &status);

	if (expected_errors) {
		ck_assert_ptr_null(r);
		ck_assert_int_eq(status, GQLWS_DOC_INVALID);
		char *text = cJSON_PrintUnformatted(errors);
		ck_assert_msg(strcmp(text, expected_errors) == 0, "%s\n got  %s\n want %s", query, text,
			      expected_errors);
		cJSON_free(text);
	} else {
		char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
		ck_assert_msg(r != NULL, "%s refused: %s", query, text ? text : "(out of memory)");
		const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
		const gqlws_doc_field *echo = NULL;
		for (size_t i = 0; i < gqlws_doc_plan_field_count(plan); i++)
			if (!strcmp(gqlws_doc_field_name(gqlws_doc_plan_field(plan, i)), "echo"))
				echo = gqlws_doc_plan_field(plan, i);
		ck_assert_ptr_nonnull(echo);
		cJSON *want = cJSON_Parse(expected_args);
		char *got = cJSON_PrintUnformatted(gqlws_doc_field_args(echo));
		ck_assert_msg(cJSON_Compare(gqlws_doc_field_args(echo), want, true), "%s\n got  %s\n want %s",
			      query, got, expected_args);
		cJSON_free(got);
		cJSON_Delete(want);
	}
	gqlws_schema_request_free(r);
	cJSON_Delete(errors);
	cJSON_Delete(vars);
}

/* Makes the request query (variables: JSON text or NULL) against schema
 * with gqlws_schema_request_new, checks gqlws_schema_request_answered()
 * is answered, then that its result for rootValue root (JSON text or NULL)
 * is exactly expected: graphql-js's execute() (subscribe() for a
 * subscription) answer, text for text. */
static void assert_request_result(const gqlws_schema *schema, const char *query, const char *variables,
				  const char *root, bool answered, const char *expected)
{
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_request req = {.id = "1", .query = query, .query_len = strlen(query), .variables = vars};
	cJSON *errors = NULL;
	gqlws_doc_status status;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, 0, &errors, &status);
	char *refused = errors ? cJSON_PrintUnformatted(errors) : NULL;
	ck_assert_msg(r != NULL, "%s refused: %s", query, refused ? refused : "(out of memory)");
	ck_assert_int_eq(gqlws_schema_request_answered(r), answered);
	cJSON *value = root ? cJSON_Parse(root) : NULL;
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_schema_result_text(schema, gqlws_schema_request_plan(r), value, &out), 0);
	ck_assert_msg(strcmp(out.data, expected) == 0, "%s\n got  %s\n want %s", query, out.data, expected);
	gqlws_doc_buf_free(&out);
	cJSON_Delete(value);
	gqlws_schema_request_free(r);
	cJSON_Delete(vars);
}

/* {"l":["x0", ..., "x59"]}: 60 items no Int can be. */
static const char *fifty_bad_items(void)
{
	static char text[1024];
	size_t at = (size_t)snprintf(text, sizeof text, "{\"l\":[");
	for (int i = 0; i < 60; i++)
		at += (size_t)snprintf(text + at, sizeof text - at, "%s\"x%d\"", i ? "," : "", i);
	snprintf(text + at, sizeof text - at, "]}");
	return text;
}

/* As assert_request, for a refusal of `count` errors whose last one says
 * last_message. */
static void assert_request_error_count(const char *query, const char *variables, unsigned flags,
				       int count, const char *last_message)
{
	cJSON *vars = cJSON_Parse(variables);
	gqlws_request req = {.id = "1", .query = query, .query_len = strlen(query), .variables = vars};
	cJSON *errors = NULL;
	gqlws_doc_status status;
	gqlws_schema_request *r = gqlws_schema_request_new(test_schema, &req, NULL, flags, &errors, &status);

	ck_assert_ptr_null(r);
	ck_assert_int_eq(cJSON_GetArraySize(errors), count);
	const cJSON *last = cJSON_GetArrayItem(errors, count - 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(last, "message")->valuestring, last_message);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(last, "locations"));
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 49), "message")->valuestring,
			 "Variable \"$l\" got invalid value \"x49\" at \"l[49]\"; Int cannot represent non-integer value: \"x49\"");
	cJSON_Delete(errors);
	cJSON_Delete(vars);
}

START_TEST(leaves_serialise_as_graphql_js)
{
	assert_result("{ i f s b id }",
		      NULL,
		      "{\"i\":1.0,\"f\":\"1.50\",\"s\":12,\"b\":0,\"id\":42}",
		      "{\"data\":{\"i\":1,\"f\":1.5,\"s\":\"12\",\"b\":false,\"id\":\"42\"}}");
}
END_TEST

START_TEST(int_from_booleans_and_numeric_strings)
{
	assert_result("{ ints }",
		      NULL,
		      "{\"ints\":[true,false,\" 12 \",\"0x1F\",\"1e3\",\"0b11\",\"-0\",\"\",\"Infinity\",\" \\u00"
		      "a012\\u3000\"]}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\",\"locations"
		      "\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",7]},{\"message\":\"Int cannot represent "
		      "non-integer value: \\\"Infinity\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":["
		      "\"ints\",8]}],\"data\":{\"ints\":[1,0,12,31,1000,3,0,null,null,12]}}");
}
END_TEST

START_TEST(int_refuses_fractions)
{
	assert_result("{ i }",
		      NULL,
		      "{\"i\":1.5}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: 1.5\",\"locations\":[{"
		      "\"line\":1,\"column\":3}],\"path\":[\"i\"]}],\"data\":{\"i\":null}}");
}
END_TEST

START_TEST(int_refuses_values_beyond_32_bits)
{
	assert_result("{ i }",
		      NULL,
		      "{\"i\":2147483648}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed integer value: 21474836"
		      "48\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\"]}],\"data\":{\"i\":null}}");
}
END_TEST

START_TEST(int_refuses_empty_string)
{
	assert_result("{ i }",
		      NULL,
		      "{\"i\":\"\"}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\",\"locations"
		      "\":[{\"line\":1,\"column\":3}],\"path\":[\"i\"]}],\"data\":{\"i\":null}}");
}
END_TEST

START_TEST(int_refuses_objects_shown_as_inspect_shows_them)
{
	assert_result("{ i }",
		      NULL,
		      "{\"i\":{\"b\":1,\"2\":[1,\"x\"],\"1\":{\"c\":{\"d\":{\"e\":1}}},\"e\":{}}}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: { 1: { c: [Object] }, "
		      "2: [1, \\\"x\\\"], b: 1, e: {} }\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i"
		      "\"]}],\"data\":{\"i\":null}}");
}
END_TEST

START_TEST(int_refuses_numeric_string_beyond_32_bits)
{
	assert_result("{ i }",
		      NULL,
		      "{\"i\":\"99999999999\"}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed integer value: \\\"9999"
		      "9999999\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"i\"]}],\"data\":{\"i\""
		      ":null}}");
}
END_TEST

START_TEST(float_refuses_non_numeric)
{
	assert_result("{ f }",
		      NULL,
		      "{\"f\":\"abc\"}",
		      "{\"errors\":[{\"message\":\"Float cannot represent non numeric value: \\\"abc\\\"\",\"loca"
		      "tions\":[{\"line\":1,\"column\":3}],\"path\":[\"f\"]}],\"data\":{\"f\":null}}");
}
END_TEST

START_TEST(float_from_boolean)
{
	assert_result("{ f }",
		      NULL,
		      "{\"f\":true}",
		      "{\"data\":{\"f\":1}}");
}
END_TEST

START_TEST(string_from_numbers_as_javascript_prints_them)
{
	assert_result("{ strings }",
		      NULL,
		      "{\"strings\":[0.1,1e21,1.5e-7,-0,123456789012345680000,true,\"x\",null,1e400]}",
		      "{\"errors\":[{\"message\":\"String cannot represent value: Infinity\",\"locations\":[{\"li"
		      "ne\":1,\"column\":3}],\"path\":[\"strings\",8]}],\"data\":{\"strings\":[\"0.1\",\"1e+21\","
		      "\"1.5e-7\",\"0\",\"123456789012345680000\",\"true\",\"x\",null,null]}}");
}
END_TEST

START_TEST(float_from_numbers_booleans_and_strings)
{
	assert_result("{ floats }",
		      NULL,
		      "{\"floats\":[1,0.1,true,\"2.5\",\" \",\"0x10\",\"1e400\",1e300]}",
		      "{\"errors\":[{\"message\":\"Float cannot represent non numeric value: \\\"1e400\\\"\",\"lo"
		      "cations\":[{\"line\":1,\"column\":3}],\"path\":[\"floats\",6]}],\"data\":{\"floats\":[1,0."
		      "1,1,2.5,0,16,null,1e+300]}}");
}
END_TEST

START_TEST(strings_escaped_as_json_stringify_escapes_them)
{
	assert_result("{ strings }",
		      NULL,
		      "{\"strings\":[\"0123456789\\\"abc\\\\def\\u0001ghi\\u001fjkl\\tmnopqrstu\\n\",\"h\\u00e9ll"
		      "o w\\u00f6rld \\u2713 \\u2028 and a long tail without escapes at all\",\"\\\"\",\"\\\\\",\""
		      "1234567\\\"\",\"12345678\\u007f\"]}",
		      "{\"data\":{\"strings\":[\"0123456789\\\"abc\\\\def\\u0001ghi\\u001fjkl\\tmnopqrstu\\n\",\""
		      "héllo wörld ✓   and a long tail without escapes at all\",\"\\\"\",\"\\\\\",\"1234567\\\"\""
		      ",\"12345678\"]}}");
}
END_TEST

START_TEST(floats_written_as_javascript_writes_them)
{
	assert_result("{ floats }",
		      NULL,
		      "{\"floats\":[0.05,0.000001,-0.5,123456.789012,1.0000001,0.30000000000000004,20000000000000"
		      "00.5,1e-7,-1e21,123456789.125,0.1,-0]}",
		      "{\"data\":{\"floats\":[0.05,0.000001,-0.5,123456.789012,1.0000001,0.30000000000000004,2000"
		      "000000000000.5,1e-7,-1e+21,123456789.125,0.1,0]}}");
}
END_TEST

START_TEST(many_fragments_each_collected_once)
{
	assert_result("{ stock { ...F0 ...F1 ...F2 ...F3 ...F4 ...F5 ...F6 ...F7 ...F8 ...F9 ...F10 ...F11 ...F12"
		      " ...F13 ...F14 ...F15 ...F16 ...F17 ...F18 ...F19 ...F0 } } fragment F0 on Stock { price }"
		      " fragment F1 on Stock { price } fragment F2 on Stock { price } fragment F3 on Stock { pric"
		      "e } fragment F4 on Stock { price } fragment F5 on Stock { price } fragment F6 on Stock { p"
		      "rice } fragment F7 on Stock { price } fragment F8 on Stock { price } fragment F9 on Stock "
		      "{ price } fragment F10 on Stock { price } fragment F11 on Stock { price } fragment F12 on "
		      "Stock { price } fragment F13 on Stock { price } fragment F14 on Stock { price } fragment F"
		      "15 on Stock { price } fragment F16 on Stock { price } fragment F17 on Stock { price } frag"
		      "ment F18 on Stock { price } fragment F19 on Stock { price }",
		      NULL,
		      "{\"stock\":{\"price\":null}}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Stock.price.\",\"loc"
		      "ations\":[{\"line\":1,\"column\":174},{\"line\":1,\"column\":205},{\"line\":1,\"column\":2"
		      "36},{\"line\":1,\"column\":267},{\"line\":1,\"column\":298},{\"line\":1,\"column\":329},{\""
		      "line\":1,\"column\":360},{\"line\":1,\"column\":391},{\"line\":1,\"column\":422},{\"line\""
		      ":1,\"column\":453},{\"line\":1,\"column\":485},{\"line\":1,\"column\":517},{\"line\":1,\"c"
		      "olumn\":549},{\"line\":1,\"column\":581},{\"line\":1,\"column\":613},{\"line\":1,\"column\""
		      ":645},{\"line\":1,\"column\":677},{\"line\":1,\"column\":709},{\"line\":1,\"column\":741},"
		      "{\"line\":1,\"column\":773}],\"path\":[\"stock\",\"price\"]}],\"data\":{\"stock\":null}}");
}
END_TEST

START_TEST(many_response_keys_merged_by_hashing)
{
	assert_result("{ stock { a0: id a1: id a2: id a3: id a4: id a5: id a6: id a7: id a8: id a9: id a10: id a1"
		      "1: id a12: id a13: id a14: id a15: id a16: id a17: id a18: id a19: id a20: id a21: id a22:"
		      " id a23: id a24: id a25: id a26: id a27: id a28: id a29: id a30: id a31: id a32: id a33: i"
		      "d a34: id a35: id a36: id a37: id a38: id a39: id a3: id a39: id symbol } }",
		      NULL,
		      "{\"stock\":{\"id\":\"s\",\"symbol\":\"S\"}}",
		      "{\"data\":{\"stock\":{\"a0\":\"s\",\"a1\":\"s\",\"a2\":\"s\",\"a3\":\"s\",\"a4\":\"s\",\"a"
		      "5\":\"s\",\"a6\":\"s\",\"a7\":\"s\",\"a8\":\"s\",\"a9\":\"s\",\"a10\":\"s\",\"a11\":\"s\","
		      "\"a12\":\"s\",\"a13\":\"s\",\"a14\":\"s\",\"a15\":\"s\",\"a16\":\"s\",\"a17\":\"s\",\"a18\""
		      ":\"s\",\"a19\":\"s\",\"a20\":\"s\",\"a21\":\"s\",\"a22\":\"s\",\"a23\":\"s\",\"a24\":\"s\""
		      ",\"a25\":\"s\",\"a26\":\"s\",\"a27\":\"s\",\"a28\":\"s\",\"a29\":\"s\",\"a30\":\"s\",\"a31"
		      "\":\"s\",\"a32\":\"s\",\"a33\":\"s\",\"a34\":\"s\",\"a35\":\"s\",\"a36\":\"s\",\"a37\":\"s"
		      "\",\"a38\":\"s\",\"a39\":\"s\",\"symbol\":\"S\"}}}");
}
END_TEST

START_TEST(boolean_and_id_lists)
{
	assert_result("{ bools ids }",
		      NULL,
		      "{\"bools\":[true,0,-1.5,\"\",null],\"ids\":[\"a\",1,-3,1e21,true]}",
		      "{\"errors\":[{\"message\":\"Boolean cannot represent a non boolean value: \\\"\\\"\",\"loc"
		      "ations\":[{\"line\":1,\"column\":3}],\"path\":[\"bools\",3]},{\"message\":\"ID cannot repr"
		      "esent value: true\",\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"ids\",4]}],\"dat"
		      "a\":{\"bools\":[true,false,true,null,null],\"ids\":[\"a\",\"1\",\"-3\",\"1e+21\",null]}}");
}
END_TEST

START_TEST(string_refuses_lists_after_ten_items)
{
	assert_result("{ s }",
		      NULL,
		      "{\"s\":[1,2,3,4,5,6,7,8,9,10,11,12]}",
		      "{\"errors\":[{\"message\":\"String cannot represent value: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10,"
		      " ... 2 more items]\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"s\"]}],\"data\""
		      ":{\"s\":null}}");
}
END_TEST

START_TEST(boolean_refuses_strings)
{
	assert_result("{ b }",
		      NULL,
		      "{\"b\":\"true\"}",
		      "{\"errors\":[{\"message\":\"Boolean cannot represent a non boolean value: \\\"true\\\"\",\""
		      "locations\":[{\"line\":1,\"column\":3}],\"path\":[\"b\"]}],\"data\":{\"b\":null}}");
}
END_TEST

START_TEST(boolean_from_numbers)
{
	assert_result("{ b }",
		      NULL,
		      "{\"b\":2}",
		      "{\"data\":{\"b\":true}}");
}
END_TEST

START_TEST(id_from_integers_only)
{
	assert_result("{ id }",
		      NULL,
		      "{\"id\":1.5}",
		      "{\"errors\":[{\"message\":\"ID cannot represent value: 1.5\",\"locations\":[{\"line\":1,\""
		      "column\":3}],\"path\":[\"id\"]}],\"data\":{\"id\":null}}");
}
END_TEST

START_TEST(id_of_a_large_integer)
{
	assert_result("{ id }",
		      NULL,
		      "{\"id\":1e21}",
		      "{\"data\":{\"id\":\"1e+21\"}}");
}
END_TEST

START_TEST(enum_by_value_name)
{
	assert_result("{ color colors }",
		      NULL,
		      "{\"color\":\"RED\",\"colors\":[\"GREEN\",\"RED\"]}",
		      "{\"data\":{\"color\":\"RED\",\"colors\":[\"GREEN\",\"RED\"]}}");
}
END_TEST

START_TEST(enum_refuses_unknown_names)
{
	assert_result("{ color }",
		      NULL,
		      "{\"color\":\"BLUE\"}",
		      "{\"errors\":[{\"message\":\"Enum \\\"Color\\\" cannot represent value: \\\"BLUE\\\"\",\"lo"
		      "cations\":[{\"line\":1,\"column\":3}],\"path\":[\"color\"]}],\"data\":{\"color\":null}}");
}
END_TEST

START_TEST(enum_refuses_non_strings)
{
	assert_result("{ color }",
		      NULL,
		      "{\"color\":1}",
		      "{\"errors\":[{\"message\":\"Enum \\\"Color\\\" cannot represent value: 1\",\"locations\":["
		      "{\"line\":1,\"column\":3}],\"path\":[\"color\"]}],\"data\":{\"color\":null}}");
}
END_TEST

START_TEST(custom_scalar_passes_json_as_is)
{
	assert_result("{ json }",
		      NULL,
		      "{\"json\":{\"a\":[1,{\"b\":null}],\"c\":\"x\\n\",\"d\":1e-7}}",
		      "{\"data\":{\"json\":{\"a\":[1,{\"b\":null}],\"c\":\"x\\n\",\"d\":1e-7}}}");
}
END_TEST

START_TEST(non_null_field_nulls_its_nullable_parent)
{
	assert_result("{ stock { symbol price } }",
		      NULL,
		      "{\"stock\":{\"symbol\":\"X\",\"price\":null}}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Stock.price.\",\"loc"
		      "ations\":[{\"line\":1,\"column\":18}],\"path\":[\"stock\",\"price\"]}],\"data\":{\"stock\""
		      ":null}}");
}
END_TEST

START_TEST(non_null_root_field_nulls_data)
{
	assert_result("{ i strict { price } }",
		      NULL,
		      "{\"i\":1,\"strict\":{\"price\":null}}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Stock.price.\",\"loc"
		      "ations\":[{\"line\":1,\"column\":14}],\"path\":[\"strict\",\"price\"]}],\"data\":null}");
}
END_TEST

START_TEST(non_null_list_item_nulls_the_list)
{
	assert_result("{ stocks { symbol price } }",
		      NULL,
		      "{\"stocks\":[{\"symbol\":\"A\",\"price\":1},{\"symbol\":\"B\"}]}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Stock.price.\",\"loc"
		      "ations\":[{\"line\":1,\"column\":19}],\"path\":[\"stocks\",1,\"price\"]}],\"data\":{\"stoc"
		      "ks\":null}}");
}
END_TEST

START_TEST(nullable_list_item_becomes_null)
{
	assert_result("{ ints }",
		      NULL,
		      "{\"ints\":[1,\"x\",3]}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\",\"location"
		      "s\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",1]}],\"data\":{\"ints\":[1,null,3]}}");
}
END_TEST

START_TEST(non_null_list_of_non_null_items_nulls_data)
{
	assert_result("{ nonNullInts }",
		      NULL,
		      "{\"nonNullInts\":[1,null,\"y\"]}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.nonNullInts.\""
		      ",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"nonNullInts\",1]}],\"data\":null}");
}
END_TEST

START_TEST(inner_list_nulls_at_its_own_level)
{
	assert_result("{ matrix }",
		      NULL,
		      "{\"matrix\":[[1,null],[2]]}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.matrix.\",\"lo"
		      "cations\":[{\"line\":1,\"column\":3}],\"path\":[\"matrix\",0,1]}],\"data\":{\"matrix\":[nu"
		      "ll,[2]]}}");
}
END_TEST

START_TEST(list_expected_where_a_scalar_is)
{
	assert_result("{ ints }",
		      NULL,
		      "{\"ints\":5}",
		      "{\"errors\":[{\"message\":\"Expected Iterable, but did not find one for field \\\"Query.in"
		      "ts\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\"]}],\"data\":{\"ints"
		      "\":null}}");
}
END_TEST

START_TEST(list_expected_where_a_string_is)
{
	assert_result("{ ints }",
		      NULL,
		      "{\"ints\":\"abc\"}",
		      "{\"errors\":[{\"message\":\"Expected Iterable, but did not find one for field \\\"Query.in"
		      "ts\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\"]}],\"data\":{\"ints"
		      "\":null}}");
}
END_TEST

START_TEST(list_expected_where_an_object_is)
{
	assert_result("{ ints }",
		      NULL,
		      "{\"ints\":{\"0\":1}}",
		      "{\"errors\":[{\"message\":\"Expected Iterable, but did not find one for field \\\"Query.in"
		      "ts\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\"]}],\"data\":{\"ints"
		      "\":null}}");
}
END_TEST

START_TEST(interface_resolved_by_typename)
{
	assert_result("{ node { __typename id ... on Stock { symbol } ... on Person { name } } }",
		      NULL,
		      "{\"node\":{\"__typename\":\"Stock\",\"id\":7,\"symbol\":\"X\",\"name\":\"no\"}}",
		      "{\"data\":{\"node\":{\"__typename\":\"Stock\",\"id\":\"7\",\"symbol\":\"X\"}}}");
}
END_TEST

START_TEST(abstract_value_without_typename)
{
	assert_result("{ node { id } }",
		      NULL,
		      "{\"node\":{\"id\":\"1\"}}",
		      "{\"errors\":[{\"message\":\"Abstract type \\\"Node\\\" must resolve to an Object type at r"
		      "untime for field \\\"Query.node\\\". Either the \\\"Node\\\" type should provide a \\\"res"
		      "olveType\\\" function or each possible type should provide an \\\"isTypeOf\\\" function.\""
		      ",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"node\"]}],\"data\":{\"node\":null}}");
}
END_TEST

START_TEST(abstract_value_of_unknown_type)
{
	assert_result("{ node { id } }",
		      NULL,
		      "{\"node\":{\"__typename\":\"Nope\",\"id\":\"1\"}}",
		      "{\"errors\":[{\"message\":\"Abstract type \\\"Node\\\" was resolved to a type \\\"Nope\\\""
		      " that does not exist inside the schema.\",\"locations\":[{\"line\":1,\"column\":3}],\"path"
		      "\":[\"node\"]}],\"data\":{\"node\":null}}");
}
END_TEST

START_TEST(abstract_value_of_non_object_type)
{
	assert_result("{ node { id } }",
		      NULL,
		      "{\"node\":{\"__typename\":\"Color\",\"id\":\"1\"}}",
		      "{\"errors\":[{\"message\":\"Abstract type \\\"Node\\\" was resolved to a non-object type \\\""
		      "Color\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"node\"]}],\"data\":{\"n"
		      "ode\":null}}");
}
END_TEST

START_TEST(abstract_value_of_impossible_type)
{
	assert_result("{ node { id } }",
		      NULL,
		      "{\"node\":{\"__typename\":\"Query\",\"id\":\"1\"}}",
		      "{\"errors\":[{\"message\":\"Runtime Object type \\\"Query\\\" is not a possible type for \\\""
		      "Node\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"node\"]}],\"data\":{\"no"
		      "de\":null}}");
}
END_TEST

START_TEST(abstract_value_that_is_no_object)
{
	assert_result("{ node { id } }",
		      NULL,
		      "{\"node\":\"Stock\"}",
		      "{\"errors\":[{\"message\":\"Abstract type \\\"Node\\\" must resolve to an Object type at r"
		      "untime for field \\\"Query.node\\\". Either the \\\"Node\\\" type should provide a \\\"res"
		      "olveType\\\" function or each possible type should provide an \\\"isTypeOf\\\" function.\""
		      ",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"node\"]}],\"data\":{\"node\":null}}");
}
END_TEST

START_TEST(union_members_by_fragments)
{
	assert_result("{ search { __typename ... on Person { name } ...S } } fragment S on Stock { symbol }",
		      NULL,
		      "{\"search\":[{\"__typename\":\"Person\",\"name\":\"ann\"},{\"__typename\":\"Stock\",\"symb"
		      "ol\":\"S\"},null]}",
		      "{\"data\":{\"search\":[{\"__typename\":\"Person\",\"name\":\"ann\"},{\"__typename\":\"Stoc"
		      "k\",\"symbol\":\"S\"},null]}}");
}
END_TEST

START_TEST(fragment_on_interface_applies_to_implementations)
{
	assert_result("{ stock { ...N } } fragment N on Node { id }",
		      NULL,
		      "{\"stock\":{\"id\":\"s1\"}}",
		      "{\"data\":{\"stock\":{\"id\":\"s1\"}}}");
}
END_TEST

START_TEST(later_siblings_of_a_non_null_violation_never_run)
{
	assert_result("{ stock { volume price symbol } }",
		      NULL,
		      "{\"stock\":{\"volume\":\"x\",\"price\":null,\"symbol\":{}}}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\",\"location"
		      "s\":[{\"line\":1,\"column\":11}],\"path\":[\"stock\",\"volume\"]},{\"message\":\"Cannot re"
		      "turn null for non-nullable field Stock.price.\",\"locations\":[{\"line\":1,\"column\":18}]"
		      ",\"path\":[\"stock\",\"price\"]}],\"data\":{\"stock\":null}}");
}
END_TEST

START_TEST(merged_fields_locate_every_node)
{
	assert_result("{ stock { price } stock { price } }",
		      NULL,
		      "{\"stock\":{\"price\":null}}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Stock.price.\",\"loc"
		      "ations\":[{\"line\":1,\"column\":11},{\"line\":1,\"column\":27}],\"path\":[\"stock\",\"pri"
		      "ce\"]}],\"data\":{\"stock\":null}}");
}
END_TEST

START_TEST(object_value_that_is_no_object)
{
	assert_result("{ stock { volume } person { name } }",
		      NULL,
		      "{\"stock\":5,\"person\":\"x\"}",
		      "{\"data\":{\"stock\":{\"volume\":null},\"person\":{\"name\":null}}}");
}
END_TEST

START_TEST(aliases_and_skip_include)
{
	assert_result("query ($x: Boolean!) { a: stock @include(if: $x) { p: price } b: stock { volume @skip(if: "
		      "true) v: volume } }",
		      "{\"x\":false}",
		      "{\"stock\":{\"price\":1,\"volume\":2}}",
		      "{\"data\":{\"b\":{\"v\":2}}}");
}
END_TEST

START_TEST(typename_is_the_schema_type)
{
	assert_result("{ stock { __typename t: __typename } __typename }",
		      NULL,
		      "{\"stock\":{\"__typename\":\"Person\"}}",
		      "{\"data\":{\"stock\":{\"__typename\":\"Stock\",\"t\":\"Stock\"},\"__typename\":\"Query\"}}");
}
END_TEST

START_TEST(nested_non_null_items_in_lists)
{
	assert_result("{ person { friends { name } } }",
		      NULL,
		      "{\"person\":{\"friends\":[{\"name\":\"a\"},null]}}",
		      "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Person.friends.\",\""
		      "locations\":[{\"line\":1,\"column\":12}],\"path\":[\"person\",\"friends\",1]}],\"data\":{\""
		      "person\":{\"friends\":null}}}");
}
END_TEST

START_TEST(members_missing_or_in_any_order)
{
	assert_result("{ stock { owner { name } volume id } }",
		      NULL,
		      "{\"stock\":{\"id\":\"1\",\"volume\":3}}",
		      "{\"data\":{\"stock\":{\"owner\":null,\"volume\":3,\"id\":\"1\"}}}");
}
END_TEST

START_TEST(errors_in_depth_first_order)
{
	assert_result("{ ints s stock { volume } i }",
		      NULL,
		      "{\"ints\":[1,\"a\"],\"s\":{},\"stock\":{\"volume\":1.5},\"i\":\"b\"}",
		      "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"a\\\"\",\"location"
		      "s\":[{\"line\":1,\"column\":3}],\"path\":[\"ints\",1]},{\"message\":\"String cannot repres"
		      "ent value: {}\",\"locations\":[{\"line\":1,\"column\":8}],\"path\":[\"s\"]},{\"message\":\""
		      "Int cannot represent non-integer value: 1.5\",\"locations\":[{\"line\":1,\"column\":18}],\""
		      "path\":[\"stock\",\"volume\"]},{\"message\":\"Int cannot represent non-integer value: \\\""
		      "b\\\"\",\"locations\":[{\"line\":1,\"column\":27}],\"path\":[\"i\"]}],\"data\":{\"ints\":["
		      "1,null],\"s\":null,\"stock\":{\"volume\":null},\"i\":null}}");
}
END_TEST

START_TEST(list_of_lists_as_string)
{
	assert_result("{ s }",
		      NULL,
		      "{\"s\":[[1,[2,[3]]],{\"a\":{\"b\":{}}}]}",
		      "{\"errors\":[{\"message\":\"String cannot represent value: [[1, [Array]], { a: [Object] }]"
		      "\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"s\"]}],\"data\":{\"s\":null}}");
}
END_TEST

START_TEST(enum_variable_by_value_name)
{
	assert_request("query ($c: Color) { echo(color: $c) }",
		       "{\"c\":\"RED\"}", 0,
		       NULL,
		       "{\"color\":\"RED\",\"n\":7}");
}
END_TEST

START_TEST(enum_variable_of_unknown_name_with_suggestion)
{
	assert_request("query ($c: Color) { echo(color: $c) }",
		       "{\"c\":\"GREN\"}", 0,
		       "[{\"message\":\"Variable \\\"$c\\\" got invalid value \\\"GREN\\\"; Value \\\"GREN\\\" doe"
		       "s not exist in \\\"Color\\\" enum. Did you mean the enum value \\\"GREEN\\\" or \\\"RED\\\""
		       "?\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(enum_variable_that_is_no_string)
{
	assert_request("query ($c: Color) { echo(color: $c) }",
		       "{\"c\":1}", 0,
		       "[{\"message\":\"Variable \\\"$c\\\" got invalid value 1; Enum \\\"Color\\\" cannot represe"
		       "nt non-string value: 1.\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(input_object_variable_with_defaults_and_a_list_of_one)
{
	assert_request("query ($f: Filter) { echo(filter: $f) }",
		       "{\"f\":{\"symbol\":\"X\",\"colors\":\"RED\"}}", 0,
		       NULL,
		       "{\"filter\":{\"symbol\":\"X\",\"min\":0,\"colors\":[\"RED\"]},\"n\":7}");
}
END_TEST

START_TEST(input_object_variable_missing_a_required_field)
{
	assert_request("query ($f: Filter) { echo(filter: $f) }",
		       "{\"f\":{}}", 0,
		       "[{\"message\":\"Variable \\\"$f\\\" got invalid value {}; Field \\\"symbol\\\" of required"
		       " type \\\"String!\\\" was not provided.\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(input_object_variable_with_unknown_fields)
{
	assert_request("query ($f: Filter) { echo(filter: $f) }",
		       "{\"f\":{\"symbol\":\"X\",\"symbl\":1,\"zzz\":2}}", 0,
		       "[{\"message\":\"Variable \\\"$f\\\" got invalid value { symbol: \\\"X\\\", symbl: 1, zzz: "
		       "2 }; Field \\\"symbl\\\" is not defined by type \\\"Filter\\\". Did you mean \\\"symbol\\\""
		       "?\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$f\\\" got inva"
		       "lid value { symbol: \\\"X\\\", symbl: 1, zzz: 2 }; Field \\\"zzz\\\" is not defined by typ"
		       "e \\\"Filter\\\".\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(input_object_variable_errors_name_their_path)
{
	assert_request("query ($f: Filter) { echo(filter: $f) }",
		       "{\"f\":{\"symbol\":\"x\",\"colors\":[\"RED\",\"PINK\"],\"nested\":{\"symbol\":1,\"nested\":[]}}}", 0,
		       "[{\"message\":\"Variable \\\"$f\\\" got invalid value \\\"PINK\\\" at \\\"f.colors[1]\\\";"
		       " Value \\\"PINK\\\" does not exist in \\\"Color\\\" enum.\",\"locations\":[{\"line\":1,\"c"
		       "olumn\":8}]},{\"message\":\"Variable \\\"$f\\\" got invalid value 1 at \\\"f.nested.symbol"
		       "\\\"; String cannot represent a non string value: 1\",\"locations\":[{\"line\":1,\"column\""
		       ":8}]},{\"message\":\"Variable \\\"$f\\\" got invalid value [] at \\\"f.nested.nested\\\"; "
		       "Expected type \\\"Filter\\\" to be an object.\",\"locations\":[{\"line\":1,\"column\":8}]}"
		       "]",
		       NULL);
}
END_TEST

START_TEST(input_object_variable_that_is_no_object)
{
	assert_request("query ($f: Filter) { echo(filter: $f) }",
		       "{\"f\":[1]}", 0,
		       "[{\"message\":\"Variable \\\"$f\\\" got invalid value [1]; Expected type \\\"Filter\\\" to"
		       " be an object.\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(one_of_variable_with_two_keys)
{
	assert_request("query ($p: Pick) { echo(pick: $p) }",
		       "{\"p\":{\"id\":1,\"name\":\"a\"}}", 0,
		       "[{\"message\":\"Variable \\\"$p\\\" got invalid value { id: 1, name: \\\"a\\\" }; Exactly "
		       "one key must be specified for OneOf type \\\"Pick\\\".\",\"locations\":[{\"line\":1,\"colu"
		       "mn\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(one_of_variable_with_a_null_key)
{
	assert_request("query ($p: Pick) { echo(pick: $p) }",
		       "{\"p\":{\"id\":null}}", 0,
		       "[{\"message\":\"Variable \\\"$p\\\" got invalid value null at \\\"p.id\\\"; Field \\\"id\\\""
		       " must be non-null.\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(one_of_variable_key_counts_even_when_its_value_does_not_coerce)
{
	assert_request("query ($p: Pick) { echo(pick: $p) }",
		       "{\"p\":{\"name\":5,\"zzz\":1}}", 0,
		       "[{\"message\":\"Variable \\\"$p\\\" got invalid value 5 at \\\"p.name\\\"; String cannot r"
		       "epresent a non string value: 5\",\"locations\":[{\"line\":1,\"column\":8}]},{\"message\":\""
		       "Variable \\\"$p\\\" got invalid value { name: 5, zzz: 1 }; Field \\\"zzz\\\" is not define"
		       "d by type \\\"Pick\\\".\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(required_variable_not_provided_and_non_null_null)
{
	assert_request("query ($n: Int!, $m: Int!) { a: echo(n: $n) b: echo(n: $m) }",
		       "{\"m\":null}", 0,
		       "[{\"message\":\"Variable \\\"$n\\\" of required type \\\"Int!\\\" was not provided.\",\"lo"
		       "cations\":[{\"line\":1,\"column\":8}]},{\"message\":\"Variable \\\"$m\\\" of non-null type"
		       " \\\"Int!\\\" must not be null.\",\"locations\":[{\"line\":1,\"column\":18}]}]",
		       NULL);
}
END_TEST

START_TEST(int_variable_beyond_32_bits)
{
	assert_request("query ($l: [Int]) { echo(ints: $l) }",
		       "{\"l\":[1e23,2147483648,1.5,\"1\"]}", 0,
		       "[{\"message\":\"Variable \\\"$l\\\" got invalid value 1e+23 at \\\"l[0]\\\"; Int cannot re"
		       "present non 32-bit signed integer value: 1e+23\",\"locations\":[{\"line\":1,\"column\":8}]"
		       "},{\"message\":\"Variable \\\"$l\\\" got invalid value 2147483648 at \\\"l[1]\\\"; Int can"
		       "not represent non 32-bit signed integer value: 2147483648\",\"locations\":[{\"line\":1,\"c"
		       "olumn\":8}]},{\"message\":\"Variable \\\"$l\\\" got invalid value 1.5 at \\\"l[2]\\\"; Int"
		       " cannot represent non-integer value: 1.5\",\"locations\":[{\"line\":1,\"column\":8}]},{\"m"
		       "essage\":\"Variable \\\"$l\\\" got invalid value \\\"1\\\" at \\\"l[3]\\\"; Int cannot rep"
		       "resent non-integer value: \\\"1\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]",
		       NULL);
}
END_TEST

START_TEST(scalar_variables_coerced)
{
	assert_request("query ($l: [Int], $i: ID) { echo(ints: $l, id: $i) }",
		       "{\"l\":3,\"i\":42}", 0,
		       NULL,
		       "{\"n\":7,\"ints\":[3],\"id\":\"42\"}");
}
END_TEST

START_TEST(fifty_variable_errors_at_most)
{
	assert_request_error_count("query ($l: [Int]) { echo(ints: $l) }", fifty_bad_items(), 0, 51,
				   "Too many errors processing variables, error limit reached. Execution aborted.");
}
END_TEST

START_TEST(argument_literals_coerced_by_their_types)
{
	assert_request("{ echo(id: 42, ints: 3, color: RED, filter: {symbol: \"x\", colors: GREEN, nested: {symbol"
		       ": \"y\"}}) }",
		       NULL, 0,
		       NULL,
		       "{\"filter\":{\"symbol\":\"x\",\"min\":0,\"colors\":[\"GREEN\"],\"nested\":{\"symbol\":\"y\""
		       ",\"min\":0}},\"color\":\"RED\",\"n\":7,\"ints\":[3],\"id\":\"42\"}");
}
END_TEST

START_TEST(argument_variables_absent_take_the_schema_default)
{
	assert_request("query ($n: Int) { echo(n: $n) }",
		       "{}", 0,
		       NULL,
		       "{\"n\":7}");
}
END_TEST

START_TEST(schema_argument_defaults_apply)
{
	assert_request("{ echo }",
		       NULL, 0,
		       NULL,
		       "{\"n\":7}");
}
END_TEST

/* graphql-js's execute() answers a mutation on a schema without a mutation
 * type as a result (servers send it as one), not a refusal. */
START_TEST(mutation_without_a_mutation_type_answers_an_error_result)
{
	assert_request_result(test_schema, "mutation { echo }", NULL, "{\"echo\":\"x\"}", true,
			      "{\"errors\":[{\"message\":\"Schema is not configured to execute mutation operation.\","
			      "\"locations\":[{\"line\":1,\"column\":1}]}],\"data\":null}");
}
END_TEST

/* subscribe() returns {errors} without data for it. */
START_TEST(subscription_without_a_subscription_type_answers_errors_without_data)
{
	static const char sdl[] = "type Query { a: Int }";
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	ck_assert_ptr_nonnull(schema);
	assert_request_result(schema, "subscription S { a }", NULL, NULL, true,
			      "{\"errors\":[{\"message\":\"Schema is not configured to execute subscription operation.\","
			      "\"locations\":[{\"line\":1,\"column\":1}]}]}");
	gqlws_schema_free(schema);
}
END_TEST

/* graphql-js decides @skip/@include when it collects a field's
 * sub-selection: a null `if` is a field error of the field being
 * completed, null propagated as for any field error. */
START_TEST(null_skip_condition_is_a_field_error_of_the_enclosing_field)
{
	assert_request_result(test_schema, "query Q($s: Boolean = true) { stock { id symbol @skip(if: $s) } i }",
			      "{\"s\":null}", "{\"stock\":{\"id\":\"1\",\"symbol\":\"A\"},\"i\":1}", false,
			      "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
			      "\"locations\":[{\"line\":1,\"column\":59}],\"path\":[\"stock\"]}],"
			      "\"data\":{\"stock\":null,\"i\":1}}");
}
END_TEST

START_TEST(null_include_condition_in_a_list_item_propagates_to_the_list)
{
	assert_request_result(test_schema, "query Q($s: Boolean = true) { stocks { id @include(if: $s) } i }",
			      "{\"s\":null}", "{\"stocks\":[{\"id\":\"1\"},{\"id\":\"2\"}],\"i\":2}", false,
			      "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
			      "\"locations\":[{\"line\":1,\"column\":56}],\"path\":[\"stocks\",0]}],"
			      "\"data\":{\"stocks\":null,\"i\":2}}");
	/* nullable items: every item raises, whatever its type */
	assert_request_result(test_schema, "query Q($s: Boolean = true) { search { ... on Person @skip(if: $s) { name } } }",
			      "{\"s\":null}", "{\"search\":[{\"__typename\":\"Stock\"},{\"__typename\":\"Person\"}]}", false,
			      "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
			      "\"locations\":[{\"line\":1,\"column\":64}],\"path\":[\"search\",0]},"
			      "{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
			      "\"locations\":[{\"line\":1,\"column\":64}],\"path\":[\"search\",1]}],"
			      "\"data\":{\"search\":[null,null]}}");
}
END_TEST

START_TEST(null_condition_never_reached_raises_nothing)
{
	assert_request_result(test_schema, "query Q($s: Boolean = true) { strings stocks { ... on Stock @include(if: $s) { id } } }",
			      "{\"s\":null}", "{\"stocks\":[],\"strings\":[\"a\"]}", false,
			      "{\"data\":{\"strings\":[\"a\"],\"stocks\":[]}}");
	assert_request_result(test_schema, "query Q($s: Boolean = true) { stock { id @include(if: $s) } }",
			      "{\"s\":null}", "{\"stock\":null}", false, "{\"data\":{\"stock\":null}}");
}
END_TEST

/* shouldIncludeNode looks at @skip first, whatever the document's order. */
START_TEST(true_skip_wins_over_a_null_include_and_a_null_skip_raises_first)
{
	assert_request_result(test_schema, "query Q($s: Boolean = true) { stock { id @skip(if: true) @include(if: $s) symbol } }",
			      "{\"s\":null}", "{\"stock\":{\"id\":\"1\",\"symbol\":\"A\"}}", false,
			      "{\"data\":{\"stock\":{\"symbol\":\"A\"}}}");
	assert_request_result(test_schema,
			      "query Q($s: Boolean = true, $t: Boolean = true) { stock { id @include(if: $s) @skip(if: $t) } }",
			      "{\"s\":null,\"t\":null}", "{\"stock\":{\"id\":\"1\"}}", false,
			      "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
			      "\"locations\":[{\"line\":1,\"column\":89}],\"path\":[\"stock\"]}],"
			      "\"data\":{\"stock\":null}}");
}
END_TEST

/* At the root graphql-js's execute() throws while collecting: the error
 * alone, without a path, data null. */
START_TEST(null_condition_on_a_root_field_answers_the_error_alone)
{
	assert_request_result(test_schema, "query Q($s: Boolean = false) { s i @include(if: $s) }", "{\"s\":null}",
			      "{\"s\":\"x\",\"i\":1}", true,
			      "{\"errors\":[{\"message\":\"Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not be null.\","
			      "\"locations\":[{\"line\":1,\"column\":49}]}],\"data\":null}");
}
END_TEST

/* Introspection's errors (a default graphql-js cannot print) reach the
 * result before its data. */
START_TEST(introspection_errors_reach_the_result)
{
	static const char sdl[] = "scalar J type Query { a(x: J = {a: 3}, y: Int = 2): Int } type Subscription { a: Int }";
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	ck_assert_ptr_nonnull(schema);
	assert_request_result(schema, "{ __type(name: \"Query\") { fields { args { name defaultValue } } } }", NULL,
			      NULL, false,
			      "{\"errors\":[{\"message\":\"Cannot convert value to AST: { a: 3 }.\","
			      "\"locations\":[{\"line\":1,\"column\":48}],"
			      "\"path\":[\"__type\",\"fields\",0,\"args\",0,\"defaultValue\"]}],"
			      "\"data\":{\"__type\":{\"fields\":[{\"args\":[{\"name\":\"x\",\"defaultValue\":null},"
			      "{\"name\":\"y\",\"defaultValue\":\"2\"}]}]}}}");
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(introspection_refused_when_off)
{
	assert_request("{ __schema { queryType { name } } echo }",
		       NULL, 1,
		       "[{\"message\":\"GraphQL introspection has been disabled, but the requested query contained"
		       " the field \\\"__schema\\\".\",\"locations\":[{\"line\":1,\"column\":3}]},{\"message\":\"G"
		       "raphQL introspection has been disabled, but the requested query contained the field \\\"qu"
		       "eryType\\\".\",\"locations\":[{\"line\":1,\"column\":14}]}]",
		       NULL);
}
END_TEST

START_TEST(typename_allowed_when_introspection_is_off)
{
	assert_request("{ __typename echo }",
		       NULL, 1,
		       NULL,
		       "{\"n\":7}");
}
END_TEST

/* ------------------------------------------------ start and next, on a session */

/* What the fake executor's op_start does with each request it gets: start
 * it, then (when next_root is set) send one result for that root value and
 * complete, or keep the request for the test. */
static const char *next_root;
static gqlws_schema_request *kept_request;
static size_t memory_at_start; /* the connection's, as op_start began */

static int start_with_request(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user;
	memory_at_start = gqlws_session_memory_bytes(s);
	gqlws_schema_request *r = gqlws_schema_request_start(op, test_schema, req, NULL, 0);
	if (!r)
		return 0;
	if (next_root) {
		cJSON *root = cJSON_Parse(next_root);
		gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
		ck_assert_int_eq(gqlws_schema_request_next(r, op, root, &text), GQLWS_OK);
		ck_assert_int_eq(gqlws_schema_request_next(NULL, op, root, NULL), GQLWS_ERR_INVALID);
		ck_assert_int_eq(gqlws_op_complete(op), GQLWS_OK);
		gqlws_doc_buf_free(&text);
		cJSON_Delete(root);
		gqlws_schema_request_free(r);
	} else {
		kept_request = r; /* freed by the test */
	}
	return 0;
}

static void stop_nothing(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

/* Feeds one subscribe (graphql-transport-ws) after an init, and returns
 * every frame after the ack, each followed by a newline (caller frees). */
static char *frames_after(const char *subscribe, const gqlws_options *opts)
{
	static const gqlws_callbacks cb = {.op_start = start_with_request, .op_stop = stop_nothing};
	static const char init[] = "{\"type\":\"connection_init\"}";
	gqlws_options defaults;
	char *out = calloc(1, 1);
	size_t out_len = 0, len;
	unsigned char *frame;

	gqlws_options_init(&defaults);
	gqlws_session *s = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, opts ? opts : &defaults, NULL, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(gqlws_session_receive(s, init, strlen(init), false, 0), GQLWS_OK);
	ck_assert_ptr_nonnull(gqlws_session_peek_frame(s, &len));
	gqlws_session_frame_sent(s);
	ck_assert_int_eq(gqlws_session_receive(s, subscribe, strlen(subscribe), false, 0), GQLWS_OK);
	while ((frame = gqlws_session_peek_frame(s, &len))) {
		out = realloc(out, out_len + len + 2);
		memcpy(out + out_len, frame, len);
		out_len += len;
		out[out_len++] = '\n';
		out[out_len] = '\0';
		gqlws_session_frame_sent(s);
	}
	gqlws_session_destroy(s);
	return out;
}

START_TEST(request_next_sends_the_typed_result_of_the_root_value)
{
	next_root = "{\"i\":1.0,\"s\":5,\"stock\":{\"symbol\":\"X\",\"price\":\"1.5\"}}";
	char *frames = frames_after("{\"id\":\"q\",\"type\":\"subscribe\",\"payload\":{\"query\":"
				    "\"{ i s n: __typename stock { symbol price } }\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"q\",\"type\":\"next\",\"payload\":{\"data\":{\"i\":1,"
				 "\"s\":\"5\",\"n\":\"Query\",\"stock\":{\"symbol\":\"X\",\"price\":1.5}}}}\n"
				 "{\"id\":\"q\",\"type\":\"complete\"}\n");
	free(frames);
	/* A non-null root field that comes out null: errors first, data null. */
	next_root = "{\"strict\":{\"price\":null}}";
	frames = frames_after("{\"id\":\"q\",\"type\":\"subscribe\",\"payload\":{\"query\":"
			      "\"{ strict { price } }\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"q\",\"type\":\"next\",\"payload\":{\"errors\":[{\"message\":"
				 "\"Cannot return null for non-nullable field Stock.price.\",\"locations\":"
				 "[{\"line\":1,\"column\":12}],\"path\":[\"strict\",\"price\"]}],\"data\":null}}\n"
				 "{\"id\":\"q\",\"type\":\"complete\"}\n");
	free(frames);
}
END_TEST

START_TEST(request_start_refuses_syntax_and_invalid_requests_itself)
{
	next_root = "{}";
	char *frames = frames_after("{\"id\":\"s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ i\"}}",
				    NULL);
	ck_assert_str_eq(frames, "{\"id\":\"s\",\"type\":\"error\",\"payload\":[{\"message\":\"Syntax "
				 "Error: Expected Name, found <EOF>.\",\"locations\":[{\"line\":1,\"column\":4}]}]}\n");
	free(frames);
	frames = frames_after("{\"id\":\"u\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ zzz }\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"u\",\"type\":\"error\",\"payload\":[{\"message\":\"Cannot "
				 "query field \\\"zzz\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,"
				 "\"column\":3}]}]}\n");
	free(frames);
}
END_TEST

START_TEST(request_start_charges_the_request_to_the_connection)
{
	gqlws_options opts;

	/* Within the budget: the request is kept, and charged. */
	next_root = NULL;
	kept_request = NULL;
	char *frames = frames_after("{\"id\":\"k\",\"type\":\"subscribe\",\"payload\":{\"query\":"
				    "\"subscription { stock { symbol } }\"}}", NULL);
	ck_assert_ptr_nonnull(kept_request);
	ck_assert_str_eq(frames, "");
	ck_assert_uint_gt(gqlws_schema_request_bytes(kept_request), 1000);
	ck_assert_int_eq(gqlws_schema_request_op_type(kept_request), GQLWS_DOC_SUBSCRIPTION);
	gqlws_schema_request_free(kept_request);
	free(frames);

	/* Room for the operation and its error frame, not for the request. */
	gqlws_options_init(&opts);
	opts.max_connection_bytes = memory_at_start + 600;
	kept_request = NULL;
	frames = frames_after("{\"id\":\"m\",\"type\":\"subscribe\",\"payload\":{\"query\":"
			      "\"subscription { stock { symbol } }\"}}", &opts);
	ck_assert_ptr_null(kept_request);
	ck_assert_str_eq(frames, "{\"id\":\"m\",\"type\":\"error\",\"payload\":[{\"message\":\""
				 GQLWS_MEMORY_LIMIT_MESSAGE "\"}]}\n");
	free(frames);
}
END_TEST

START_TEST(request_null_arguments_are_refused)
{
	gqlws_doc_status status = GQLWS_DOC_OK;
	cJSON *errors = (cJSON *)1;
	gqlws_request req = {.id = "1", .query = "{ i }", .query_len = 5};

	ck_assert_ptr_null(gqlws_schema_request_new(NULL, &req, NULL, 0, &errors, &status));
	ck_assert_ptr_null(errors);
	ck_assert_int_eq(status, GQLWS_DOC_NOMEM);
	ck_assert_ptr_null(gqlws_schema_request_new(test_schema, NULL, NULL, 0, &errors, &status));
	gqlws_schema_request_free(NULL);
	ck_assert_ptr_null(gqlws_schema_request_plan(NULL));
	ck_assert_ptr_null(gqlws_schema_request_arg(NULL, 0, "x"));
	ck_assert_uint_eq(gqlws_schema_request_bytes(NULL), 0);
	ck_assert_int_eq(gqlws_schema_result_text(NULL, NULL, NULL, NULL), -1);
}
END_TEST

static Suite *schema_project_suite(void)
{
	Suite *s = suite_create("schema_project");
	TCase *tc = tcase_create("results");

	tcase_add_test(tc, leaves_serialise_as_graphql_js);
	tcase_add_test(tc, int_from_booleans_and_numeric_strings);
	tcase_add_test(tc, int_refuses_fractions);
	tcase_add_test(tc, int_refuses_values_beyond_32_bits);
	tcase_add_test(tc, int_refuses_empty_string);
	tcase_add_test(tc, int_refuses_objects_shown_as_inspect_shows_them);
	tcase_add_test(tc, int_refuses_numeric_string_beyond_32_bits);
	tcase_add_test(tc, float_refuses_non_numeric);
	tcase_add_test(tc, float_from_boolean);
	tcase_add_test(tc, string_from_numbers_as_javascript_prints_them);
	tcase_add_test(tc, float_from_numbers_booleans_and_strings);
	tcase_add_test(tc, strings_escaped_as_json_stringify_escapes_them);
	tcase_add_test(tc, floats_written_as_javascript_writes_them);
	tcase_add_test(tc, many_fragments_each_collected_once);
	tcase_add_test(tc, many_response_keys_merged_by_hashing);
	tcase_add_test(tc, boolean_and_id_lists);
	tcase_add_test(tc, string_refuses_lists_after_ten_items);
	tcase_add_test(tc, boolean_refuses_strings);
	tcase_add_test(tc, boolean_from_numbers);
	tcase_add_test(tc, id_from_integers_only);
	tcase_add_test(tc, id_of_a_large_integer);
	tcase_add_test(tc, enum_by_value_name);
	tcase_add_test(tc, enum_refuses_unknown_names);
	tcase_add_test(tc, enum_refuses_non_strings);
	tcase_add_test(tc, custom_scalar_passes_json_as_is);
	tcase_add_test(tc, non_null_field_nulls_its_nullable_parent);
	tcase_add_test(tc, non_null_root_field_nulls_data);
	tcase_add_test(tc, non_null_list_item_nulls_the_list);
	tcase_add_test(tc, nullable_list_item_becomes_null);
	tcase_add_test(tc, non_null_list_of_non_null_items_nulls_data);
	tcase_add_test(tc, inner_list_nulls_at_its_own_level);
	tcase_add_test(tc, list_expected_where_a_scalar_is);
	tcase_add_test(tc, list_expected_where_a_string_is);
	tcase_add_test(tc, list_expected_where_an_object_is);
	tcase_add_test(tc, interface_resolved_by_typename);
	tcase_add_test(tc, abstract_value_without_typename);
	tcase_add_test(tc, abstract_value_of_unknown_type);
	tcase_add_test(tc, abstract_value_of_non_object_type);
	tcase_add_test(tc, abstract_value_of_impossible_type);
	tcase_add_test(tc, abstract_value_that_is_no_object);
	tcase_add_test(tc, union_members_by_fragments);
	tcase_add_test(tc, fragment_on_interface_applies_to_implementations);
	tcase_add_test(tc, later_siblings_of_a_non_null_violation_never_run);
	tcase_add_test(tc, merged_fields_locate_every_node);
	tcase_add_test(tc, object_value_that_is_no_object);
	tcase_add_test(tc, aliases_and_skip_include);
	tcase_add_test(tc, typename_is_the_schema_type);
	tcase_add_test(tc, nested_non_null_items_in_lists);
	tcase_add_test(tc, members_missing_or_in_any_order);
	tcase_add_test(tc, errors_in_depth_first_order);
	tcase_add_test(tc, list_of_lists_as_string);
	tcase_add_checked_fixture(tc, schema_setup, schema_teardown);
	suite_add_tcase(s, tc);

	tc = tcase_create("requests");
	tcase_add_test(tc, enum_variable_by_value_name);
	tcase_add_test(tc, enum_variable_of_unknown_name_with_suggestion);
	tcase_add_test(tc, enum_variable_that_is_no_string);
	tcase_add_test(tc, input_object_variable_with_defaults_and_a_list_of_one);
	tcase_add_test(tc, input_object_variable_missing_a_required_field);
	tcase_add_test(tc, input_object_variable_with_unknown_fields);
	tcase_add_test(tc, input_object_variable_errors_name_their_path);
	tcase_add_test(tc, input_object_variable_that_is_no_object);
	tcase_add_test(tc, one_of_variable_with_two_keys);
	tcase_add_test(tc, one_of_variable_with_a_null_key);
	tcase_add_test(tc, one_of_variable_key_counts_even_when_its_value_does_not_coerce);
	tcase_add_test(tc, required_variable_not_provided_and_non_null_null);
	tcase_add_test(tc, int_variable_beyond_32_bits);
	tcase_add_test(tc, scalar_variables_coerced);
	tcase_add_test(tc, fifty_variable_errors_at_most);
	tcase_add_test(tc, argument_literals_coerced_by_their_types);
	tcase_add_test(tc, argument_variables_absent_take_the_schema_default);
	tcase_add_test(tc, schema_argument_defaults_apply);
	tcase_add_test(tc, mutation_without_a_mutation_type_answers_an_error_result);
	tcase_add_test(tc, subscription_without_a_subscription_type_answers_errors_without_data);
	tcase_add_test(tc, null_skip_condition_is_a_field_error_of_the_enclosing_field);
	tcase_add_test(tc, null_include_condition_in_a_list_item_propagates_to_the_list);
	tcase_add_test(tc, null_condition_never_reached_raises_nothing);
	tcase_add_test(tc, true_skip_wins_over_a_null_include_and_a_null_skip_raises_first);
	tcase_add_test(tc, null_condition_on_a_root_field_answers_the_error_alone);
	tcase_add_test(tc, introspection_errors_reach_the_result);
	tcase_add_test(tc, introspection_refused_when_off);
	tcase_add_test(tc, typename_allowed_when_introspection_is_off);
	tcase_add_checked_fixture(tc, schema_setup, schema_teardown);
	suite_add_tcase(s, tc);

	tc = tcase_create("sessions");
	tcase_add_test(tc, request_next_sends_the_typed_result_of_the_root_value);
	tcase_add_test(tc, request_start_refuses_syntax_and_invalid_requests_itself);
	tcase_add_test(tc, request_start_charges_the_request_to_the_connection);
	tcase_add_test(tc, request_null_arguments_are_refused);
	tcase_add_checked_fixture(tc, schema_setup, schema_teardown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(schema_project_suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
