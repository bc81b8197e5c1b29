/*
 * fuzz_validate.c - libFuzzer target for validation: hostile executable
 * documents parsed and validated against one fixed schema (interfaces,
 * unions, input objects, enums, lists, custom directives) by
 * gqlws_schema_parse_document(), with the default limits and with tight
 * ones. Besides the sanitizers' checks, it asserts what the header
 * promises: a document and no errors, or a failure status and a non-empty
 * array of {"message"} errors (none only when out of memory). A valid
 * document is then run as a request (gqlws_schema_request_new) and its
 * result made from a fixed root value (gqlws_schema_result_text: typed
 * projection, null propagation, introspection), which must be JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_schema.h"

static const char schema_sdl[] =
	"schema { query: Query mutation: Mutation subscription: Subscription }\n"
	"directive @cached(ttl: Int! = 60) on FIELD | QUERY\n"
	"directive @log(level: Level = INFO) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
	"enum Level { DEBUG INFO WARN }\n"
	"enum Episode { NEWHOPE EMPIRE JEDI OLD @deprecated(reason: \"gone\") }\n"
	"scalar DateTime\n"
	"interface Node { id: ID! }\n"
	"interface Character implements Node { id: ID! name: String! friends(first: Int = 10): [Character] "
	"appearsIn: [Episode]! }\n"
	"type Human implements Character & Node { id: ID! name: String! friends(first: Int = 10): [Character] "
	"appearsIn: [Episode]! height(unit: Unit = METER): Float starships: [Starship!] }\n"
	"type Droid implements Character & Node { id: ID! name: String! friends(first: Int = 10): [Character] "
	"appearsIn: [Episode]! primaryFunction: String }\n"
	"enum Unit { METER FOOT }\n"
	"type Starship implements Node { id: ID! name: String! coordinates: [[Float!]!] }\n"
	"union SearchResult = Human | Droid | Starship\n"
	"type Review { episode: Episode stars: Int! commentary: String at: DateTime }\n"
	"input ReviewInput { stars: Int! commentary: String color: Color tags: [String!] = [] }\n"
	"input Color { red: Int! green: Int! blue: Int! }\n"
	"type Query { hero(episode: Episode = NEWHOPE): Character search(text: String!): [SearchResult] "
	"node(id: ID!): Node reviews(episode: Episode!, first: Int): [Review!]! }\n"
	"type Mutation { createReview(episode: Episode, review: ReviewInput!): Review }\n"
	"type Subscription { reviewAdded(episode: Episode): Review heroChanged: Character! }\n";

static gqlws_schema *schema;

/* A root value with something for most fields, some of it of the wrong
 * type or null where the schema says non-null. */
static const char root_json[] =
	"{\"hero\":{\"__typename\":\"Human\",\"id\":\"1000\",\"name\":\"Luke\",\"height\":1.72,"
	"\"appearsIn\":[\"JEDI\",\"OLD\",null],\"friends\":[{\"__typename\":\"Droid\",\"id\":2001,"
	"\"name\":null,\"primaryFunction\":\"astromech\"},{\"__typename\":\"Wookiee\"},7],"
	"\"starships\":[{\"id\":\"s\",\"name\":\"X\",\"coordinates\":[[1,2.5],[\"x\"]]}]},"
	"\"search\":[{\"__typename\":\"Starship\",\"id\":\"s\",\"name\":\"Falcon\"},{\"name\":\"?\"}],"
	"\"node\":{\"__typename\":\"Droid\",\"id\":\"2001\",\"name\":\"R2\"},"
	"\"reviews\":[{\"episode\":\"EMPIRE\",\"stars\":2147483648,\"commentary\":true,\"at\":{\"a\":1}}],"
	"\"createReview\":{\"stars\":\"5\"},\"reviewAdded\":{\"stars\":null},"
	"\"heroChanged\":{\"__typename\":\"Droid\",\"id\":null}}";
static cJSON *root;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_validate: broken promise: %s\n", what);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cJSON *errors = NULL;
	schema = gqlws_schema_parse(schema_sdl, sizeof schema_sdl - 1, &errors);
	if (!schema) {
		char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
		fprintf(stderr, "fuzz_validate: the fixed schema does not build: %s\n", text ? text : "?");
		abort();
	}
	root = cJSON_Parse(root_json);
	if (!root)
		abort();
	return 0;
}

/* A valid document run as a request against the fixed root value. */
static void execute(const char *text, size_t len)
{
	gqlws_request req = {.id = "1", .query = text, .query_len = len};
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_OK;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, 0, &errors, &status);
	if (!r) {
		/* Valid, yet refused: several operations and no name, a root
		 * type the schema lacks, a required variable not given. */
		check(status == GQLWS_DOC_NOMEM || cJSON_GetArraySize(errors) > 0, "a refusal has errors");
		cJSON_Delete(errors);
		return;
	}
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	if (gqlws_schema_result_text(schema, gqlws_schema_request_plan(r), root, &out) == 0) {
		cJSON *parsed = cJSON_ParseWithLength(out.data, out.len);
		check(cJSON_IsObject(parsed), "a result is a JSON object");
		cJSON_Delete(parsed);
	}
	gqlws_doc_buf_free(&out);
	gqlws_schema_request_free(r);
}

static void parse_and_check(const char *text, size_t len, const gqlws_doc_limits *limits)
{
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_OK;
	gqlws_doc *doc = gqlws_schema_parse_document(schema, text, len, limits, &errors, &status);
	if (doc) {
		check(errors == NULL && status == GQLWS_DOC_OK, "a document and no errors");
		gqlws_doc_free(doc);
		if (!limits)
			execute(text, len);
		return;
	}
	check(status == GQLWS_DOC_SYNTAX || status == GQLWS_DOC_INVALID || status == GQLWS_DOC_NOMEM,
	      "no document and a failure status");
	if (status == GQLWS_DOC_NOMEM) {
		check(errors == NULL, "no errors when out of memory");
		return;
	}
	check(cJSON_IsArray(errors) && cJSON_GetArraySize(errors) > 0, "errors is a non-empty array");
	for (const cJSON *e = errors->child; e; e = e->next) {
		check(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "message")), "error has a message");
		const cJSON *locations = cJSON_GetObjectItemCaseSensitive(e, "locations");
		for (const cJSON *l = locations ? locations->child : NULL; l; l = l->next) {
			const cJSON *line = cJSON_GetObjectItemCaseSensitive(l, "line");
			const cJSON *column = cJSON_GetObjectItemCaseSensitive(l, "column");
			check(cJSON_IsNumber(line) && line->valuedouble >= 1 && cJSON_IsNumber(column) &&
				      column->valuedouble >= 1,
			      "locations count from 1");
		}
	}
	cJSON_Delete(errors);
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
	const char *text = (const char *)input;

	parse_and_check(text, size, NULL);

	/* Tight limits too, so that every limit is reached by small inputs. */
	gqlws_doc_limits tight;
	gqlws_doc_limits_init(&tight);
	tight.max_bytes = 2048;
	tight.max_tokens = 64;
	tight.max_depth = 4;
	tight.max_expanded = 16;
	parse_and_check(text, size, &tight);
	return 0;
}
