/*
 * schema_introspect.c - introspection answered from a schema is what
 * graphql-js 16.15.0 answers for the same SDL: getIntrospectionQuery()
 * with every option on, off and by default, a hand-written selection
 * (aliases, fragments, merged keys, variables, @skip/@include, __typename,
 * includeDeprecated, unknown names), default values, and the refusals of
 * NoSchemaIntrospectionCustomRule when introspection is switched off.
 *
 * The expected outputs in data/schema_introspect/ are graphql-js's, made
 * from its folder with the e2e tests' pinned `graphql`:
 *
 *   cd tests/unit/data/schema_introspect && NODE_PATH=../../../e2e/node_modules node -e '
 *   const g = require("graphql"), fs = require("fs");
 *   const on = {descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true,
 *               inputValueDeprecation: true, oneOf: true, experimentalDirectiveDeprecation: true};
 *   fs.writeFileSync("full-all-on.query.graphql", g.getIntrospectionQuery(on));
 *   fs.writeFileSync("full-all-off.query.graphql", g.getIntrospectionQuery({descriptions: false}));
 *   fs.writeFileSync("full-default.query.graphql", g.getIntrospectionQuery());
 *   const schema = g.buildSchema(fs.readFileSync("schema.graphql", "utf8"));
 *   for (const f of fs.readdirSync(".").filter((f) => f.endsWith(".query.graphql"))) {
 *     const base = f.replace(".query.graphql", ""), source = fs.readFileSync(f, "utf8");
 *     const vars = fs.existsSync(base + ".vars.json") ? JSON.parse(fs.readFileSync(base + ".vars.json", "utf8")) : undefined;
 *     const r = g.graphqlSync({schema, source, variableValues: vars});
 *     fs.writeFileSync(base + ".data.json", JSON.stringify(r.data) + "\n");
 *     fs.writeFileSync(base + ".errors.json", JSON.stringify(r.errors || []) + "\n");
 *     const refused = g.validate(schema, g.parse(source), [g.NoSchemaIntrospectionCustomRule]);
 *     fs.writeFileSync(base + ".refused.json", JSON.stringify(refused.map((e) => ({message: e.message, locations: e.locations}))) + "\n");
 *   }'
 *
 * The errors graphql-js reports for default values it cannot turn back into
 * literals (objects and lists of a custom scalar, non-finite numbers) are
 * compared too (gqlws_schema_introspect_text_ex).
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

#define DATA_DIR GQLWS_TEST_DATA_DIR "/schema_introspect/"

static char *read_data(const char *name, bool must_exist)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", DATA_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		ck_assert_msg(!must_exist, "cannot open %s", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	/* Fixtures end with one newline, which is no part of the value. */
	if (n > 0 && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return text;
}

static gqlws_schema *star_wars(void)
{
	char *sdl = read_data("schema.graphql", true);
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	char *why = errors ? cJSON_PrintUnformatted(errors) : NULL;
	ck_assert_msg(schema != NULL, "schema refused: %s", why ? why : "(out of memory)");
	free(sdl);
	return schema;
}

typedef struct query {
	gqlws_doc *doc;
	gqlws_doc_plan *plan;
} query;

static query plan_query(const char *text, const char *variables)
{
	query q;
	cJSON *errors = NULL;
	q.doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_msg(q.doc != NULL, "parse failed: %s", text);
	const gqlws_doc_operation *op = gqlws_doc_select_operation(q.doc, NULL, &errors);
	ck_assert_ptr_nonnull(op);
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	ck_assert(variables == NULL || vars != NULL);
	q.plan = gqlws_doc_plan_new(q.doc, op, "Query", vars, &errors);
	cJSON_Delete(vars);
	ck_assert_ptr_nonnull(q.plan);
	return q;
}

static void query_free(query *q)
{
	gqlws_doc_plan_free(q->plan);
	gqlws_doc_free(q->doc);
}

/* The response's data: each root field under its key, __typename being
 * the query type's name and the others answered by introspection; the
 * errors met on the way into *errors when it is not NULL. */
static char *answer_ex(const gqlws_schema *schema, const char *text, const char *variables, cJSON **errors)
{
	query q = plan_query(text, variables);
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_doc_buf_append(&out, "{", 1), 0);
	for (size_t i = 0; i < gqlws_doc_plan_field_count(q.plan); i++) {
		const gqlws_doc_field *field = gqlws_doc_plan_field(q.plan, i);
		const char *key = gqlws_doc_field_key(field);
		if (i)
			ck_assert_int_eq(gqlws_doc_buf_append(&out, ",", 1), 0);
		ck_assert_int_eq(gqlws_doc_buf_append(&out, "\"", 1), 0);
		ck_assert_int_eq(gqlws_doc_buf_append(&out, key, strlen(key)), 0);
		ck_assert_int_eq(gqlws_doc_buf_append(&out, "\":", 2), 0);
		if (strcmp(gqlws_doc_field_name(field), "__typename") == 0) {
			ck_assert(!gqlws_schema_is_introspection_field("__typename"));
			ck_assert_int_eq(gqlws_doc_buf_append(&out, "\"Query\"", 7), 0);
			continue;
		}
		ck_assert(gqlws_schema_is_introspection_field(gqlws_doc_field_name(field)));
		if (errors)
			ck_assert_int_eq(gqlws_schema_introspect_text_ex(schema, q.plan, field, &out, errors), 0);
		else
			ck_assert_int_eq(gqlws_schema_introspect_text(schema, q.plan, field, &out), 0);
	}
	ck_assert_int_eq(gqlws_doc_buf_append(&out, "}", 1), 0);
	query_free(&q);
	return out.data;
}

static char *answer(const gqlws_schema *schema, const char *text, const char *variables)
{
	return answer_ex(schema, text, variables, NULL);
}

/* Equal texts, or a failure that shows where they part. */
static void assert_same_text(const char *got, const char *want, const char *what)
{
	size_t i = 0;
	while (got[i] && got[i] == want[i])
		i++;
	if (!got[i] && !want[i])
		return;
	size_t from = i > 80 ? i - 80 : 0;
	ck_abort_msg("%s differs at byte %zu:\n got ...%.160s\nwant ...%.160s", what, i, got + from, want + from);
}

static void assert_fixture_answer(const char *base)
{
	char name[128];
	gqlws_schema *schema = star_wars();
	snprintf(name, sizeof name, "%s.query.graphql", base);
	char *text = read_data(name, true);
	snprintf(name, sizeof name, "%s.vars.json", base);
	char *vars = read_data(name, false);
	snprintf(name, sizeof name, "%s.data.json", base);
	char *want = read_data(name, true);
	snprintf(name, sizeof name, "%s.errors.json", base);
	char *want_errors = read_data(name, true);

	/* Without errors asked for, the same data. */
	char *got = answer(schema, text, vars);
	assert_same_text(got, want, base);
	free(got);

	cJSON *errors = NULL;
	got = answer_ex(schema, text, vars, &errors);
	assert_same_text(got, want, base);
	char *got_errors = errors ? cJSON_PrintUnformatted(errors) : NULL;
	assert_same_text(got_errors ? got_errors : "[]", want_errors, base);

	cJSON_free(got_errors);
	cJSON_Delete(errors);
	free(want_errors);
	free(got);
	free(want);
	free(vars);
	free(text);
	gqlws_schema_free(schema);
}

START_TEST(full_introspection_with_every_option_on_is_graphql_js_answer)
{
	assert_fixture_answer("full-all-on");
}
END_TEST

START_TEST(full_introspection_with_every_option_off_is_graphql_js_answer)
{
	assert_fixture_answer("full-all-off");
}
END_TEST

START_TEST(default_introspection_query_is_graphql_js_answer)
{
	assert_fixture_answer("full-default");
}
END_TEST

START_TEST(hand_written_selection_with_fragments_aliases_and_variables_is_graphql_js_answer)
{
	assert_fixture_answer("handwritten");
}
END_TEST

START_TEST(default_values_are_printed_as_graphql_js_prints_them)
{
	assert_fixture_answer("defaults");
}
END_TEST

START_TEST(skip_and_include_decide_introspection_fields_and_fragments)
{
	assert_fixture_answer("skip");
}
END_TEST

START_TEST(type_of_unknown_name_is_null)
{
	gqlws_schema *schema = star_wars();
	char *got = answer(schema, "query ($n: String!) { a: __type(name: \"Yoda\") { name } b: __type(name: $n) { name } "
				   "c: __type(name: \"Droid!\") { name } }",
			   "{\"n\":\"Ewok\"}");
	ck_assert_str_eq(got, "{\"a\":null,\"b\":null,\"c\":null}");
	free(got);
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(deprecated_members_are_left_out_unless_asked_for)
{
	gqlws_schema *schema = star_wars();
	char *got = answer(schema,
			   "{ __type(name: \"Starship\") { fields { name args { name } "
			   "all: args(includeDeprecated: true) { name isDeprecated deprecationReason } } } }",
			   NULL);
	ck_assert_str_eq(got, "{\"__type\":{\"fields\":[{\"name\":\"id\",\"args\":[],\"all\":[]},"
			      "{\"name\":\"name\",\"args\":[],\"all\":[]},"
			      "{\"name\":\"length\",\"args\":[{\"name\":\"unit\"},{\"name\":\"precision\"}],"
			      "\"all\":[{\"name\":\"unit\",\"isDeprecated\":false,\"deprecationReason\":null},"
			      "{\"name\":\"precision\",\"isDeprecated\":false,\"deprecationReason\":null},"
			      "{\"name\":\"legacy\",\"isDeprecated\":true,\"deprecationReason\":\"No longer supported\"}]},"
			      "{\"name\":\"coordinates\",\"args\":[],\"all\":[]}]}}");
	free(got);
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(answer_is_appended_to_what_the_buffer_holds)
{
	gqlws_schema *schema = star_wars();
	query q = plan_query("{ __type(name: \"Review\") { name kind } }", NULL);
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_doc_buf_append(&out, "{\"data\":{\"__type\":", 18), 0);
	ck_assert_int_eq(gqlws_schema_introspect_text(schema, q.plan, gqlws_doc_plan_field(q.plan, 0), &out), 0);
	ck_assert_str_eq(out.data, "{\"data\":{\"__type\":{\"name\":\"Review\",\"kind\":\"OBJECT\"}");
	gqlws_doc_buf_free(&out);
	query_free(&q);
	gqlws_schema_free(schema);
}
END_TEST

START_TEST(fields_other_than_schema_and_type_are_not_answered)
{
	gqlws_schema *schema = star_wars();
	query q = plan_query("{ hero { name } __typename }", NULL);
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	for (size_t i = 0; i < gqlws_doc_plan_field_count(q.plan); i++) {
		const gqlws_doc_field *field = gqlws_doc_plan_field(q.plan, i);
		ck_assert(!gqlws_schema_is_introspection_field(gqlws_doc_field_name(field)));
		ck_assert_int_eq(gqlws_schema_introspect_text(schema, q.plan, field, &out), -2);
		ck_assert_uint_eq(out.len, 0);
	}
	gqlws_doc_buf_free(&out);
	query_free(&q);
	gqlws_schema_free(schema);
}
END_TEST

/* A chain of ofType as deep as the document may nest is answered. */
START_TEST(deep_selections_are_answered)
{
	gqlws_schema *schema = star_wars();
	enum { LEVELS = 400 };
	size_t cap = LEVELS * 16 + 128;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	size_t n = (size_t)snprintf(text, cap, "{ __type(name: \"Query\") { ");
	for (int i = 0; i < LEVELS; i++)
		n += (size_t)snprintf(text + n, cap - n, "ofType { ");
	n += (size_t)snprintf(text + n, cap - n, "name ");
	for (int i = 0; i < LEVELS + 1; i++)
		n += (size_t)snprintf(text + n, cap - n, "} ");
	snprintf(text + n, cap - n, "}");
	char *got = answer(schema, text, NULL);
	ck_assert_str_eq(got, "{\"__type\":{\"ofType\":null}}");
	free(got);
	free(text);
	gqlws_schema_free(schema);
}
END_TEST

/* random.jsonl (made by random.gen.cjs beside it): seeded random
 * selections over every introspection field with graphql-js's results. */
START_TEST(random_selections_are_graphql_js_answers)
{
	gqlws_schema *schema = star_wars();
	char *lines = read_data("random.jsonl", true);
	size_t checked = 0;
	for (char *line = lines, *end; *line; line = end) {
		end = strchr(line, '\n');
		if (end)
			*end++ = '\0';
		else
			end = line + strlen(line);
		cJSON *c = cJSON_Parse(line);
		ck_assert_ptr_nonnull(c);
		const char *text = cJSON_GetObjectItem(c, "query")->valuestring;
		char *variables = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "variables"));
		cJSON *errors = NULL;
		char *data = answer_ex(schema, text, variables, &errors);
		gqlws_doc_buf got = GQLWS_DOC_BUF_INIT;
		/* graphql-js's ExecutionResult: errors (when any) before data. */
		if (errors) {
			char *printed = cJSON_PrintUnformatted(errors);
			ck_assert_int_eq(gqlws_doc_buf_append(&got, "{\"errors\":", 10), 0);
			ck_assert_int_eq(gqlws_doc_buf_append(&got, printed, strlen(printed)), 0);
			ck_assert_int_eq(gqlws_doc_buf_append(&got, ",", 1), 0);
			cJSON_free(printed);
		} else {
			ck_assert_int_eq(gqlws_doc_buf_append(&got, "{", 1), 0);
		}
		ck_assert_int_eq(gqlws_doc_buf_append(&got, "\"data\":", 7), 0);
		ck_assert_int_eq(gqlws_doc_buf_append(&got, data, strlen(data)), 0);
		ck_assert_int_eq(gqlws_doc_buf_append(&got, "}", 1), 0);
		assert_same_text(got.data, cJSON_GetObjectItem(c, "result")->valuestring, text);
		gqlws_doc_buf_free(&got);
		free(data);
		cJSON_Delete(errors);
		cJSON_free(variables);
		cJSON_Delete(c);
		checked++;
	}
	ck_assert_uint_eq(checked, 150);
	free(lines);
	gqlws_schema_free(schema);
}
END_TEST

/* An input type whose field defaults reach the type again has no default
 * value graphql-js can print (its buildSchema overflows its stack): the
 * printing is bounded, and the answer null. */
START_TEST(self_referencing_input_defaults_are_bounded)
{
	static const char sdl[] = "input A { a: A = {}, c: A = {}, n: Int = 1 }\n"
				  "type Query { f(x: A = {}, y: A = {n: 2, a: null, c: null}): Int }";
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	if (!schema) {
		/* Refusing such a schema is as good an answer. */
		cJSON_Delete(errors);
		return;
	}
	char *got = answer(schema, "{ __type(name: \"Query\") { fields { args { name defaultValue } } } }", NULL);
	ck_assert_str_eq(got, "{\"__type\":{\"fields\":[{\"args\":[{\"name\":\"x\",\"defaultValue\":null},"
			      "{\"name\":\"y\",\"defaultValue\":\"{a: null, c: null, n: 2}\"}]}]}}");
	free(got);
	gqlws_schema_free(schema);
}
END_TEST

/* The deepest document the limits allow (max-document-depth at its
 * ceiling) is answered and refused on a thread with a small stack, as the
 * other walks over documents are (doc_depth.c): every recursion here
 * follows the document's nesting. */
#define SMALL_STACK_BYTES (1u << 20)

typedef struct deep_case {
	const gqlws_schema *schema;
	char *text;
	int answered;     /* gqlws_schema_introspect_text's return */
	int refused;      /* gqlws_schema_refuse_introspection's return */
	bool plan_failed;
	char head[64];    /* the answer's start */
} deep_case;

static void *deep_work(void *arg)
{
	deep_case *c = arg;
	gqlws_doc_limits limits;
	gqlws_doc_limits_init(&limits);
	limits.max_depth = GQLWS_DOC_DEPTH_CEILING;
	limits.max_expanded = 100000;
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(c->text, strlen(c->text), &limits, &errors);
	const gqlws_doc_operation *op = doc ? gqlws_doc_select_operation(doc, NULL, &errors) : NULL;
	gqlws_doc_plan *plan = op ? gqlws_doc_plan_new(doc, op, "Query", NULL, &errors) : NULL;
	c->plan_failed = plan == NULL;
	if (plan) {
		gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
		c->answered = gqlws_schema_introspect_text(c->schema, plan, gqlws_doc_plan_field(plan, 0), &out);
		snprintf(c->head, sizeof c->head, "%s", out.data ? out.data : "");
		gqlws_doc_buf_free(&out);
		cJSON *refusals = NULL;
		c->refused = gqlws_schema_refuse_introspection(c->schema, doc, &refusals);
		cJSON_Delete(refusals);
	}
	cJSON_Delete(errors);
	gqlws_doc_plan_free(plan);
	gqlws_doc_free(doc);
	return NULL;
}

START_TEST(deepest_document_is_answered_on_a_small_stack)
{
	gqlws_schema *schema = star_wars();
	/* `{`, `__type {`, then ofType sets up to the ceiling. */
	enum { LEVELS = GQLWS_DOC_DEPTH_CEILING - 2 };
	size_t cap = LEVELS * 12 + 128;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	size_t n = (size_t)snprintf(text, cap, "{ __type(name: \"Human\") { name ");
	for (int i = 0; i < LEVELS; i++)
		n += (size_t)snprintf(text + n, cap - n, "ofType { ");
	n += (size_t)snprintf(text + n, cap - n, "kind ");
	for (int i = 0; i < LEVELS + 1; i++)
		n += (size_t)snprintf(text + n, cap - n, "} ");
	snprintf(text + n, cap - n, "}");

	deep_case c = {.schema = schema, .text = text};
	pthread_attr_t attr;
	pthread_t thread;
	ck_assert_int_eq(pthread_attr_init(&attr), 0);
	ck_assert_int_eq(pthread_attr_setstacksize(&attr, SMALL_STACK_BYTES), 0);
	ck_assert_int_eq(pthread_create(&thread, &attr, deep_work, &c), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	pthread_attr_destroy(&attr);

	ck_assert(!c.plan_failed);
	ck_assert_int_eq(c.answered, 0);
	ck_assert_str_eq(c.head, "{\"name\":\"Human\",\"ofType\":null}");
	/* __type and every ofType return __Type, the last kind __TypeKind. */
	ck_assert_int_eq(c.refused, LEVELS + 2);
	free(text);
	gqlws_schema_free(schema);
}
END_TEST

static void assert_fixture_refusal(const char *base)
{
	char name[128];
	gqlws_schema *schema = star_wars();
	snprintf(name, sizeof name, "%s.query.graphql", base);
	char *text = read_data(name, true);
	snprintf(name, sizeof name, "%s.refused.json", base);
	char *want = read_data(name, true);

	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	int count = gqlws_schema_refuse_introspection(schema, doc, &errors);
	ck_assert_int_gt(count, 0);
	ck_assert_int_eq(count, cJSON_GetArraySize(errors));
	char *got = cJSON_PrintUnformatted(errors);
	assert_same_text(got, want, base);

	cJSON_free(got);
	cJSON_Delete(errors);
	gqlws_doc_free(doc);
	free(want);
	free(text);
	gqlws_schema_free(schema);
}

START_TEST(refusal_of_every_fixture_is_graphql_js_rule)
{
	static const char *const bases[] = {"full-all-on", "full-all-off", "full-default", "handwritten",
					    "defaults", "skip"};
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
		assert_fixture_refusal(bases[i]);
}
END_TEST

START_TEST(refusal_leaves_documents_without_introspection_alone)
{
	gqlws_schema *schema = star_wars();
	static const char text[] =
		"query Q { __typename hero { __typename name ... on Droid { primaryFunction } ...F } }\n"
		"fragment F on Character { friends { name } }\n"
		"subscription S { reviewAdded { stars } }";
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(gqlws_schema_refuse_introspection(schema, doc, &errors), 0);
	ck_assert_ptr_null(errors);
	gqlws_doc_free(doc);
	gqlws_schema_free(schema);
}
END_TEST

/* Fragments are their own definitions: refused where they are written, in
 * document order between the operations. */
START_TEST(refusal_follows_document_order_of_operations_and_fragments)
{
	gqlws_schema *schema = star_wars();
	static const char text[] = "query A { ...F }\n"
				   "fragment F on Query { __schema { __typename } }\n"
				   "query B { t: __type(name: \"Human\") { name } }";
	cJSON *errors = NULL;
	gqlws_doc *doc = gqlws_doc_parse(text, strlen(text), NULL, &errors);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(gqlws_schema_refuse_introspection(schema, doc, &errors), 2);
	char *got = cJSON_PrintUnformatted(errors);
	ck_assert_str_eq(got, "[{\"message\":\"GraphQL introspection has been disabled, but the requested query "
			      "contained the field \\\"__schema\\\".\",\"locations\":[{\"line\":2,\"column\":23}]},"
			      "{\"message\":\"GraphQL introspection has been disabled, but the requested query "
			      "contained the field \\\"__type\\\".\",\"locations\":[{\"line\":3,\"column\":11}]}]");
	cJSON_free(got);
	cJSON_Delete(errors);
	gqlws_doc_free(doc);
	gqlws_schema_free(schema);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema_introspect");
	TCase *answers = tcase_create("answers");
	tcase_set_timeout(answers, 60);
	tcase_add_test(answers, full_introspection_with_every_option_on_is_graphql_js_answer);
	tcase_add_test(answers, full_introspection_with_every_option_off_is_graphql_js_answer);
	tcase_add_test(answers, default_introspection_query_is_graphql_js_answer);
	tcase_add_test(answers, hand_written_selection_with_fragments_aliases_and_variables_is_graphql_js_answer);
	tcase_add_test(answers, default_values_are_printed_as_graphql_js_prints_them);
	tcase_add_test(answers, skip_and_include_decide_introspection_fields_and_fragments);
	tcase_add_test(answers, random_selections_are_graphql_js_answers);
	tcase_add_test(answers, type_of_unknown_name_is_null);
	tcase_add_test(answers, deprecated_members_are_left_out_unless_asked_for);
	tcase_add_test(answers, answer_is_appended_to_what_the_buffer_holds);
	tcase_add_test(answers, fields_other_than_schema_and_type_are_not_answered);
	tcase_add_test(answers, deep_selections_are_answered);
	tcase_add_test(answers, self_referencing_input_defaults_are_bounded);
	tcase_add_test(answers, deepest_document_is_answered_on_a_small_stack);
	suite_add_tcase(s, answers);
	TCase *refusals = tcase_create("refusals");
	tcase_set_timeout(refusals, 60);
	tcase_add_test(refusals, refusal_of_every_fixture_is_graphql_js_rule);
	tcase_add_test(refusals, refusal_leaves_documents_without_introspection_alone);
	tcase_add_test(refusals, refusal_follows_document_order_of_operations_and_fragments);
	suite_add_tcase(s, refusals);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
