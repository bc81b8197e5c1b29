/*
 * schema_rules_v2.c - the validation rules ValuesOfCorrectType,
 * ProvidedRequiredArguments, VariablesInAllowedPosition and
 * OverlappingFieldsCanBeMerged, through gqlws_schema_parse_document(): each
 * document's errors are exactly the ones graphql-js 16.15's validate()
 * gives for it (messages, locations, order; every expected array below is
 * graphql-js's own answer for the same schema and document), and hostile
 * documents end within graphql-js's complexity budget.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

static gqlws_schema *build(const char *sdl)
{
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	if (!schema) {
		char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
		ck_abort_msg("schema refused: %s", text ? text : "(no memory)");
	}
	return schema;
}

/* Limits raised to their ceilings, for documents that are large on purpose. */
static gqlws_doc_limits roomy_limits(void)
{
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = GQLWS_DOC_DEPTH_CEILING;
	limits.max_tokens = 1000000;
	limits.max_expanded = 1000000;
	limits.max_bytes = 16u << 20;
	return limits;
}

/* The errors of doc against sdl (NULL: valid), as a new array. */
static cJSON *errors_of(const char *sdl, const char *doc, const gqlws_doc_limits *limits)
{
	gqlws_schema *schema = build(sdl);
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_OK;
	gqlws_doc *parsed =
		gqlws_schema_parse_document(schema, doc, strlen(doc), limits, &errors, &status);
	ck_assert_int_ne(status, GQLWS_DOC_NOMEM);
	if (parsed) {
		ck_assert_ptr_null(errors);
		gqlws_doc_free(parsed);
	}
	gqlws_schema_free(schema);
	return errors;
}

static void expect_errors_in(const char *sdl, const char *doc, const char *expected)
{
	cJSON *want = cJSON_Parse(expected);
	ck_assert_ptr_nonnull(want);
	cJSON *got = errors_of(sdl, doc, NULL);
	if (!got)
		got = cJSON_CreateArray();
	if (!cJSON_Compare(got, want, true)) {
		char *text = cJSON_PrintUnformatted(got);
		ck_abort_msg("document %s\n got  %s\n want %s", doc, text, expected);
	}
	cJSON_Delete(got);
	cJSON_Delete(want);
}

#define expect_errors(doc, expected) expect_errors_in(schema_sdl, (doc), (expected))

/* The one error a document that exhausts the budget ends with. */
static bool aborted(cJSON *errors)
{
	cJSON *last = cJSON_GetArrayItem(errors, cJSON_GetArraySize(errors) - 1);
	cJSON *message = cJSON_GetObjectItemCaseSensitive(last, "message");
	return cJSON_IsString(message) && strcmp(message->valuestring, "Validation aborted.") == 0 &&
	       !cJSON_GetObjectItemCaseSensitive(last, "locations");
}

/* text repeated count times, with room for a prefix and a suffix. */
static char *repeat(const char *prefix, const char *text, size_t count, const char *suffix)
{
	size_t len = strlen(prefix) + strlen(text) * count + strlen(suffix) + 1;
	char *out = malloc(len);
	ck_assert_ptr_nonnull(out);
	strcpy(out, prefix);
	char *at = out + strlen(prefix);
	for (size_t i = 0; i < count; i++) {
		strcpy(at, text);
		at += strlen(text);
	}
	strcpy(at, suffix);
	return out;
}

static const char schema_sdl[] =
	"scalar JSON\n"
	"enum Color { RED GREEN BLUE }\n"
	"input In { x: Int! y: String = \"d\" z: [Int!] c: Color nested: In2 }\n"
	"input In2 { a: Int! = 3 b: [In2!] }\n"
	"input One @oneOf { a: Int b: String }\n"
	"interface Pet { name(surname: Boolean): String nick: String }\n"
	"type Dog implements Pet { name(surname: Boolean): String nick: String volume: Int owner: Human }\n"
	"type Cat implements Pet { name(surname: Boolean): String nick: String volume: String owner: Human }\n"
	"union CatOrDog = Cat | Dog\n"
	"type Human { name: String pets: [Pet] relatives: [Human!]! id: ID }\n"
	"directive @d(a: Int!, b: String) on FIELD | FRAGMENT_SPREAD\n"
	"type Query {\n"
	"  f(a: Int, c: String, d: Float, e: Boolean, i: ID, col: Color, in: In, l: [Int], ll: [[Int!]], j: JSON, one: One, def: Int! = 5): Int\n"
	"  r(b: Int!, x: Int! = null, y: [Int!]! = [1, null], z: Color = PURPLE, w: Int! = 1): Int\n"
	"  dog: Dog\n"
	"  pet: Pet\n"
	"  cod: CatOrDog\n"
	"  human(id: ID): Human\n"
	"  s(x: String): String\n"
	"}";

START_TEST(built_in_scalars_refuse_literals_with_graphql_js_parse_literal_messages)
{
	expect_errors("{ f(a: 1.5, c: 1, d: \"1.5\", e: 1, i: 1.5) }",
		      "[{\"message\":\"Int cannot represent non-integer value: 1.5\",\"locations\":[{\"line\":1"
		      ",\"column\":8}]}"
		      ",{\"message\":\"String cannot represent a non string value: 1\",\"locations\":[{\"line\""
		      ":1,\"column\":16}]}"
		      ",{\"message\":\"Float cannot represent non numeric value: \\\"1.5\\\"\",\"locations\":[{\"l"
		      "ine\":1,\"column\":22}]}"
		      ",{\"message\":\"Boolean cannot represent a non boolean value: 1\",\"locations\":[{\"lin"
		      "e\":1,\"column\":32}]}"
		      ",{\"message\":\"ID cannot represent a non-string and non-integer value: 1.5\",\"locat"
		      "ions\":[{\"line\":1,\"column\":38}]}]");
	expect_errors("{ f(a: 2147483648) f2: f(a: -2147483649) f3: f(a: -2147483648, d: 7, i: 12) }",
		      "[{\"message\":\"Int cannot represent non 32-bit signed integer value: 2147483648\",\""
		      "locations\":[{\"line\":1,\"column\":8}]}"
		      ",{\"message\":\"Int cannot represent non 32-bit signed integer value: -2147483649\","
		      "\"locations\":[{\"line\":1,\"column\":29}]}]");
	expect_errors("{ f(a: \"x\", c: RED, d: true, e: null, i: [1]) }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\",\"locations\":[{\"line\""
		      ":1,\"column\":8}]}"
		      ",{\"message\":\"String cannot represent a non string value: RED\",\"locations\":[{\"lin"
		      "e\":1,\"column\":16}]}"
		      ",{\"message\":\"Float cannot represent non numeric value: true\",\"locations\":[{\"line"
		      "\":1,\"column\":24}]}"
		      ",{\"message\":\"ID cannot represent a non-string and non-integer value: [1]\",\"locat"
		      "ions\":[{\"line\":1,\"column\":42}]}]");
}
END_TEST

START_TEST(null_is_refused_where_the_type_is_non_null)
{
	expect_errors("{ r(b: null) }",
		      "[{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":"
		      "1,\"column\":8}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}]");
	expect_errors("{ f(ll: [[null]], in: {x: null}) }",
		      "[{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":"
		      "1,\"column\":11}]}"
		      ",{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":"
		      "1,\"column\":27}]}]");
}
END_TEST

START_TEST(enum_values_are_checked_with_suggestions)
{
	expect_errors("{ f(col: RDE) f2: f(col: \"RED\") f3: f(col: red) f4: f(col: 1) f5: f(col: GREEN) "
		      "}",
		      "[{\"message\":\"Value \\\"RDE\\\" does not exist in \\\"Color\\\" enum. Did you mean the en"
		      "um value \\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":10}]}"
		      ",{\"message\":\"Enum \\\"Color\\\" cannot represent non-enum value: \\\"RED\\\". Did you me"
		      "an the enum value \\\"RED\\\" or \\\"GREEN\\\"?\",\"locations\":[{\"line\":1,\"column\":26}]}"
		      ",{\"message\":\"Value \\\"red\\\" does not exist in \\\"Color\\\" enum. Did you mean the en"
		      "um value \\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":44}]}"
		      ",{\"message\":\"Enum \\\"Color\\\" cannot represent non-enum value: 1.\",\"locations\":[{\""
		      "line\":1,\"column\":60}]}]");
}
END_TEST

START_TEST(input_objects_need_their_required_fields_and_no_unknown_ones)
{
	expect_errors("{ f(in: {}) }",
		      "[{\"message\":\"Field \\\"In.x\\\" of required type \\\"Int!\\\" was not provided.\",\"locati"
		      "ons\":[{\"line\":1,\"column\":9}]}]");
	expect_errors("{ f(in: {x: 1, q: 2, X: 3, nested: {b: [{}, {a: null}]}}) }",
		      "[{\"message\":\"Field \\\"q\\\" is not defined by type \\\"In\\\". Did you mean \\\"c\\\", \\\"x\\"
		      "\", \\\"y\\\", or \\\"z\\\"?\",\"locations\":[{\"line\":1,\"column\":16}]}"
		      ",{\"message\":\"Field \\\"X\\\" is not defined by type \\\"In\\\". Did you mean \\\"c\\\", \\\"x\\"
		      "\", \\\"y\\\", or \\\"z\\\"?\",\"locations\":[{\"line\":1,\"column\":22}]}"
		      ",{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":"
		      "1,\"column\":49}]}]");
	expect_errors("{ f(in: 5) f2: f(in: [{x: 1}]) f3: f(in: {x: {y: 1}}) }",
		      "[{\"message\":\"Expected value of type \\\"In\\\", found 5.\",\"locations\":[{\"line\":1,\"co"
		      "lumn\":9}]}"
		      ",{\"message\":\"Expected value of type \\\"In\\\", found [{x: 1}].\",\"locations\":[{\"line"
		      "\":1,\"column\":22}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: {y: 1}\",\"locations\":[{\"line"
		      "\":1,\"column\":46}]}]");
}
END_TEST

START_TEST(lists_check_each_item_and_a_single_value_stands_for_a_list)
{
	expect_errors("{ f(l: [1, 2, \"3\"]) f2: f(l: 1) f3: f(l: {a: 1}) f4: f(ll: [[1], [null], 2, [[3]"
		      "]]) }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"3\\\"\",\"locations\":[{\"line\""
		      ":1,\"column\":15}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: {a: 1}\",\"locations\":[{\"line"
		      "\":1,\"column\":42}]}"
		      ",{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":"
		      "1,\"column\":67}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: [3]\",\"locations\":[{\"line\":1"
		      ",\"column\":78}]}]");
}
END_TEST

START_TEST(custom_scalars_accept_every_literal)
{
	expect_errors("{ f(j: {a: [1, {b: $v}], c: ENUM, d: null}) f2: f(j: \"x\") f3: f(j: [1, \"a\", 2.5]"
		      ") }",
		      "[{\"message\":\"Variable \\\"$v\\\" is not defined.\",\"locations\":[{\"line\":1,\"column\":20"
		      "},{\"line\":1,\"column\":1}]}]");
}
END_TEST

START_TEST(one_of_input_objects_take_exactly_one_non_null_field)
{
	expect_errors("{ f(one: {a: 1}) f2: f(one: {a: 1, b: \"x\"}) f3: f(one: {}) f4: f(one: {a: null})"
		      " }",
		      "[{\"message\":\"OneOf Input Object \\\"One\\\" must specify exactly one key.\",\"location"
		      "s\":[{\"line\":1,\"column\":29}]}"
		      ",{\"message\":\"OneOf Input Object \\\"One\\\" must specify exactly one key.\",\"location"
		      "s\":[{\"line\":1,\"column\":56}]}"
		      ",{\"message\":\"Field \\\"One.a\\\" must be non-null.\",\"locations\":[{\"line\":1,\"column\":"
		      "71}]}]");
	expect_errors("query ($v: Int, $w: String!) { f(one: {a: $v}) f2: f(one: {b: $w}) }",
		      "[{\"message\":\"Variable \\\"$v\\\" is of type \\\"Int\\\" but must be non-nullable to be u"
		      "sed for OneOf Input Object \\\"One\\\".\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":"
		      "1,\"column\":43}]}]");
}
END_TEST

START_TEST(variable_defaults_are_checked_against_the_variable_type)
{
	expect_errors("query ($a: Int = \"x\", $b: In = {y: 1}, $c: [Int] = [1, \"2\"], $e: Color = RDE) { "
		      "f(a: $a, in: $b, l: $c, col: $e) }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\",\"locations\":[{\"line\""
		      ":1,\"column\":18}]}"
		      ",{\"message\":\"Field \\\"In.x\\\" of required type \\\"Int!\\\" was not provided.\",\"locati"
		      "ons\":[{\"line\":1,\"column\":32}]}"
		      ",{\"message\":\"String cannot represent a non string value: 1\",\"locations\":[{\"line\""
		      ":1,\"column\":36}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"2\\\"\",\"locations\":[{\"line\""
		      ":1,\"column\":56}]}"
		      ",{\"message\":\"Value \\\"RDE\\\" does not exist in \\\"Color\\\" enum. Did you mean the en"
		      "um value \\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":74}]}]");
}
END_TEST

START_TEST(values_print_as_graphql_js_prints_them)
{
	expect_errors("{ f(a: \"q\\\"b\\\\c\\n\\t\\u0001\\u007f\\u0080\\u009f é😀\") }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"q\\\\\\\"b\\\\\\\\c\\\\n\\\\t\\\\u0001\\"
		      "\\u007F\\\\u0080\\\\u009F é😀\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}]");
	expect_errors("{ f(a: [\"x\", [1.5e3, {k: null, m: [true, ENUM, $v]}], \"\"\"b\"\"\"], i: {}) }",
		      "[{\"message\":\"Int cannot represent non-integer value: [\\\"x\\\", [1.5e3, {k: null, m"
		      ": [true, ENUM, $v]}], \\\"\\\"\\\"b\\\"\\\"\\\"]\",\"locations\":[{\"line\":1,\"column\":8}]}"
		      ",{\"message\":\"ID cannot represent a non-string and non-integer value: {}\",\"locati"
		      "ons\":[{\"line\":1,\"column\":68}]}"
		      ",{\"message\":\"Variable \\\"$v\\\" is not defined.\",\"locations\":[{\"line\":1,\"column\":48"
		      "},{\"line\":1,\"column\":1}]}]");
	expect_errors("{ f(a: \"\"\"multi\n  line\"\"\") f2: f(a: \"\"\"  lead\"\"\") f3: f(a: \"\"\"triple \\\"\"\" end\\\"\""
		      "\"\"\"\") }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\nmulti\\nline\\n\\\"\\\"\\\""
		      "\",\"locations\":[{\"line\":1,\"column\":8}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"  lead\\\"\\\"\\\"\",\"locati"
		      "ons\":[{\"line\":2,\"column\":21}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\ntriple \\\\\\\"\\\"\\\" end"
		      "\\\\\\\"\\\"\\\"\\n\\\"\\\"\\\"\",\"locations\":[{\"line\":2,\"column\":44}]}]");
	expect_errors("{ f(a: \"\"\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		      "y\"\"\") f2: f(a: \"\"\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		      "yyyyyyyy\"\"\") }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\nyyyyyyyyyyyyyyyyyyy"
		      "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\\n\\\"\\\"\\\"\",\"locations\":[{\"lin"
		      "e\":1,\"column\":8}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"yyyyyyyyyyyyyyyyyyyyy"
		      "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\\\"\\\"\\\"\",\"locations\":[{\"line\":1,"
		      "\"column\":96}]}]");
	expect_errors("{ f(a: \"\"\"\n    first\n  second\n\"\"\") f2: f(a: \"\"\" x\n y\"\"\") f3: f(a: \"\"\"ab\\\"\"\"\\\"\"\"\""
		      "\"\") f4: f(a: \"\"\"éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
		      "ééééééé\"\"\") f5: f(a: \"\"\"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\"\"\") }",
		      "[{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\n  first\\nsecond\\n\\\""
		      "\\\"\\\"\",\"locations\":[{\"line\":1,\"column\":8}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\n x\\ny\\n\\\"\\\"\\\"\",\"loc"
		      "ations\":[{\"line\":4,\"column\":15}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\nab\\\\\\\"\\\"\\\"\\\\\\\"\\\"\\\"\\"
		      "n\\\"\\\"\\\"\",\"locations\":[{\"line\":5,\"column\":17}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"\\nééééééééééééééééééé"
		      "éééééééééééééééééééééééééééééééééééééééééééééééééééé\\n\\\"\\\"\\\"\",\"locations\":[{\"lin"
		      "e\":5,\"column\":44}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: \\\"\\\"\\\"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"
		      "😀😀😀😀😀😀😀😀😀😀😀😀😀😀\\\"\\\"\\\"\",\"locations\":[{\"line\":5,\"column\":132}]}]");
}
END_TEST

START_TEST(missing_required_arguments_are_reported_when_the_field_or_directive_is_left)
{
	expect_errors("{ r dog { name @d } }",
		      "[{\"message\":\"Field \\\"r\\\" argument \\\"b\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Directive \\\"@d\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but i"
		      "t was not provided.\",\"locations\":[{\"line\":1,\"column\":16}]}]");
	expect_errors("{ r(b: 1) { __typename } }",
		      "[{\"message\":\"Field \\\"r\\\" must not have a selection since type \\\"Int\\\" has no sub"
		      "fields.\",\"locations\":[{\"line\":1,\"column\":11}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}]");
	expect_errors("{ r(b: 1, w: null) s @d(b: \"x\") @include }",
		      "[{\"message\":\"Expected value of type \\\"Int!\\\", found null.\",\"locations\":[{\"line\":"
		      "1,\"column\":14}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Directive \\\"@d\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but i"
		      "t was not provided.\",\"locations\":[{\"line\":1,\"column\":22}]}"
		      ",{\"message\":\"Directive \\\"@include\\\" argument \\\"if\\\" of type \\\"Boolean!\\\" is requ"
		      "ired, but it was not provided.\",\"locations\":[{\"line\":1,\"column\":33}]}]");
}
END_TEST

START_TEST(directives_the_document_defines_replace_the_schema_ones_for_required_arguments)
{
	expect_errors("directive @x(a: Int!, b: Int! = 1, c: [Int]!, d: Int! = null) on FIELD\ndirective"
		      " @d(q: String!) on FIELD\n{ s @x @d(a: 1) x: s @x(c: []) }\ntype T @x { f: Int }",
		      "[{\"message\":\"The \\\"x\\\" definition is not executable.\",\"locations\":[{\"line\":1,\"co"
		      "lumn\":1}]}"
		      ",{\"message\":\"The \\\"d\\\" definition is not executable.\",\"locations\":[{\"line\":2,\"co"
		      "lumn\":1}]}"
		      ",{\"message\":\"The \\\"T\\\" definition is not executable.\",\"locations\":[{\"line\":4,\"co"
		      "lumn\":1}]}"
		      ",{\"message\":\"Directive \\\"@x\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but i"
		      "t was not provided.\",\"locations\":[{\"line\":3,\"column\":5}]}"
		      ",{\"message\":\"Directive \\\"@x\\\" argument \\\"c\\\" of type \\\"[Int]!\\\" is required, but"
		      " it was not provided.\",\"locations\":[{\"line\":3,\"column\":5}]}"
		      ",{\"message\":\"Unknown argument \\\"a\\\" on directive \\\"@d\\\". Did you mean \\\"q\\\"?\",\"l"
		      "ocations\":[{\"line\":3,\"column\":11}]}"
		      ",{\"message\":\"Directive \\\"@d\\\" argument \\\"q\\\" of type \\\"String!\\\" is required, bu"
		      "t it was not provided.\",\"locations\":[{\"line\":3,\"column\":8}]}"
		      ",{\"message\":\"Directive \\\"@x\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but i"
		      "t was not provided.\",\"locations\":[{\"line\":3,\"column\":22}]}"
		      ",{\"message\":\"Directive \\\"@x\\\" may not be used on OBJECT.\",\"locations\":[{\"line\":4"
		      ",\"column\":8}]}"
		      ",{\"message\":\"Directive \\\"@x\\\" argument \\\"a\\\" of type \\\"Int!\\\" is required, but i"
		      "t was not provided.\",\"locations\":[{\"line\":4,\"column\":8}]}"
		      ",{\"message\":\"Directive \\\"@x\\\" argument \\\"c\\\" of type \\\"[Int]!\\\" is required, but"
		      " it was not provided.\",\"locations\":[{\"line\":4,\"column\":8}]}]");
	expect_errors("directive @y(a: Int!, b: Int!, a: [Int]!) on FIELD\n{ s @y }",
		      "[{\"message\":\"The \\\"y\\\" definition is not executable.\",\"locations\":[{\"line\":1,\"co"
		      "lumn\":1}]}"
		      ",{\"message\":\"Directive \\\"@y\\\" argument \\\"a\\\" of type \\\"[Int]!\\\" is required, but"
		      " it was not provided.\",\"locations\":[{\"line\":2,\"column\":5}]}"
		      ",{\"message\":\"Directive \\\"@y\\\" argument \\\"b\\\" of type \\\"Int!\\\" is required, but i"
		      "t was not provided.\",\"locations\":[{\"line\":2,\"column\":5}]}]");
}
END_TEST

START_TEST(defaults_that_do_not_coerce_leave_an_argument_required)
{
	expect_errors("{ r(b: 1) }",
		      "[{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":3}]}]");
}
END_TEST

START_TEST(variables_must_fit_the_position_they_are_used_in)
{
	expect_errors("query ($a: Int, $b: Int = 3, $c: Int = null) { r(b: $a) x: r(b: $b) y: r(b: $c) "
		      "}",
		      "[{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":48}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":48}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":57}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":57}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":69}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":69}]}"
		      ",{\"message\":\"Variable \\\"$a\\\" of type \\\"Int\\\" used in position expecting type \\\"I"
		      "nt!\\\".\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,\"column\":53}]}"
		      ",{\"message\":\"Variable \\\"$c\\\" of type \\\"Int\\\" used in position expecting type \\\"I"
		      "nt!\\\".\",\"locations\":[{\"line\":1,\"column\":30},{\"line\":1,\"column\":77}]}]");
	expect_errors("query ($a: Int) { f(def: $a) }",
		      "[]");
	expect_errors("query ($a: [Int], $b: [Int!]) { f(ll: $a) g: f(ll: [$b]) }",
		      "[{\"message\":\"Variable \\\"$a\\\" of type \\\"[Int]\\\" used in position expecting type \\"
		      "\"[[Int!]]\\\".\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,\"column\":39}]}]");
	expect_errors("query ($a: String, $n: Int) { f(a: $a) f2: f(in: {x: $n}) }",
		      "[{\"message\":\"Variable \\\"$a\\\" of type \\\"String\\\" used in position expecting type "
		      "\\\"Int\\\".\",\"locations\":[{\"line\":1,\"column\":8},{\"line\":1,\"column\":36}]}"
		      ",{\"message\":\"Variable \\\"$n\\\" of type \\\"Int\\\" used in position expecting type \\\"I"
		      "nt!\\\".\",\"locations\":[{\"line\":1,\"column\":20},{\"line\":1,\"column\":54}]}]");
	expect_errors("query ($a: Int!) { ...F } fragment F on Query { f(a: $a) r(b: $a) }",
		      "[{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":58}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":58}]}]");
	expect_errors("query A ($v: Int) { ...F } query B ($v: Int!) { ...F } fragment F on Query { r(b"
		      ": $v) }",
		      "[{\"message\":\"Variable \\\"$v\\\" of type \\\"Int\\\" used in position expecting type \\\"I"
		      "nt!\\\".\",\"locations\":[{\"line\":1,\"column\":10},{\"line\":1,\"column\":83}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":78}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":78}]}]");
	expect_errors("query ($a: Unknown, $b: Boolean) { r(b: $a) dog @include(if: $b) { name } }",
		      "[{\"message\":\"Unknown type \\\"Unknown\\\".\",\"locations\":[{\"line\":1,\"column\":12}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"x\\\" of type \\\"Int!\\\" is required, but it was"
		      " not provided.\",\"locations\":[{\"line\":1,\"column\":36}]}"
		      ",{\"message\":\"Field \\\"r\\\" argument \\\"y\\\" of type \\\"[Int!]!\\\" is required, but it "
		      "was not provided.\",\"locations\":[{\"line\":1,\"column\":36}]}"
		      ",{\"message\":\"Variable \\\"$b\\\" of type \\\"Boolean\\\" used in position expecting type"
		      " \\\"Boolean!\\\".\",\"locations\":[{\"line\":1,\"column\":21},{\"line\":1,\"column\":62}]}]");
}
END_TEST

START_TEST(fields_with_one_response_name_must_be_the_same_field_with_the_same_arguments)
{
	expect_errors("{ s(x: \"a\") s(x: \"b\") x: s x: dog { name } s }",
		      "[{\"message\":\"Fields \\\"s\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":13}]}"
		      ",{\"message\":\"Fields \\\"s\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":44}]}"
		      ",{\"message\":\"Fields \\\"s\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":13},{\"line\":1,\"column\":44}]}"
		      ",{\"message\":\"Fields \\\"x\\\" conflict because \\\"s\\\" and \\\"dog\\\" are different field"
		      "s. Use different aliases on the fields to fetch both if this was intentional.\",\""
		      "locations\":[{\"line\":1,\"column\":23},{\"line\":1,\"column\":28}]}]");
	expect_errors("{ a: f(in: {x: 1, y: \"a\"}) a: f(in: {y: \"a\", x: 1}) b: f(c: \"a\") b: f(c: \"\"\"a\"\"\""
		      ") c: f(l: [1]) c: f(l: [1.0]) }",
		      "[{\"message\":\"Fields \\\"b\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":53},{\"line\":1,\"column\":66}]}"
		      ",{\"message\":\"Fields \\\"c\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":83},{\"line\":1,\"column\":96}]}"
		      ",{\"message\":\"Int cannot represent non-integer value: 1.0\",\"locations\":[{\"line\":1"
		      ",\"column\":105}]}]");
	expect_errors("{ a: f(j: [[1], 2]) a: f(j: [[1, 2]]) b: f(j: {k: [1]}) b: f(j: {k: 1}) c: f(j: "
		      "[{}]) c: f(j: {}) }",
		      "[{\"message\":\"Fields \\\"a\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":21}]}"
		      ",{\"message\":\"Fields \\\"b\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":39},{\"line\":1,\"column\":57}]}"
		      ",{\"message\":\"Fields \\\"c\\\" conflict because they have differing arguments. Use di"
		      "fferent aliases on the fields to fetch both if this was intentional.\",\"locations"
		      "\":[{\"line\":1,\"column\":73},{\"line\":1,\"column\":87}]}]");
}
END_TEST

START_TEST(fields_of_exclusive_object_types_may_differ_but_not_in_type)
{
	expect_errors("{ pet { ... on Dog { volume } ... on Cat { volume } } cod { ... on Dog { v: name"
		      " } ... on Cat { v: nick } } }",
		      "[{\"message\":\"Fields \\\"volume\\\" conflict because they return conflicting types \\\""
		      "Int\\\" and \\\"String\\\". Use different aliases on the fields to fetch both if this "
		      "was intentional.\",\"locations\":[{\"line\":1,\"column\":22},{\"line\":1,\"column\":44}]}]");
	expect_errors("{ pet { ... on Dog { v: owner { name } } ... on Cat { v: owner { n: name n: id }"
		      " } } }",
		      "[{\"message\":\"Fields \\\"n\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fie"
		      "lds. Use different aliases on the fields to fetch both if this was intentional.\""
		      ",\"locations\":[{\"line\":1,\"column\":66},{\"line\":1,\"column\":74}]}]");
	expect_errors("{ human { pets { name } } human { pets: relatives { name } } }",
		      "[{\"message\":\"Fields \\\"human\\\" conflict because subfields \\\"pets\\\" conflict becau"
		      "se \\\"pets\\\" and \\\"relatives\\\" are different fields. Use different aliases on the"
		      " fields to fetch both if this was intentional.\",\"locations\":[{\"line\":1,\"column\":"
		      "3},{\"line\":1,\"column\":11},{\"line\":1,\"column\":27},{\"line\":1,\"column\":35}]}]");
}
END_TEST

START_TEST(conflicts_through_fragments_are_found_and_located)
{
	expect_errors("{ ...A ...B } fragment A on Query { x: s } fragment B on Query { x: dog { name }"
		      " }",
		      "[{\"message\":\"Fields \\\"x\\\" conflict because \\\"s\\\" and \\\"dog\\\" are different field"
		      "s. Use different aliases on the fields to fetch both if this was intentional.\",\""
		      "locations\":[{\"line\":1,\"column\":37},{\"line\":1,\"column\":66}]}]");
	expect_errors("{ dog { ...D } dog { name: nick } } fragment D on Dog { name }",
		      "[{\"message\":\"Fields \\\"dog\\\" conflict because subfields \\\"name\\\" conflict because"
		      " \\\"nick\\\" and \\\"name\\\" are different fields. Use different aliases on the fields"
		      " to fetch both if this was intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"li"
		      "ne\":1,\"column\":22},{\"line\":1,\"column\":16},{\"line\":1,\"column\":57}]}]");
	expect_errors("{ dog { ...D ...E } } fragment D on Dog { n: name } fragment E on Dog { n: nick "
		      "...D }",
		      "[{\"message\":\"Fields \\\"n\\\" conflict because \\\"name\\\" and \\\"nick\\\" are different f"
		      "ields. Use different aliases on the fields to fetch both if this was intentional"
		      ".\",\"locations\":[{\"line\":1,\"column\":43},{\"line\":1,\"column\":73}]}"
		      ",{\"message\":\"Fields \\\"n\\\" conflict because \\\"nick\\\" and \\\"name\\\" are different f"
		      "ields. Use different aliases on the fields to fetch both if this was intentional"
		      ".\",\"locations\":[{\"line\":1,\"column\":73},{\"line\":1,\"column\":43}]}]");
}
END_TEST

START_TEST(nested_conflicts_explain_each_level)
{
	expect_errors("{ dog { owner { a: name b: id } } dog { owner { a: id b: name } } }",
		      "[{\"message\":\"Fields \\\"dog\\\" conflict because subfields \\\"owner\\\" conflict becaus"
		      "e subfields \\\"a\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and "
		      "subfields \\\"b\\\" conflict because \\\"id\\\" and \\\"name\\\" are different fields. Use d"
		      "ifferent aliases on the fields to fetch both if this was intentional.\",\"location"
		      "s\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":9},{\"line\":1,\"column\":17},{\"line\":1"
		      ",\"column\":25},{\"line\":1,\"column\":35},{\"line\":1,\"column\":41},{\"line\":1,\"column\":4"
		      "9},{\"line\":1,\"column\":55}]}]");
	expect_errors("{ dog { owner { pets { name } } } dog { owner { pets { name: nick } } } }",
		      "[{\"message\":\"Fields \\\"dog\\\" conflict because subfields \\\"owner\\\" conflict becaus"
		      "e subfields \\\"pets\\\" conflict because subfields \\\"name\\\" conflict because \\\"name"
		      "\\\" and \\\"nick\\\" are different fields. Use different aliases on the fields to fet"
		      "ch both if this was intentional.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\""
		      "column\":9},{\"line\":1,\"column\":17},{\"line\":1,\"column\":24},{\"line\":1,\"column\":35},"
		      "{\"line\":1,\"column\":41},{\"line\":1,\"column\":49},{\"line\":1,\"column\":56}]}]");
}
END_TEST

START_TEST(long_conflict_messages_are_cut_as_graphql_js_cuts_them)
{
	expect_errors("{ dog { owner { k0: name k1: name k2: name k3: name k4: name k5: name k6: name k"
		      "7: name k8: name k9: name k10: name k11: name k12: name k13: name k14: name k15:"
		      " name k16: name k17: name k18: name k19: name k20: name k21: name k22: name k23:"
		      " name k24: name k25: name k26: name k27: name k28: name k29: name k30: name k31:"
		      " name k32: name k33: name k34: name k35: name k36: name k37: name k38: name k39:"
		      " name } } dog { owner { k0: id k1: id k2: id k3: id k4: id k5: id k6: id k7: id "
		      "k8: id k9: id k10: id k11: id k12: id k13: id k14: id k15: id k16: id k17: id k1"
		      "8: id k19: id k20: id k21: id k22: id k23: id k24: id k25: id k26: id k27: id k2"
		      "8: id k29: id k30: id k31: id k32: id k33: id k34: id k35: id k36: id k37: id k3"
		      "8: id k39: id } } }",
		      "[{\"message\":\"Fields \\\"dog\\\" conflict because subfields \\\"owner\\\" conflict becaus"
		      "e subfields \\\"k0\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and"
		      " subfields \\\"k1\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and "
		      "subfields \\\"k2\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and s"
		      "ubfields \\\"k3\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and su"
		      "bfields \\\"k4\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and sub"
		      "fields \\\"k5\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subf"
		      "ields \\\"k6\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfi"
		      "elds \\\"k7\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfie"
		      "lds \\\"k8\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfiel"
		      "ds \\\"k9\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfield"
		      "s \\\"k10\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfield"
		      "s \\\"k11\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfield"
		      "s \\\"k12\\\" conflict because \\\"name\\\" and \\\"id\\\" are different fields and subfield"
		      "s \\\"k1.... Use different aliases on the fields to fetch both if this was intenti"
		      "onal.\",\"locations\":[{\"line\":1,\"column\":3},{\"line\":1,\"column\":17},{\"line\":1,\"colu"
		      "mn\":26},{\"line\":1,\"column\":35},{\"line\":1,\"column\":44},{\"line\":1,\"column\":53},{\"l"
		      "ine\":1,\"column\":62},{\"line\":1,\"column\":71},{\"line\":1,\"column\":80},{\"line\":1,\"col"
		      "umn\":89},{\"line\":1,\"column\":98},{\"line\":1,\"column\":107},{\"line\":1,\"column\":117},"
		      "{\"line\":1,\"column\":127},{\"line\":1,\"column\":137},{\"line\":1,\"column\":147},{\"line\":"
		      "1,\"column\":157},{\"line\":1,\"column\":167},{\"line\":1,\"column\":177},{\"line\":1,\"colum"
		      "n\":187},{\"line\":1,\"column\":411},{\"line\":1,\"column\":425},{\"line\":1,\"column\":432},"
		      "{\"line\":1,\"column\":439},{\"line\":1,\"column\":446},{\"line\":1,\"column\":453},{\"line\":"
		      "1,\"column\":460},{\"line\":1,\"column\":467},{\"line\":1,\"column\":474},{\"line\":1,\"colum"
		      "n\":481},{\"line\":1,\"column\":488},{\"line\":1,\"column\":495},{\"line\":1,\"column\":503},"
		      "{\"line\":1,\"column\":511},{\"line\":1,\"column\":519},{\"line\":1,\"column\":527},{\"line\":"
		      "1,\"column\":535},{\"line\":1,\"column\":543},{\"line\":1,\"column\":551},{\"line\":1,\"colum"
		      "n\":559}]}]");
}
END_TEST

static const char budget_sdl[] = "type Query { a: Int b: String n: N s(x: Int): Int }\n"
				 "type N { n: N a: Int b: String }";

/* graphql-js spends 2 units of its 500000 per pair of fields compared: 707
 * identical fields (249571 pairs) are checked in full, 708 (250278 pairs)
 * end the validation, as do 10000 (the whole budget spent, no more). */
START_TEST(identical_fields_are_compared_until_graphql_js_budget_runs_out)
{
	gqlws_doc_limits limits = roomy_limits();
	char *doc = repeat("{", " a", 707, " }");
	ck_assert_ptr_null(errors_of(budget_sdl, doc, &limits));
	free(doc);
	size_t counts[] = {708, 10000};
	for (size_t i = 0; i < 2; i++) {
		doc = repeat("{", " a", counts[i], " }");
		cJSON *errors = errors_of(budget_sdl, doc, &limits);
		ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
		ck_assert(aborted(errors));
		cJSON_Delete(errors);
		free(doc);
	}
}
END_TEST

static char *spread_all(size_t n)
{
	size_t size = n * 64 + 16;
	char *doc = malloc(size);
	ck_assert_ptr_nonnull(doc);
	size_t used = (size_t)snprintf(doc, size, "{");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(doc + used, size - used, " ...F%zu", i);
	used += (size_t)snprintf(doc + used, size - used, " }");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(doc + used, size - used, " fragment F%zu on Query { a }", i);
	return doc;
}

static char *spread_chain(size_t n)
{
	size_t size = n * 64 + 64;
	char *doc = malloc(size);
	ck_assert_ptr_nonnull(doc);
	size_t used = (size_t)snprintf(doc, size, "{ ...F0 }");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(doc + used, size - used,
					 " fragment F%zu on Query { a ...F%zu }", i, i + 1);
	snprintf(doc + used, size - used, " fragment F%zu on Query { a }", n);
	return doc;
}

/* Fragments spread side by side are compared pair by pair (2 units each,
 * plus their fields): 447 fit in the budget, 448 and 1000 do not. A chain
 * of fragments each spreading the next is compared with every later one
 * from each fragment: 499 fit, 500 do not. */
START_TEST(fragments_are_compared_until_graphql_js_budget_runs_out)
{
	gqlws_doc_limits limits = roomy_limits();
	struct {
		char *(*make)(size_t);
		size_t n;
		bool aborts;
	} cases[] = {
		{spread_all, 447, false}, {spread_all, 448, true}, {spread_all, 1000, true},
		{spread_chain, 499, false}, {spread_chain, 500, true}, {spread_chain, 990, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *doc = cases[i].make(cases[i].n);
		cJSON *errors = errors_of(budget_sdl, doc, &limits);
		if (cases[i].aborts) {
			ck_assert_msg(errors && cJSON_GetArraySize(errors) == 1 && aborted(errors),
				      "case %zu", i);
		} else {
			ck_assert_msg(!errors, "case %zu", i);
		}
		cJSON_Delete(errors);
		free(doc);
	}
}
END_TEST

/* A document near the budget's end: 707 identical fields (499142 units)
 * under the response name `same`, then `sets` sets of the usual shape
 * `sI: n { a ...F }` (one fragment, no name shared with it: 2 units each,
 * spent without collecting them), then `t: n { a x0: a ... xJ: a ...F }`
 * (2 + J units), then the spreads `tail` and the fragments `head` and F. */
static char *near_budget(const char *head, const char *same, size_t sets, size_t extra,
			 const char *tail)
{
	size_t size = strlen(head) + strlen(tail) + 707 * (strlen(same) + 1) + sets * 32 + extra * 16 + 128;
	char *doc = malloc(size);
	ck_assert_ptr_nonnull(doc);
	size_t used = (size_t)snprintf(doc, size, "%s {", head);
	for (size_t i = 0; i < 707; i++)
		used += (size_t)snprintf(doc + used, size - used, " %s", same);
	for (size_t i = 0; i < sets; i++)
		used += (size_t)snprintf(doc + used, size - used, " s%zu: n { a ...F }", i);
	used += (size_t)snprintf(doc + used, size - used, " t: n { a");
	for (size_t i = 0; i < extra; i++)
		used += (size_t)snprintf(doc + used, size - used, " x%zu: a", i);
	snprintf(doc + used, size - used, " ...F }%s } fragment F on N { b }", tail);
	return doc;
}

/* Sets with one fragment and no field to compare with it are not
 * collected, but the units graphql-js spends on them are, and what it
 * remembers of the comparison is too: the last document of each pair
 * (found with graphql-js) ends the validation, the first does not. The
 * second pair fails if a set compared so is later collected without that
 * memory (G's n, collected when G and H are compared, would pay again for
 * F); the third if a fragment's own set is taken (A's, whose overlap with
 * B graphql-js remembers when A and B are compared). */
START_TEST(sets_spreading_one_fragment_spend_graphql_js_budget_without_being_collected)
{
	struct {
		const char *head, *same;
		size_t sets, extra;
		const char *tail;
	} cases[] = {
		{"", "a", 428, 0, ""},
		{"", "a", 428, 1, ""},
		{"fragment G on Query { n { a ...F } } fragment H on Query { n { b ...F } }", "a", 200, 34,
		 " ...G ...H"},
		{"fragment G on Query { n { a ...F } } fragment H on Query { n { b ...F } }", "a", 200, 35,
		 " ...G ...H"},
		{"fragment B on Query { b } fragment A on Query { a ...B }", "z: a", 0, 843, " ...A ...B"},
		{"fragment B on Query { b } fragment A on Query { a ...B }", "z: a", 0, 844, " ...A ...B"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *doc = near_budget(cases[i].head, cases[i].same, cases[i].sets, cases[i].extra,
					cases[i].tail);
		cJSON *errors = errors_of(budget_sdl, doc, NULL);
		if (i % 2) {
			ck_assert_msg(errors && cJSON_GetArraySize(errors) == 1 && aborted(errors),
				      "case %zu", i);
		} else {
			ck_assert_msg(!errors, "case %zu", i);
		}
		cJSON_Delete(errors);
		free(doc);
	}
}
END_TEST

/* 120 conflicting pairs in one selection set: graphql-js reports 100 and
 * then its error limit's own error, and the rule keeps no more than that. */
START_TEST(conflicts_stop_at_graphql_js_error_limit)
{
	char doc[8192] = "{";
	for (int i = 0; i < 120; i++) {
		size_t used = strlen(doc);
		snprintf(doc + used, sizeof doc - used, " x%d: a x%d: b", i, i);
	}
	strcat(doc, " }");
	cJSON *errors = errors_of(budget_sdl, doc, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 101);
	char want[256];
	for (int i = 0; i < 100; i++) {
		snprintf(want, sizeof want,
			 "Fields \"x%d\" conflict because \"a\" and \"b\" are different fields. Use "
			 "different aliases on the fields to fetch both if this was intentional.",
			 i);
		cJSON *error = cJSON_GetArrayItem(errors, i);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(error, "message")->valuestring, want);
	}
	ck_assert_str_eq(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 100), "message")->valuestring,
		"Too many validation errors, error limit reached. Validation aborted.");
	cJSON_Delete(errors);
}
END_TEST

/* A response name longer than 1000 characters is cut to 1000 and "...". */
START_TEST(long_response_names_are_abbreviated)
{
	char *name = repeat("", "x", 1100, "");
	size_t size = 3 * strlen(name) + 64;
	char *doc = malloc(size);
	snprintf(doc, size, "{ %s: a %s: b }", name, name);
	cJSON *errors = errors_of(budget_sdl, doc, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
	cJSON *error = cJSON_GetArrayItem(errors, 0);
	char *want = repeat("Fields \"", "x", 1000,
			    "...\" conflict because \"a\" and \"b\" are different fields. Use "
			    "different aliases on the fields to fetch both if this was intentional.");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(error, "message")->valuestring, want);
	cJSON *locations = cJSON_GetObjectItemCaseSensitive(error, "locations");
	ck_assert_int_eq(cJSON_GetArraySize(locations), 2);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(locations, 1), "column")->valueint,
			 3 + 1100 + 4); /* "{ ", the name, ": a " */
	cJSON_Delete(errors);
	free(want);
	free(doc);
	free(name);
}
END_TEST

/* A conflict 300 levels down: the message is cut at 1000 characters and
 * the locations are the outer field and the 19 innermost of each side. */
START_TEST(deep_conflicts_keep_graphql_js_message_and_locations)
{
	gqlws_doc_limits limits = roomy_limits();
	char *one = repeat("", "n { ", 300, "x: a");
	char *two = repeat("", "n { ", 300, "x: b");
	char *close = repeat("", " }", 300, "");
	size_t size = 2 * (strlen(one) + strlen(close)) + 16;
	char *doc = malloc(size);
	snprintf(doc, size, "{ %s%s %s%s }", one, close, two, close);
	cJSON *errors = errors_of(budget_sdl, doc, &limits);
	ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
	cJSON *error = cJSON_GetArrayItem(errors, 0);
	ck_assert_uint_eq(strlen(cJSON_GetObjectItemCaseSensitive(error, "message")->valuestring),
			  1107);
	cJSON *locations = cJSON_GetObjectItemCaseSensitive(error, "locations");
	ck_assert_int_eq(cJSON_GetArraySize(locations), 40);
	int columns[][2] = {{0, 3}, {1, 1131}, {2, 1135}, {39, 3008}};
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(locations, columns[i][0]),
						     "column")->valueint,
				 columns[i][1]);
	cJSON_Delete(errors);
	free(doc);
	free(one);
	free(two);
	free(close);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("schema_rules_v2");
	TCase *tc = tcase_create("rules");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, built_in_scalars_refuse_literals_with_graphql_js_parse_literal_messages);
	tcase_add_test(tc, null_is_refused_where_the_type_is_non_null);
	tcase_add_test(tc, enum_values_are_checked_with_suggestions);
	tcase_add_test(tc, input_objects_need_their_required_fields_and_no_unknown_ones);
	tcase_add_test(tc, lists_check_each_item_and_a_single_value_stands_for_a_list);
	tcase_add_test(tc, custom_scalars_accept_every_literal);
	tcase_add_test(tc, one_of_input_objects_take_exactly_one_non_null_field);
	tcase_add_test(tc, variable_defaults_are_checked_against_the_variable_type);
	tcase_add_test(tc, values_print_as_graphql_js_prints_them);
	tcase_add_test(tc, missing_required_arguments_are_reported_when_the_field_or_directive_is_left);
	tcase_add_test(tc, directives_the_document_defines_replace_the_schema_ones_for_required_arguments);
	tcase_add_test(tc, defaults_that_do_not_coerce_leave_an_argument_required);
	tcase_add_test(tc, variables_must_fit_the_position_they_are_used_in);
	tcase_add_test(tc, fields_with_one_response_name_must_be_the_same_field_with_the_same_arguments);
	tcase_add_test(tc, fields_of_exclusive_object_types_may_differ_but_not_in_type);
	tcase_add_test(tc, conflicts_through_fragments_are_found_and_located);
	tcase_add_test(tc, nested_conflicts_explain_each_level);
	tcase_add_test(tc, long_conflict_messages_are_cut_as_graphql_js_cuts_them);
	tcase_add_test(tc, identical_fields_are_compared_until_graphql_js_budget_runs_out);
	tcase_add_test(tc, fragments_are_compared_until_graphql_js_budget_runs_out);
	tcase_add_test(tc, sets_spreading_one_fragment_spend_graphql_js_budget_without_being_collected);
	tcase_add_test(tc, conflicts_stop_at_graphql_js_error_limit);
	tcase_add_test(tc, long_response_names_are_abbreviated);
	tcase_add_test(tc, deep_conflicts_keep_graphql_js_message_and_locations);
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
