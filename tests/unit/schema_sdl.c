/*
 * schema_sdl.c - schemas built from SDL: the model graphql-js's
 * buildSchema() makes (type map order, directives, root types, possible
 * types, extensions, defaults, deprecation, the built-in and introspection
 * types) and the errors it gives for SDL it refuses.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"
#include "schema_internal.h"

static gqlws_schema *build(const char *sdl)
{
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	if (!schema) {
		char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
		ck_abort_msg("schema refused: %s", text ? text : "(no memory)");
	}
	ck_assert_ptr_null(errors);
	return schema;
}

/* The names of types (or directives), space separated, into buf. */
static const char *type_names(const schema_type *const *types, size_t n, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s", i ? " " : "", types[i]->name);
	}
	return buf;
}

static const char *directive_names(const gqlws_schema *schema, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < schema->directive_count; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s", i ? " " : "", schema->directives[i]->name);
	}
	return buf;
}

static const char *const introspection_names =
	"__Schema __Type __TypeKind __Field __InputValue __EnumValue __Directive "
	"__DirectiveLocation";

START_TEST(types_come_in_graphql_js_type_map_order)
{
	gqlws_schema *schema = build("type Query { a: String foo: Foo } type Foo { b: Int }");
	char buf[1024], want[1024];
	snprintf(want, sizeof want, "Query String Foo Int Boolean %s", introspection_names);
	ck_assert_str_eq(type_names(schema->types, schema->type_count, buf, sizeof buf), want);
	for (size_t i = 0; i < schema->type_count; i++)
		ck_assert_uint_eq(schema->types[i]->index, i);
	ck_assert_str_eq(directive_names(schema, buf, sizeof buf),
			 "include skip deprecated specifiedBy oneOf");
	gqlws_schema_free(schema);
}
END_TEST

static const char *const abstract_sdl =
	"interface Node { id: ID! } interface Entity implements Node { id: ID! }\n"
	"type B implements Entity & Node { id: ID! x: [Float!] } union U = B | A\n"
	"type A implements Node { id: ID! } extend type A implements Entity\n"
	"type Query { u: U, n(first: Int = 10): Node @deprecated }\n"
	"enum E { X Y @deprecated(reason: \"old\") } input In { e: E = X }";

START_TEST(possible_types_follow_the_type_map_and_extensions)
{
	gqlws_schema *schema = build(abstract_sdl);
	char buf[1024], want[1024];
	snprintf(want, sizeof want, "Node ID Entity B Float U A Query Int E In Boolean String %s",
		 introspection_names);
	ck_assert_str_eq(type_names(schema->types, schema->type_count, buf, sizeof buf), want);
	const schema_type *node = schema_type_find(schema, "Node");
	const schema_type *entity = schema_type_find(schema, "Entity");
	const schema_type *u = schema_type_find(schema, "U");
	const schema_type *a = schema_type_find(schema, "A");
	const schema_type *b = schema_type_find(schema, "B");
	ck_assert_str_eq(type_names(node->possible, node->possible_count, buf, sizeof buf), "B A");
	ck_assert_str_eq(type_names(node->implementing_interfaces,
				    node->implementing_interface_count, buf, sizeof buf),
			 "Entity");
	ck_assert_str_eq(type_names(entity->possible, entity->possible_count, buf, sizeof buf),
			 "B A");
	ck_assert_str_eq(type_names(u->possible, u->possible_count, buf, sizeof buf), "B A");
	ck_assert_str_eq(type_names(a->interfaces, a->interface_count, buf, sizeof buf),
			 "Node Entity");
	ck_assert(schema_is_possible_type(entity, a));
	ck_assert(schema_is_sub_type(node, entity));
	ck_assert(!schema_is_possible_type(u, schema_type_find(schema, "Query")));
	ck_assert(schema_types_overlap(u, node));
	ck_assert(schema_types_overlap(entity, b));
	ck_assert(!schema_types_overlap(schema_type_find(schema, "Query"), b));
	/* membership is searched by type index: a union's members sorted */
	ck_assert_ptr_eq(u->possible_by_index[0], b); /* B comes before A in the type map */
	ck_assert(schema_is_possible_type(u, a) && schema_is_possible_type(u, b));
	ck_assert(!schema_is_sub_type(u, node));
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(defaults_and_deprecation_are_read_from_the_sdl)
{
	gqlws_schema *schema = build(abstract_sdl);
	const schema_type *query = schema_type_find(schema, "Query");
	const schema_field *n = schema_field_find(query, "n");
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->deprecation_reason, "No longer supported");
	ck_assert_uint_eq(n->arg_count, 1);
	ck_assert_str_eq(n->args[0].default_value->text, "10");
	ck_assert_ptr_null(schema_field_find(query, "u")->deprecation_reason);
	const schema_type *e = schema_type_find(schema, "E");
	ck_assert_ptr_null(schema_enum_value_find(e, "X")->deprecation_reason);
	ck_assert_str_eq(schema_enum_value_find(e, "Y")->deprecation_reason, "old");
	const schema_input_value *in_e = schema_input_field_find(schema_type_find(schema, "In"), "e");
	ck_assert_int_eq(in_e->default_value->kind, DOC_VALUE_ENUM);
	char printed[64];
	ck_assert_uint_eq(schema_ref_print(schema_field_find(schema_type_find(schema, "B"), "x")->type,
					   printed, sizeof printed),
			  8);
	ck_assert_str_eq(printed, "[Float!]");
	ck_assert_str_eq(gqlws_schema_root_type(schema, GQLWS_DOC_QUERY), "Query");
	ck_assert_ptr_null(gqlws_schema_root_type(schema, GQLWS_DOC_MUTATION));
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(a_schema_definition_names_the_root_types)
{
	gqlws_schema *schema = build("\"the schema\" schema { query: Q subscription: S }\n"
				     "type Q { a: Int } type S { s: Int } type Query { x: Int }\n"
				     "extend schema { mutation: Q }");
	ck_assert_str_eq(gqlws_schema_root_type(schema, GQLWS_DOC_QUERY), "Q");
	ck_assert_str_eq(gqlws_schema_root_type(schema, GQLWS_DOC_MUTATION), "Q");
	ck_assert_str_eq(gqlws_schema_root_type(schema, GQLWS_DOC_SUBSCRIPTION), "S");
	ck_assert_str_eq(schema->description, "the schema");
	/* __schema and __type are fields of the query type only */
	const schema_type *q = schema_type_find(schema, "Q"), *s = schema_type_find(schema, "S");
	ck_assert_ptr_nonnull(schema_field_def(schema, q, "__schema"));
	ck_assert_ptr_null(schema_field_def(schema, s, "__schema"));
	ck_assert_str_eq(schema_field_def(schema, s, "__typename")->name, "__typename");
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(descriptions_extensions_and_directive_definitions_are_kept)
{
	gqlws_schema *schema = build(
		"\"\"\"\n  Block\n  described\n\"\"\"\ntype Query { \"f\" f(\"arg\" a: Int): Int }\n"
		"extend type Query { g: String }\n"
		"scalar Url @specifiedBy(url: \"https://example.com/url\")\n"
		"\"my directive\" directive @topic(name: String!) repeatable on FIELD_DEFINITION | OBJECT\n"
		"input One @oneOf { a: Int b: Int }\n"
		"type T { u: Url o(x: One): Int }");
	const schema_type *query = schema_type_find(schema, "Query");
	ck_assert_str_eq(query->description, "Block\ndescribed");
	ck_assert_uint_eq(query->field_count, 2);
	ck_assert_str_eq(query->fields[1].name, "g");
	ck_assert_str_eq(query->fields[0].description, "f");
	ck_assert_str_eq(query->fields[0].args[0].description, "arg");
	ck_assert_str_eq(schema_type_find(schema, "Url")->specified_by_url, "https://example.com/url");
	ck_assert(schema_type_find(schema, "One")->one_of);
	const schema_directive *topic = schema_directive_find(schema, "topic");
	ck_assert_ptr_nonnull(topic);
	ck_assert(topic->repeatable);
	ck_assert(!topic->builtin);
	ck_assert_str_eq(topic->description, "my directive");
	ck_assert_uint_eq(topic->locations,
			  (1u << SCHEMA_LOC_FIELD_DEFINITION) | (1u << SCHEMA_LOC_OBJECT));
	ck_assert_ptr_eq(schema->directives[0], topic);
	/* locations also as written, for introspection */
	ck_assert_uint_eq(topic->location_list_count, 2);
	ck_assert_int_eq(topic->location_list[0], SCHEMA_LOC_FIELD_DEFINITION);
	ck_assert_int_eq(topic->location_list[1], SCHEMA_LOC_OBJECT);
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(every_extend_form_appends_in_document_order)
{
	gqlws_schema *schema = build(
		"type Query { a: Int } extend type Query { b: Int }\n"
		"interface I { x: Int } extend interface I @d { y: Int }\n"
		"directive @d on INTERFACE | SCALAR | UNION | ENUM | INPUT_OBJECT\n"
		"type T implements I { x: Int y: Int } union U = T extend union U @d = Query\n"
		"enum E { A } extend enum E @d { B } input In { a: Int } extend input In @d { b: Int }\n"
		"scalar S extend scalar S @specifiedBy(url: \"u\") @d extend schema { mutation: T }");
	char buf[512];
	const schema_type *query = schema_type_find(schema, "Query");
	ck_assert_uint_eq(query->field_count, 2);
	ck_assert_str_eq(query->fields[1].name, "b");
	const schema_type *i = schema_type_find(schema, "I");
	ck_assert_uint_eq(i->field_count, 2);
	ck_assert_str_eq(i->directives->name, "d"); /* the extension's directive */
	const schema_type *u = schema_type_find(schema, "U");
	ck_assert_str_eq(type_names(u->possible, u->possible_count, buf, sizeof buf), "T Query");
	const schema_type *e = schema_type_find(schema, "E");
	ck_assert_uint_eq(e->value_count, 2);
	ck_assert_ptr_nonnull(schema_enum_value_find(e, "B"));
	ck_assert_ptr_nonnull(schema_input_field_find(schema_type_find(schema, "In"), "b"));
	/* graphql-js reads @specifiedBy from the scalar's definition only */
	ck_assert_ptr_null(schema_type_find(schema, "S")->specified_by_url);
	ck_assert_str_eq(gqlws_schema_root_type(schema, GQLWS_DOC_MUTATION), "T");
	/* no schema definition: Query is still found by its name */
	ck_assert_str_eq(gqlws_schema_root_type(schema, GQLWS_DOC_QUERY), "Query");
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(uncoercible_defaults_are_no_defaults)
{
	/* graphql-js's valueFromAST() refuses these; introspection says null */
	gqlws_schema *schema = build("type Query { a(x: Int = \"no\", y: [Int] = 1, z: E = C, w: Int = 2147483648): Int }\n"
				     "enum E { A }");
	const schema_field *a = schema_field_find(schema_type_find(schema, "Query"), "a");
	ck_assert_ptr_null(a->args[0].default_value);
	ck_assert_ptr_nonnull(a->args[1].default_value); /* one item for a list: coerced */
	ck_assert_ptr_null(a->args[2].default_value);
	ck_assert_ptr_null(a->args[3].default_value);
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(the_built_ins_are_graphql_js_own)
{
	gqlws_schema *schema = build("type Query { a: Int }");
	const schema_type *type = schema_type_find(schema, "__Type");
	ck_assert(type->builtin);
	ck_assert_uint_eq(type->field_count, 11);
	ck_assert_str_eq(type->fields[10].name, "isOneOf");
	const schema_type *kind = schema_type_find(schema, "__TypeKind");
	ck_assert_uint_eq(kind->value_count, 8);
	ck_assert_str_eq(kind->values[0].description, "Indicates this type is a scalar.");
	const schema_directive *deprecated = schema_directive_find(schema, "deprecated");
	ck_assert(deprecated->builtin);
	ck_assert_str_eq(deprecated->args[0].default_value->text, "No longer supported");
	ck_assert_uint_eq(deprecated->locations,
			  (1u << SCHEMA_LOC_FIELD_DEFINITION) | (1u << SCHEMA_LOC_ARGUMENT_DEFINITION) |
				  (1u << SCHEMA_LOC_INPUT_FIELD_DEFINITION) |
				  (1u << SCHEMA_LOC_ENUM_VALUE) |
				  (1u << SCHEMA_LOC_DIRECTIVE_DEFINITION));
	ck_assert_str_eq(schema_type_find(schema, "Boolean")->description,
			 "The `Boolean` scalar type represents `true` or `false`.");
	/* Float and ID are not referenced, so not in the schema */
	ck_assert_ptr_null(schema_type_find(schema, "Float"));
	ck_assert_ptr_null(schema_type_find(schema, "ID"));
	ck_assert(gqlws_schema_bytes(schema) > sizeof(gqlws_schema));
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(a_syntax_error_is_graphql_js_own)
{
	cJSON *errors = NULL;
	const char *sdl = "type Query {\n  a: Int\n  b(: Int\n}";
	ck_assert_ptr_null(gqlws_schema_parse(sdl, strlen(sdl), &errors));
	char *text = cJSON_PrintUnformatted(errors);
	ck_assert_str_eq(text, "[{\"message\":\"Syntax Error: Expected Name, found \\\":\\\".\","
			       "\"locations\":[{\"line\":3,\"column\":5}]}]");
	free(text);
	cJSON_Delete(errors);
}
END_TEST

START_TEST(type_references_compare_print_and_come_from_documents)
{
	gqlws_schema *schema = build("interface I { a: Int } type T implements I { a: Int }\n"
				     "type Query { i: I, t: [T!]!, ti: [I] }");
	const schema_type *query = schema_type_find(schema, "Query");
	const schema_ref *i = schema_field_find(query, "i")->type;
	const schema_ref *t = schema_field_find(query, "t")->type;
	const schema_ref *ti = schema_field_find(query, "ti")->type;
	/* [T!]! is a subtype of [I] (graphql-js isTypeSubTypeOf), not the reverse */
	ck_assert(schema_ref_is_subtype_of(t, ti));
	ck_assert(!schema_ref_is_subtype_of(ti, t));
	ck_assert(!schema_ref_is_subtype_of(t, i));
	ck_assert(!schema_ref_equal(t, ti));
	ck_assert(schema_ref_equal(schema_ref_nullable(t), schema_ref_nullable(t)));
	ck_assert_str_eq(schema_ref_named(t)->name, "T");
	char small[4];
	ck_assert_uint_eq(schema_ref_print(t, small, sizeof small), 5);
	ck_assert_str_eq(small, "[T!");
	/* [T!]! written in a document */
	doc_type named = {.kind = DOC_TYPE_NAMED, .name = "T"};
	doc_type inner = {.kind = DOC_TYPE_NON_NULL, .of_type = &named};
	doc_type list = {.kind = DOC_TYPE_LIST, .of_type = &inner};
	doc_type outer = {.kind = DOC_TYPE_NON_NULL, .of_type = &list};
	doc_arena arena;
	doc_arena_init(&arena);
	bool unknown = true;
	const schema_ref *from_doc = schema_ref_from_doc(schema, &outer, &arena, &unknown);
	ck_assert(!unknown);
	ck_assert(schema_ref_equal(from_doc, t));
	named.name = "Nope";
	ck_assert_ptr_null(schema_ref_from_doc(schema, &outer, &arena, &unknown));
	ck_assert(unknown);
	doc_arena_release(&arena);
	gqlws_schema_free(schema);
}
END_TEST

/* n copies of unit joined by sep, between head and tail (caller frees). */
static char *repeat(const char *head, const char *unit, const char *sep, size_t n,
		    const char *tail)
{
	size_t len = strlen(head) + n * (strlen(unit) + strlen(sep)) + strlen(tail) + 1;
	char *out = malloc(len);
	ck_assert_ptr_nonnull(out);
	strcpy(out, head);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, sep);
		strcat(out, unit);
	}
	strcat(out, tail);
	return out;
}

START_TEST(errors_stop_at_the_limit_however_often_a_name_repeats)
{
	/* graphql-js would give 4999 errors of 5000 locations each */
	char *sdl = repeat("interface I { a: Int } type Query implements ", "I", " & ", 5000,
			   " { a: Int }");
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_schema_parse(sdl, strlen(sdl), &errors));
	ck_assert_int_eq(cJSON_GetArraySize(errors), 101);
	const cJSON *error;
	cJSON_ArrayForEach(error, errors)
	{
		const cJSON *locations = cJSON_GetObjectItemCaseSensitive(error, "locations");
		ck_assert_int_le(cJSON_GetArraySize(locations), 100);
	}
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 100), "message")
				 ->valuestring,
			 "Too many validation errors, error limit reached. Validation aborted.");
	cJSON_Delete(errors);
	free(sdl);
}
END_TEST

START_TEST(a_long_cycle_of_input_types_is_found_without_deep_recursion)
{
	/* In0 -> In1 -> ... -> In20000 -> In0, all non-null */
	size_t n = 20000;
	char *sdl = malloc(n * 48 + 64);
	ck_assert_ptr_nonnull(sdl);
	size_t used = (size_t)sprintf(sdl, "type Query { a(x: In0): Int }\n");
	for (size_t i = 0; i < n; i++)
		used += (size_t)sprintf(sdl + used, "input In%zu { a: In%zu! }\n", i, (i + 1) % n);
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_schema_parse(sdl, used, &errors));
	ck_assert_int_eq(cJSON_GetArraySize(errors), 1);
	const char *message =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 0), "message")->valuestring;
	const char *prefix = "Cannot reference Input Object \"In0\" within itself";
	ck_assert(strncmp(message, prefix, strlen(prefix)) == 0);
	ck_assert_uint_eq(strlen(message), strlen("Cannot reference Input Object \"In0\" within itself "
						  "through a series of non-null fields: \"\".") +
						   2 * n - 1);
	cJSON_Delete(errors);
	free(sdl);
}
END_TEST

START_TEST(nesting_past_the_depth_ceiling_is_refused)
{
	char *sdl = repeat("type Query { a(x: ", "[", "", GQLWS_DOC_DEPTH_CEILING + 1, "Int");
	cJSON *errors = NULL;
	ck_assert_ptr_null(gqlws_schema_parse(sdl, strlen(sdl), &errors));
	char want[128];
	snprintf(want, sizeof want, "Document exceeds max-document-depth (%d).",
		 GQLWS_DOC_DEPTH_CEILING);
	ck_assert_str_eq(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 0), "message")->valuestring,
		want);
	cJSON_Delete(errors);
	free(sdl);
}
END_TEST

START_TEST(thousands_of_types_build_with_every_lookup)
{
	size_t n = 5000;
	char *sdl = malloc(n * 64 + 64);
	ck_assert_ptr_nonnull(sdl);
	size_t used = (size_t)sprintf(sdl, "type Query { t: T0 }\ninterface I { id: ID }\n");
	for (size_t i = 0; i < n; i++)
		used += (size_t)sprintf(sdl + used, "type T%zu implements I { id: ID next: T%zu }\n", i,
					(i + 1) % n);
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, used, &errors);
	ck_assert_ptr_nonnull(schema);
	const schema_type *i_type = schema_type_find(schema, "I");
	ck_assert_uint_eq(i_type->possible_count, n);
	ck_assert_str_eq(schema_type_find(schema, "T4999")->name, "T4999");
	/* Query, I, then ID (I is first to reference it), then the T types */
	ck_assert_str_eq(schema->types[2]->name, "ID");
	ck_assert_str_eq(schema->types[3]->name, "T0");
	gqlws_schema_free(schema);
	free(sdl);
}
END_TEST

static Suite *schema_sdl_suite(void)
{
	Suite *s = suite_create("schema_sdl");
	TCase *tc = tcase_create("model");
	tcase_add_test(tc, types_come_in_graphql_js_type_map_order);
	tcase_add_test(tc, possible_types_follow_the_type_map_and_extensions);
	tcase_add_test(tc, defaults_and_deprecation_are_read_from_the_sdl);
	tcase_add_test(tc, a_schema_definition_names_the_root_types);
	tcase_add_test(tc, descriptions_extensions_and_directive_definitions_are_kept);
	tcase_add_test(tc, the_built_ins_are_graphql_js_own);
	tcase_add_test(tc, every_extend_form_appends_in_document_order);
	tcase_add_test(tc, uncoercible_defaults_are_no_defaults);
	tcase_add_test(tc, a_syntax_error_is_graphql_js_own);
	tcase_add_test(tc, type_references_compare_print_and_come_from_documents);
	suite_add_tcase(s, tc);
	TCase *bounds = tcase_create("bounds");
	tcase_set_timeout(bounds, 60);
	tcase_add_test(bounds, errors_stop_at_the_limit_however_often_a_name_repeats);
	tcase_add_test(bounds, a_long_cycle_of_input_types_is_found_without_deep_recursion);
	tcase_add_test(bounds, nesting_past_the_depth_ceiling_is_refused);
	tcase_add_test(bounds, thousands_of_types_build_with_every_lookup);
	suite_add_tcase(s, bounds);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(schema_sdl_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
