/*
 * gqlws-schema-check.c - the C side of the differential test against
 * graphql-js (run.mjs is the other side): answers, one JSON line per
 * request line, what lws-graphql-ws's schema layer says about schemas and
 * documents, so that run.mjs can compare it with what graphql-js says.
 *
 *   gqlws-schema-check [NAME=SCHEMA.graphql ...] < requests.jsonl
 *
 * Each argument loads a schema under a name (a schema that does not build
 * is fatal: exit 2 with its errors on stderr). Requests, one JSON object a
 * line; the answer carries the request's "id":
 *   {"id":I,"schema":NAME,"query":TEXT}  -> {"id":I,"status":N,"errors":[...]}
 *       gqlws_schema_parse_document() with the default limits; errors []
 *       when the document is valid.
 *   {"id":I,"sdl":TEXT}                  -> {"id":I,"errors":[...]}
 *       gqlws_schema_parse(); errors [] when the schema builds.
 *   {"id":I,"schema":NAME,"execute":TEXT,"variables":{...},"operationName":S,
 *    "root":VALUE,"noIntrospection":true}
 *       -> {"id":I,"status":N,"errors":[...]} when gqlws_schema_request_new()
 *          refuses it, else {"id":I,"result":RESULT}: gqlws_schema_result_text()
 *          of root (the response as the executor sends it, copied as is).
 *   {"id":I,"sdl":SDL,"execute":TEXT,...}: the same against SDL, built for it.
 * A line that is not such a request is answered {"id":I,"bad_request":WHY}.
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gqlws_schema.h"

#define MAX_SCHEMAS 16

typedef struct named_schema {
	char name[64];
	gqlws_schema *schema;
} named_schema;

static named_schema schemas[MAX_SCHEMAS];
static size_t schema_count;

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, used = 0;
	char *text = malloc(cap);
	size_t n;
	while (text && (n = fread(text + used, 1, cap - used, f)) > 0) {
		used += n;
		if (used == cap) {
			char *bigger = realloc(text, cap * 2);
			if (!bigger) {
				free(text);
				text = NULL;
				break;
			}
			text = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	*len = used;
	return text;
}

/* NAME=PATH: builds the schema or exits 2 saying why. */
static void load_schema(const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(schemas[0].name) ||
	    schema_count == MAX_SCHEMAS) {
		fprintf(stderr, "gqlws-schema-check: expected NAME=SCHEMA.graphql, got %s\n", arg);
		exit(2);
	}
	size_t len;
	char *sdl = read_file(eq + 1, &len);
	if (!sdl) {
		fprintf(stderr, "gqlws-schema-check: cannot read %s\n", eq + 1);
		exit(2);
	}
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, len, &errors);
	free(sdl);
	if (!schema) {
		char *text = errors ? cJSON_PrintUnformatted(errors) : NULL;
		fprintf(stderr, "gqlws-schema-check: %s does not build: %s\n", eq + 1,
			text ? text : "(out of memory)");
		free(text);
		cJSON_Delete(errors);
		exit(2);
	}
	named_schema *slot = &schemas[schema_count++];
	memcpy(slot->name, arg, (size_t)(eq - arg));
	slot->name[eq - arg] = '\0';
	slot->schema = schema;
}

static const gqlws_schema *find_schema(const char *name)
{
	for (size_t i = 0; i < schema_count; i++)
		if (!strcmp(schemas[i].name, name))
			return schemas[i].schema;
	return NULL;
}

/* errors (taken), or a new empty array when NULL. */
static cJSON *errors_or_empty(cJSON *errors)
{
	return errors ? errors : cJSON_CreateArray();
}

static void answer_query(cJSON *answer, const gqlws_schema *schema, const char *query)
{
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_OK;
	gqlws_doc *doc = gqlws_schema_parse_document(schema, query, strlen(query), NULL, &errors,
						     &status);
	gqlws_doc_free(doc);
	cJSON_AddNumberToObject(answer, "status", (double)status);
	cJSON_AddItemToObject(answer, "errors", errors_or_empty(errors));
}

static void answer_sdl(cJSON *answer, const char *sdl)
{
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	if (schema && errors) {
		/* The header promises errors only without a schema. */
		cJSON_AddStringToObject(answer, "broken_promise", "a schema and errors");
	}
	if (!schema && !errors)
		cJSON_AddStringToObject(answer, "broken_promise", "no schema and no errors");
	gqlws_schema_free(schema);
	cJSON_AddItemToObject(answer, "errors", errors_or_empty(errors));
}

/* gqlws_schema_result_text()'s text, or NULL when refused (then answer
 * has status and errors). */
static char *answer_execute(cJSON *answer, const gqlws_schema *schema, const cJSON *request,
			    const char *query)
{
	const cJSON *variables = cJSON_GetObjectItemCaseSensitive(request, "variables");
	const cJSON *operation = cJSON_GetObjectItemCaseSensitive(request, "operationName");
	const cJSON *root = cJSON_GetObjectItemCaseSensitive(request, "root");
	gqlws_request req = {
		.id = "1",
		.query = query,
		.query_len = strlen(query),
		.operation_name = cJSON_IsString(operation) ? operation->valuestring : NULL,
		.variables = cJSON_IsObject(variables) ? variables : NULL,
	};
	unsigned flags = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(request, "noIntrospection"))
				 ? GQLWS_SCHEMA_NO_INTROSPECTION
				 : 0;
	cJSON *errors = NULL;
	gqlws_doc_status status = GQLWS_DOC_OK;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, flags, &errors, &status);
	if (!r) {
		cJSON_AddNumberToObject(answer, "status", (double)status);
		cJSON_AddItemToObject(answer, "errors", errors_or_empty(errors));
		return NULL;
	}
	gqlws_doc_buf out = GQLWS_DOC_BUF_INIT;
	if (gqlws_schema_result_text(schema, gqlws_schema_request_plan(r), cJSON_IsNull(root) ? NULL : root,
				     &out) != 0 ||
	    gqlws_doc_buf_append(&out, "", 1) != 0) {
		fprintf(stderr, "gqlws-schema-check: out of memory\n");
		exit(3);
	}
	gqlws_schema_request_free(r);
	return out.data;
}

/* A request against a schema of its own, built for it. */
static char *answer_execute_sdl(cJSON *answer, const cJSON *request, const char *sdl, const char *query)
{
	cJSON *errors = NULL;
	gqlws_schema *schema = gqlws_schema_parse(sdl, strlen(sdl), &errors);
	if (!schema) {
		cJSON_AddStringToObject(answer, "bad_request", "the schema does not build");
		cJSON_AddItemToObject(answer, "errors", errors_or_empty(errors));
		return NULL;
	}
	char *result = answer_execute(answer, schema, request, query);
	gqlws_schema_free(schema);
	return result;
}

static void answer(const char *line)
{
	cJSON *request = cJSON_Parse(line);
	cJSON *answer = cJSON_CreateObject();
	if (!answer) {
		fprintf(stderr, "gqlws-schema-check: out of memory\n");
		exit(3);
	}
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(request, "id");
	if (id)
		cJSON_AddItemToObject(answer, "id", cJSON_Duplicate(id, 1));

	const cJSON *query = cJSON_GetObjectItemCaseSensitive(request, "query");
	const cJSON *execute = cJSON_GetObjectItemCaseSensitive(request, "execute");
	char *result = NULL;
	const cJSON *sdl = cJSON_GetObjectItemCaseSensitive(request, "sdl");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(request, "schema");
	const gqlws_schema *schema = cJSON_IsString(name) ? find_schema(name->valuestring) : NULL;

	if (!request)
		cJSON_AddStringToObject(answer, "bad_request", "not JSON");
	else if (cJSON_IsString(sdl) && cJSON_IsString(execute))
		result = answer_execute_sdl(answer, request, sdl->valuestring, execute->valuestring);
	else if (cJSON_IsString(sdl))
		answer_sdl(answer, sdl->valuestring);
	else if (!schema)
		cJSON_AddStringToObject(answer, "bad_request", "no such schema");
	else if (cJSON_IsString(query))
		answer_query(answer, schema, query->valuestring);
	else if (cJSON_IsString(execute))
		result = answer_execute(answer, schema, request, execute->valuestring);
	else
		cJSON_AddStringToObject(answer, "bad_request", "no query, execute or sdl");

	char *text = cJSON_PrintUnformatted(answer);
	if (!text) {
		fprintf(stderr, "gqlws-schema-check: out of memory\n");
		exit(3);
	}
	if (result) {
		/* The result text goes out as the executor made it: not reparsed,
		 * so that its numbers and key order are compared as sent. */
		text[strlen(text) - 1] = '\0';
		printf("%s%s\"result\":%s}\n", text, strlen(text) > 1 ? "," : "", result);
		free(result);
	} else {
		puts(text);
	}
	free(text);
	/* Every answer out at once: when the driver dies (a sanitizer), the
	 * request it died on is the first one without an answer. */
	fflush(stdout);
	cJSON_Delete(answer);
	cJSON_Delete(request);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		load_schema(argv[i]);

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0])
			answer(line);
	}
	free(line);
	for (size_t i = 0; i < schema_count; i++)
		gqlws_schema_free(schemas[i].schema);
	return ferror(stdout) ? 1 : 0;
}
