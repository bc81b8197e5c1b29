/*
 * demo_schema.c - the demo schema as SDL, and how its root fields are run.
 * Validation, argument types, selections and result types are the schema
 * layer's (gqlws_schema.h): the demo only resolves root values.
 *
 * The SDL is a string here rather than a .graphql file compiled in: the
 * plugin is one .so that lwsws loads from a bare directory, so a file
 * beside it would have to be found at run time, and a build step that turns
 * a file into C is more machinery than one string needs.
 */
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"

const char demo_schema_sdl[] =
	"\"The demo schema of lws-graphql-ws.\"\n"
	"schema { query: Query subscription: Subscription }\n"
	"\n"
	"type Query {\n"
	"  \"Always \\\"world\\\".\"\n"
	"  hello: String!\n"
	"}\n"
	"\n"
	"type Subscription {\n"
	"  \"\"\"\n"
	"  Counts from 0 to limit - 1 (no limit: forever), a value every intervalMs\n"
	"  milliseconds (0: as fast as the client reads), then completes.\n"
	"  \"\"\"\n"
	"  counter(limit: Int, intervalMs: Int = 1000): Counter!\n"
	"  \"The server-wide ticker (option tick-ms), shared by every subscriber.\"\n"
	"  ticks: Tick!\n"
	"}\n"
	"\n"
	"\"One value of a counter.\"\n"
	"type Counter {\n"
	"  value: Int!\n"
	"  \"When it was produced, in milliseconds since the epoch.\"\n"
	"  at: Float!\n"
	"}\n"
	"\n"
	"\"One tick of the shared ticker.\"\n"
	"type Tick {\n"
	"  \"The tick's number, counted by the server.\"\n"
	"  seq: Int!\n"
	"  \"When it was produced, in milliseconds since the epoch.\"\n"
	"  at: Float!\n"
	"}\n";

static cJSON *resolve_hello(demo_vhost *vh)
{
	(void)vh;
	return cJSON_CreateString("world");
}

static const demo_field base_fields[] = {
	{"hello", GQLWS_DOC_QUERY, DEMO_FIELD_VALUE, resolve_hello, NULL},
	{"counter", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_COUNTER, NULL, NULL},
	{"ticks", GQLWS_DOC_SUBSCRIPTION, DEMO_FIELD_TICKS, NULL, NULL},
};

gqlws_schema *demo_schema_build(const char *extra_sdl)
{
	size_t base_len = strlen(demo_schema_sdl);
	size_t extra_len = extra_sdl ? strlen(extra_sdl) : 0;
	char *sdl = malloc(base_len + 1 + extra_len + 1);
	cJSON *errors = NULL;
	gqlws_schema *schema;

	if (!sdl)
		return NULL;
	memcpy(sdl, demo_schema_sdl, base_len);
	sdl[base_len] = '\n';
	if (extra_len)
		memcpy(sdl + base_len + 1, extra_sdl, extra_len);
	sdl[base_len + 1 + extra_len] = '\0';
	schema = gqlws_schema_parse(sdl, base_len + 1 + extra_len, &errors);
	free(sdl);
	if (!schema && errors) {
		char *text = cJSON_PrintUnformatted(errors);
		lwsl_err("gqlws demo executor: the schema does not build: %s\n", text ? text : "?");
		cJSON_free(text);
	}
	cJSON_Delete(errors);
	return schema;
}

const demo_field *demo_find_field(const demo_vhost *vh, gqlws_doc_op_type root, const char *name)
{
	for (size_t i = 0; i < sizeof(base_fields) / sizeof(base_fields[0]); i++)
		if (base_fields[i].root == root && !strcmp(base_fields[i].name, name))
			return &base_fields[i];
	for (size_t i = 0; i < vh->extra_count; i++)
		if (vh->extra[i].root == root && !strcmp(vh->extra[i].name, name))
			return &vh->extra[i];
	return NULL;
}

int64_t demo_int_arg(const gqlws_doc_field *field, const char *name, int64_t fallback)
{
	const cJSON *value = gqlws_doc_field_arg(field, name);

	return cJSON_IsNumber(value) ? (int64_t)value->valuedouble : fallback;
}

cJSON *demo_root_value(demo_vhost *vh, const gqlws_doc_plan *plan, gqlws_doc_op_type type)
{
	cJSON *root = cJSON_CreateObject();

	for (size_t i = 0; root && i < gqlws_doc_plan_field_count(plan); i++) {
		const char *name = gqlws_doc_field_name(gqlws_doc_plan_field(plan, i));
		const demo_field *def = demo_find_field(vh, type, name);

		if (!def || !def->resolve || cJSON_GetObjectItemCaseSensitive(root, name))
			continue; /* __typename, introspection, or resolved already */
		cJSON *value = def->resolve(vh);
		if (!value) {
			cJSON_Delete(root);
			return NULL;
		}
		cJSON_AddItemToObject(root, name, value);
	}
	return root;
}
