/*
 * fuzz_sdl.c - libFuzzer target for SDL: gqlws_schema_parse() on hostile
 * type-system documents. Besides the sanitizers' checks, it asserts what
 * the header promises: a schema or a non-empty array of {"message"} errors,
 * never both; a schema that builds reports its size and root types,
 * validates a few documents without breaking the same promises, and
 * answers graphql-js's full introspection query with JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_sdl: broken promise: %s\n", what);
		abort();
	}
}

static void check_errors(const cJSON *errors)
{
	if (!errors)
		return; /* allocation failure: the only failure without errors */
	check(cJSON_IsArray(errors) && cJSON_GetArraySize(errors) > 0, "errors is a non-empty array");
	for (const cJSON *e = errors->child; e; e = e->next)
		check(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "message")), "error has a message");
}

/* Documents every schema can be asked: introspection and __typename reach
 * whatever the fuzzer built; the others name what seeds usually define. */
static const char *const documents[] = {
	"{ __typename }",
	"query Q($a: Int = 1) { __schema { types { name kind fields(includeDeprecated: true) "
	"{ name args { name defaultValue type { name kind ofType { name } } } } } "
	"directives { name locations isRepeatable } } }",
	"{ a b(x: 1) { c ... on T { d } } }",
	"subscription S($v: [In!]) { s(arg: $v) { __typename ...F } } fragment F on S { x }",
	"mutation { m(i: {a: 1, b: [A, B], c: null}) }",
};

/* getIntrospectionQuery() of graphql-js 16 with every option on, shortened
 * to the fields and depth that matter here. */
static const char introspection_query[] =
	"query IntrospectionQuery { __schema { description queryType { name } mutationType { name } "
	"subscriptionType { name } types { ...FullType } directives { name description isRepeatable "
	"locations args(includeDeprecated: true) { ...InputValue } } } } "
	"fragment FullType on __Type { kind name description specifiedByURL isOneOf "
	"fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } "
	"type { ...TypeRef } isDeprecated deprecationReason } inputFields(includeDeprecated: true) "
	"{ ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name "
	"description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } "
	"fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue "
	"isDeprecated deprecationReason } "
	"fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name "
	"ofType { kind name } } } } }";

static void introspect(const gqlws_schema *schema)
{
	gqlws_request req = {.id = "1", .query = introspection_query, .query_len = sizeof introspection_query - 1};
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_OK;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, 0, &errors, &status);
	if (!r) {
		/* Only out of memory: the introspection query is valid against
		 * every schema. */
		check(status == GQLWS_DOC_NOMEM, "the introspection query is valid against any schema");
		cJSON_Delete(errors);
		return;
	}
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	if (gqlws_schema_result_text(schema, gqlws_schema_request_plan(r), NULL, &out) == 0) {
		cJSON *parsed = cJSON_ParseWithLength(out.data, out.len);
		check(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(parsed, "data")),
		      "introspection answers with data");
		check(cJSON_GetObjectItemCaseSensitive(parsed, "errors") == NULL, "introspection has no errors");
		cJSON_Delete(parsed);
	}
	gqlws_doc_buf_free(&out);
	gqlws_schema_request_free(r);
}

static void validate_documents(const gqlws_schema *schema)
{
	for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++) {
		cJSON *errors = NULL;
		gqlws_doc_status status = GQLWS_DOC_OK;
		gqlws_doc *doc = gqlws_schema_parse_document(schema, documents[i], strlen(documents[i]),
							     NULL, &errors, &status);
		if (doc) {
			check(errors == NULL && status == GQLWS_DOC_OK, "a document and no errors");
			gqlws_doc_free(doc);
		} else {
			check(status != GQLWS_DOC_OK, "no document and a failure status");
			if (status != GQLWS_DOC_NOMEM)
				check(errors != NULL, "errors with a syntax or invalid status");
			check_errors(errors);
			cJSON_Delete(errors);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse((const char *)input, size, &errors);
	if (!schema) {
		check_errors(errors);
		cJSON_Delete(errors);
		return 0;
	}
	check(errors == NULL, "no errors with a schema");
	check(gqlws_schema_bytes(schema) > 0, "a schema takes memory");
	check(gqlws_schema_root_type(schema, GQLWS_DOC_QUERY) != NULL, "a schema has a query type");
	validate_documents(schema);
	introspect(schema);
	gqlws_schema_free(schema);
	return 0;
}
