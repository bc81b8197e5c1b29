/*
 * hub_bind.c - a hub's schema and its bindings (gqlws_hub_new): the SDL's
 * own errors returned as they are, every check of @topic, @publish and
 * @retained with its message at the directive, the bindings of a valid
 * schema, and topic templates expanded from each kind of argument value
 * (hub_template_expand).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_hub.h"
#include "hub_internal.h"

/* Line and column (1-based) of the first occurrence of needle in text. */
static void position_of(const char *text, const char *needle, int *line, int *column)
{
	const char *at = strstr(text, needle);
	ck_assert_msg(at != NULL, "no %s in the SDL", needle);
	*line = 1;
	*column = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/* gqlws_hub_new refuses sdl with exactly one error: message, located at the
 * first occurrence of `at` in sdl. */
static void expect_one_error(const char *sdl, const char *message, const char *at)
{
	cJSON *errors = (cJSON *)1;
	gqlws_hub *hub = gqlws_hub_new(sdl, strlen(sdl), NULL, &errors);
	ck_assert_ptr_null(hub);
	ck_assert_ptr_nonnull(errors);
	char *printed = cJSON_PrintUnformatted(errors);
	ck_assert_msg(cJSON_GetArraySize(errors) == 1, "errors: %s", printed);
	const cJSON *e = cJSON_GetArrayItem(errors, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(e, "message")->valuestring, message);
	int line, column;
	position_of(sdl, at, &line, &column);
	const cJSON *loc = cJSON_GetArrayItem(cJSON_GetObjectItem(e, "locations"), 0);
	ck_assert_msg(cJSON_GetArraySize(cJSON_GetObjectItem(e, "locations")) == 1, "%s", printed);
	ck_assert_int_eq(cJSON_GetObjectItem(loc, "line")->valueint, line);
	ck_assert_int_eq(cJSON_GetObjectItem(loc, "column")->valueint, column);
	cJSON_free(printed);
	cJSON_Delete(errors);
}

static gqlws_hub *hub_of(const char *sdl)
{
	cJSON *errors = NULL;
	gqlws_hub *hub = gqlws_hub_new(sdl, strlen(sdl), NULL, &errors);
	if (!hub) {
		char *printed = cJSON_PrintUnformatted(errors);
		ck_abort_msg("hub refused: %s", printed);
	}
	ck_assert_ptr_null(errors);
	return hub;
}

/* ------------------------------------------------------- the SDL's own */

START_TEST(directives_sdl_declares_the_three_directives)
{
	ck_assert_str_eq(gqlws_hub_directives_sdl,
			 "directive @topic(name: String!) on FIELD_DEFINITION\n"
			 "directive @publish(topic: String!, payload: String) on FIELD_DEFINITION\n"
			 "directive @retained(topic: String!) on FIELD_DEFINITION\n");
}
END_TEST

START_TEST(sdl_errors_are_returned_as_they_are_with_the_users_lines)
{
	expect_one_error("type Query {\n  a: Unknown\n}", "Unknown type \"Unknown\".", "Unknown");
	expect_one_error("type Query { a: Int @topc(name: \"x\") }", "Unknown directive \"@topc\".", "@topc");
}
END_TEST

START_TEST(directive_arguments_are_checked_by_the_schema)
{
	expect_one_error("type Query { a: Int }\ntype Subscription { s: Int @topic }",
			 "Directive \"@topic\" argument \"name\" of type \"String!\" is required, but it was not provided.",
			 "@topic");
	expect_one_error("type Query { a: Int }\ntype Subscription { s: Int @topic(name: 1) }",
			 "Directive \"@topic\" argument \"name\" must be a string.", "1)");
	expect_one_error("type Query { a: Int }\ntype Subscription { s: Int @topic(name: null) }",
			 "Directive \"@topic\" argument \"name\" must be a string.", "@topic");
	expect_one_error("type Query { a: Int }\ntype Mutation { m: Int @publish(topic: \"m\", payload: A) }",
			 "Directive \"@publish\" argument \"payload\" must be a string.", "A)");
}
END_TEST

START_TEST(a_schema_without_bindings_is_a_hub)
{
	gqlws_hub *hub = hub_of("type Query { a: Int }");
	ck_assert_ptr_nonnull(gqlws_hub_schema(hub));
	ck_assert_str_eq(gqlws_schema_root_type(gqlws_hub_schema(hub), GQLWS_DOC_QUERY), "Query");
	ck_assert_ptr_null(hub_binding_find(hub, HUB_BINDING_RETAINED, "a"));
	gqlws_hub_free(hub);
	gqlws_hub_free(NULL);
}
END_TEST

/* ------------------------------------------------------ where they stand */

START_TEST(topic_only_on_subscription_fields)
{
	expect_one_error("type Query { a: Int @topic(name: \"x\") }",
			 "Directive \"@topic\" can only be used on a field of the subscription root type; "
			 "\"Query.a\" is not one.",
			 "@topic");
	expect_one_error("type Query { a: T }\ntype T { b: Int @topic(name: \"x\") }",
			 "Directive \"@topic\" can only be used on a field of the subscription root type; "
			 "\"T.b\" is not one.",
			 "@topic");
}
END_TEST

START_TEST(publish_only_on_mutation_fields)
{
	expect_one_error("type Query { a(x: Int): Int @publish(topic: \"x\") }",
			 "Directive \"@publish\" can only be used on a field of the mutation root type; "
			 "\"Query.a\" is not one.",
			 "@publish");
	expect_one_error("type Query { a: Int }\ninterface I { b: Int @publish(topic: \"x\") }\n"
			 "type Mutation implements I { b: Int @publish(topic: \"x\") }",
			 "Directive \"@publish\" can only be used on a field of the mutation root type; "
			 "\"I.b\" is not one.",
			 "@publish");
}
END_TEST

START_TEST(retained_only_on_query_fields)
{
	expect_one_error("type Query { a: Int }\ntype Subscription { s: Int @topic(name: \"s\") @retained(topic: \"s\") }",
			 "Directive \"@retained\" can only be used on a field of the query root type; "
			 "\"Subscription.s\" is not one.",
			 "@retained");
	/* a root type of another name, from the schema definition */
	expect_one_error("schema { query: Q mutation: M }\ntype Q { a: Int }\n"
			 "type M { m: Int @retained(topic: \"x\") }",
			 "Directive \"@retained\" can only be used on a field of the query root type; "
			 "\"M.m\" is not one.",
			 "@retained");
}
END_TEST

START_TEST(every_subscription_field_needs_topic)
{
	expect_one_error("type Query { a: Int }\ntype Subscription {\n  ok: Int @topic(name: \"ok\")\n  bare: Int\n}",
			 "Subscription field \"Subscription.bare\" has no @topic directive: every subscription "
			 "field needs @topic(name: \"...\") to name the topic it listens to.",
			 "bare");
}
END_TEST

START_TEST(every_problem_is_reported_in_schema_order)
{
	const char *sdl = "type Query { a: Int @topic(name: \"x\") }\n"
			  "type Subscription { s(id: ID): Int @topic(name: \"s.{nope}\") }\n"
			  "type Mutation { m: Int @retained(topic: \"m\") }";
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_hub_new(sdl, strlen(sdl), NULL, &errors));
	ck_assert_int_eq(cJSON_GetArraySize(errors), 3);
	ck_assert(strstr(cJSON_GetArrayItem(errors, 0)->child->valuestring, "\"Query.a\""));
	ck_assert(strstr(cJSON_GetArrayItem(errors, 1)->child->valuestring, "\"nope\""));
	ck_assert(strstr(cJSON_GetArrayItem(errors, 2)->child->valuestring, "\"Mutation.m\""));
	cJSON_Delete(errors);
}
END_TEST


START_TEST(errors_stop_after_one_hundred)
{
	char *sdl = malloc(200 * 32 + 64);
	size_t n = (size_t)sprintf(sdl, "type Query { a: Int }\ntype Subscription {\n");
	for (int i = 0; i < 150; i++)
		n += (size_t)sprintf(sdl + n, "  f%d: Int\n", i);
	strcpy(sdl + n, "}");
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_hub_new(sdl, strlen(sdl), NULL, &errors));
	ck_assert_int_eq(cJSON_GetArraySize(errors), 101);
	const cJSON *last = cJSON_GetArrayItem(errors, 100);
	ck_assert_str_eq(cJSON_GetObjectItem(last, "message")->valuestring,
			 "Too many errors in the topic bindings; checking stopped.");
	ck_assert_ptr_null(cJSON_GetObjectItem(last, "locations"));
	cJSON_Delete(errors);
	free(sdl);
}
END_TEST

START_TEST(template_of_long_names)
{
	char name[201], sdl[1024];
	memset(name, 'n', 200);
	name[200] = '\0';
	snprintf(sdl, sizeof sdl, "type Query { a: Int }\ntype Subscription { s(%s: ID): Int @topic(name: \"t.{%s}\") }",
		 name, name);
	gqlws_hub *hub = hub_of(sdl);
	const hub_binding *b = hub_binding_find(hub, HUB_BINDING_TOPIC, "s");
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->topic.parts[1].arg, name);
	gqlws_hub_free(hub);
}
END_TEST

/* --------------------------------------------------------------- templates */

#define SUB_SDL(args, template)                                                          \
	"type Query { a: Int }\n"                                                        \
	"input Filter { room: String tags: [String] inner: Filter kind: Kind }\n"        \
	"enum Kind { A B }\n"                                                            \
	"type Subscription { s" args ": Int @topic(name: \"" template "\") }"

START_TEST(template_brace_not_closed)
{
	expect_one_error(SUB_SDL("(id: ID)", "room.{id"),
			 "Topic template \"room.{id\" has a \"{\" that is not closed.", "@topic");
}
END_TEST

START_TEST(template_brace_closes_nothing)
{
	expect_one_error(SUB_SDL("(id: ID)", "room.id}"),
			 "Topic template \"room.id}\" has a \"}\" that closes nothing.", "@topic");
}
END_TEST

START_TEST(template_empty_braces)
{
	expect_one_error(SUB_SDL("(id: ID)", "room.{}"),
			 "Topic template \"room.{}\" has an empty \"{}\": name an argument of the field inside "
			 "the braces.",
			 "@topic");
}
END_TEST

START_TEST(template_braces_do_not_nest)
{
	expect_one_error(SUB_SDL("(id: ID)", "room.{a{id}}"),
			 "Topic template \"room.{a{id}}\" has a \"{\" inside \"{...}\": references do not nest.",
			 "@topic");
}
END_TEST

START_TEST(template_reference_must_be_a_name_or_name_dot_name)
{
	expect_one_error(SUB_SDL("(f: Filter)", "room.{f.inner.room}"),
			 "Topic template \"room.{f.inner.room}\" has \"{f.inner.room}\", which is neither "
			 "\"{argument}\" nor \"{argument.field}\".",
			 "@topic");
	expect_one_error(SUB_SDL("(id: ID)", "room.{ id }"),
			 "Topic template \"room.{ id }\" has \"{ id }\", which is neither \"{argument}\" nor "
			 "\"{argument.field}\".",
			 "@topic");
}
END_TEST

START_TEST(template_names_an_argument_of_the_field)
{
	expect_one_error(SUB_SDL("(id: ID)", "room.{room}"),
			 "Topic template \"room.{room}\" names \"room\", which is not an argument of field "
			 "\"Subscription.s\".",
			 "@topic");
}
END_TEST

START_TEST(template_argument_is_a_leaf)
{
	expect_one_error(SUB_SDL("(ids: [ID!]!)", "room.{ids}"),
			 "Topic template \"room.{ids}\" uses argument \"ids\" of type \"[ID!]!\" whole: a topic "
			 "name takes scalar and enum values only.",
			 "@topic");
	expect_one_error(SUB_SDL("(f: Filter!)", "room.{f}"),
			 "Topic template \"room.{f}\" uses argument \"f\" of type \"Filter!\" whole: a topic "
			 "name takes scalar and enum values only (name one of its fields: \"{argument.field}\").",
			 "@topic");
}
END_TEST

START_TEST(template_field_of_an_input_object)
{
	expect_one_error(SUB_SDL("(id: ID)", "room.{id.x}"),
			 "Topic template \"room.{id.x}\" reads field \"x\" of argument \"id\", whose type \"ID\" "
			 "is not an input object.",
			 "@topic");
	expect_one_error(SUB_SDL("(f: Filter)", "room.{f.nope}"),
			 "Topic template \"room.{f.nope}\" reads field \"nope\" of argument \"f\", but input "
			 "type \"Filter\" has no field \"nope\".",
			 "@topic");
	expect_one_error(SUB_SDL("(f: Filter)", "room.{f.tags}"),
			 "Topic template \"room.{f.tags}\" uses field \"Filter.tags\" of type \"[String]\": a "
			 "topic name takes scalar and enum values only.",
			 "@topic");
}
END_TEST

START_TEST(template_constant_parts_are_topic_characters)
{
	char message[512];
	snprintf(message, sizeof message, "Topic template \"room/{id}\" cannot make a valid topic name: %s",
		 gqlws_hub_topic_invalid("room/", 5));
	expect_one_error(SUB_SDL("(id: ID)", "room/{id}"), message, "@topic");
	snprintf(message, sizeof message, "Topic template \"\" cannot make a valid topic name: %s",
		 gqlws_hub_topic_invalid("", 0));
	expect_one_error(SUB_SDL("", ""), message, "@topic");
}
END_TEST

START_TEST(publish_payload_names_an_argument)
{
	expect_one_error("type Query { a: Int }\n"
			 "type Mutation { m(x: Int): Int @publish(topic: \"m\", payload: \"y\") }",
			 "Argument \"payload\" of \"@publish\" names \"y\", which is not an argument of field "
			 "\"Mutation.m\".",
			 "@publish");
}
END_TEST

START_TEST(bindings_of_a_valid_schema)
{
	gqlws_hub *hub = hub_of("type Query { stock(symbol: String!): Int @retained(topic: \"stock.{symbol}\") plain: Int }\n"
				"input Msg { room: ID! text: String }\n"
				"type Mutation {\n"
				"  setPrice(symbol: String!, price: Float!): Int @publish(topic: \"stock.{symbol}\")\n"
				"  post(msg: Msg!): Int @publish(topic: \"room.{msg.room}.x\", payload: \"msg\")\n"
				"}\n"
				"type Subscription { stock(symbol: String!): Int @topic(name: \"stock.{symbol}\") }");
	const hub_binding *b = hub_binding_find(hub, HUB_BINDING_RETAINED, "stock");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->kind, HUB_BINDING_RETAINED);
	ck_assert_uint_eq(b->topic.count, 2);
	ck_assert_int_eq((int)b->topic.parts[0].len, 6);
	ck_assert(!memcmp(b->topic.parts[0].text, "stock.", 6));
	ck_assert_str_eq(b->topic.parts[1].arg, "symbol");
	ck_assert_ptr_null(b->topic.parts[1].field);
	ck_assert_ptr_null(hub_binding_find(hub, HUB_BINDING_RETAINED, "plain"));
	ck_assert_ptr_null(hub_binding_find(hub, HUB_BINDING_TOPIC, "setPrice"));
	ck_assert_ptr_nonnull(hub_binding_find(hub, HUB_BINDING_TOPIC, "stock"));
	ck_assert_ptr_nonnull(hub_binding_find(hub, HUB_BINDING_PUBLISH, "setPrice"));
	ck_assert_ptr_null(hub_binding_find(hub, HUB_BINDING_PUBLISH, "setPrice")->payload);
	b = hub_binding_find(hub, HUB_BINDING_PUBLISH, "post");
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->payload, "msg");
	ck_assert_uint_eq(b->topic.count, 3);
	ck_assert_str_eq(b->topic.parts[1].arg, "msg");
	ck_assert_str_eq(b->topic.parts[1].field, "room");
	gqlws_hub_free(hub);
}
END_TEST

/* ---------------------------------------------------------- expansion */

/* Expands template (as @topic's name) against `subscription { s<args> }`:
 * returns what hub_template_expand returns, with the topic or the reason
 * in out. */
static int expand(const char *template_text, const char *args, char *out, size_t size)
{
	char sdl[1024], query[512];
	snprintf(sdl, sizeof sdl,
		 "type Query { a: Int }\n"
		 "scalar JSON\n"
		 "enum Side { BUY SELL }\n"
		 "input Where { room: String, n: Int }\n"
		 "type Subscription {\n"
		 "  s(str: String, id: ID, i: Int, f: Float, b: Boolean, e: Side, w: Where, j: JSON, d: Int = 42): Int\n"
		 "    @topic(name: \"%s\")\n"
		 "}",
		 template_text);
	snprintf(query, sizeof query, "subscription { s%s }", args);
	gqlws_hub *hub = hub_of(sdl);
	const hub_binding *b = hub_binding_find(hub, HUB_BINDING_TOPIC, "s");
	ck_assert_ptr_nonnull(b);
	cJSON *errors = NULL;
	gqlws_request req = {.id = "1", .query = query, .query_len = strlen(query)};
	gqlws_schema_request *r = gqlws_schema_request_new(gqlws_hub_schema(hub), &req, NULL, 0, &errors, NULL);
	ck_assert_msg(r != NULL, "request %s refused", query);

	gqlws_doc_buf buf = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_doc_buf_append(&buf, "kept|", 5), 0);
	char why[HUB_TEMPLATE_WHY_BYTES] = "";
	int rc = hub_template_expand(&b->topic, r, 0, &buf, why);
	ck_assert(buf.len >= 5 && !memcmp(buf.data, "kept|", 5)); /* appended after what was there */
	if (rc == 0)
		snprintf(out, size, "%.*s", (int)(buf.len - 5), buf.data + 5);
	else
		snprintf(out, size, "%s", why);
	if (rc == 1)
		ck_assert_uint_eq(buf.len, 5); /* nothing left of a refused topic */
	gqlws_doc_buf_free(&buf);
	gqlws_schema_request_free(r);
	gqlws_hub_free(hub);
	return rc;
}

static void expect_topic(const char *template_text, const char *args, const char *topic)
{
	char out[512];
	ck_assert_int_eq(expand(template_text, args, out, sizeof out), 0);
	ck_assert_str_eq(out, topic);
}

static void expect_refusal(const char *template_text, const char *args, const char *why)
{
	char out[512];
	ck_assert_int_eq(expand(template_text, args, out, sizeof out), 1);
	ck_assert_str_eq(out, why);
}

START_TEST(expand_string_and_id_as_they_are)
{
	expect_topic("t.{str}", "(str: \"AAPL\")", "t.AAPL");
	expect_topic("t.{id}", "(id: \"room-1\")", "t.room-1");
	expect_topic("t.{id}", "(id: 7)", "t.7"); /* an ID literal 7 is "7" */
	expect_topic("{str}", "(str: \"x\")", "x");
}
END_TEST

START_TEST(expand_int_and_float_as_javascript_strings)
{
	expect_topic("t.{i}", "(i: -12)", "t.-12");
	expect_topic("t.{f}", "(f: 1.5)", "t.1.5");
	expect_topic("t.{f}", "(f: 100.0)", "t.100");
	expect_topic("t.{f}", "(f: 7)", "t.7");
	expect_topic("t.{f}", "(f: 1e21)", "t.1e+21");
	expect_topic("t.{f}", "(f: 123456789012345680000)", "t.123456789012345680000");
	expect_topic("t.{f}", "(f: 0.0000001)", "t.1e-7");
}
END_TEST

START_TEST(expand_boolean_enum_input_field_and_default)
{
	expect_topic("t.{b}", "(b: true)", "t.true");
	expect_topic("t.{b}", "(b: false)", "t.false");
	expect_topic("t.{e}", "(e: SELL)", "t.SELL");
	expect_topic("t.{w.room}.{w.n}", "(w: {n: 3, room: \"lobby\"})", "t.lobby.3");
	expect_topic("t.{d}", "", "t.42");
	expect_topic("t.{j}", "(j: \"raw\")", "t.raw");
}
END_TEST

START_TEST(expand_refuses_absent_and_null_values)
{
	expect_refusal("t.{str}", "", "Topic name needs a value of argument \"str\".");
	expect_refusal("t.{str}", "(str: null)", "Topic name needs a value of argument \"str\".");
	expect_refusal("t.{w.room}", "(w: {n: 1})", "Topic name needs a value of argument \"w.room\".");
	expect_refusal("t.{w.room}", "", "Topic name needs a value of argument \"w.room\".");
	expect_refusal("t.{j}", "(j: {a: 1})",
		       "Topic name cannot be made from the list or object value of argument \"j\".");
}
END_TEST

START_TEST(expand_refuses_values_that_make_no_topic_name)
{
	char out[512];
	ck_assert_int_eq(expand("t.{str}", "(str: \"a b\")", out, sizeof out), 1);
	ck_assert_str_eq(out, gqlws_hub_topic_invalid("t.a b", 5));
	ck_assert_int_eq(expand("{str}", "(str: \"\")", out, sizeof out), 1);
	ck_assert_str_eq(out, gqlws_hub_topic_invalid("", 0));
	char args[400] = "(str: \"";
	memset(args + 7, 'x', 300);
	strcpy(args + 307, "\")");
	ck_assert_int_eq(expand("{str}", args, out, sizeof out), 1);
	ck_assert_str_eq(out, gqlws_hub_topic_invalid(args + 7, 300));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hub_bind");
	TCase *sdl = tcase_create("sdl");
	tcase_add_test(sdl, directives_sdl_declares_the_three_directives);
	tcase_add_test(sdl, sdl_errors_are_returned_as_they_are_with_the_users_lines);
	tcase_add_test(sdl, directive_arguments_are_checked_by_the_schema);
	tcase_add_test(sdl, a_schema_without_bindings_is_a_hub);
	suite_add_tcase(s, sdl);

	TCase *where = tcase_create("where");
	tcase_add_test(where, topic_only_on_subscription_fields);
	tcase_add_test(where, publish_only_on_mutation_fields);
	tcase_add_test(where, retained_only_on_query_fields);
	tcase_add_test(where, every_subscription_field_needs_topic);
	tcase_add_test(where, every_problem_is_reported_in_schema_order);
	tcase_add_test(where, errors_stop_after_one_hundred);
	suite_add_tcase(s, where);

	TCase *templates = tcase_create("templates");
	tcase_add_test(templates, template_brace_not_closed);
	tcase_add_test(templates, template_brace_closes_nothing);
	tcase_add_test(templates, template_empty_braces);
	tcase_add_test(templates, template_braces_do_not_nest);
	tcase_add_test(templates, template_reference_must_be_a_name_or_name_dot_name);
	tcase_add_test(templates, template_names_an_argument_of_the_field);
	tcase_add_test(templates, template_argument_is_a_leaf);
	tcase_add_test(templates, template_field_of_an_input_object);
	tcase_add_test(templates, template_constant_parts_are_topic_characters);
	tcase_add_test(templates, publish_payload_names_an_argument);
	tcase_add_test(templates, bindings_of_a_valid_schema);
	tcase_add_test(templates, template_of_long_names);
	suite_add_tcase(s, templates);

	TCase *expansion = tcase_create("expansion");
	tcase_add_test(expansion, expand_string_and_id_as_they_are);
	tcase_add_test(expansion, expand_int_and_float_as_javascript_strings);
	tcase_add_test(expansion, expand_boolean_enum_input_field_and_default);
	tcase_add_test(expansion, expand_refuses_absent_and_null_values);
	tcase_add_test(expansion, expand_refuses_values_that_make_no_topic_name);
	suite_add_tcase(s, expansion);

	SRunner *runner = srunner_create(s);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
