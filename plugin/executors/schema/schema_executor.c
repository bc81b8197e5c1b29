/*
 * schema_executor.c - the "schema" executor (lws_gqlws.h): serves a user's
 * SDL whose root fields are bound to topics (@topic, @publish, @retained).
 * Everything GraphQL-shaped is the hub's (gqlws_hub.h, lib/hub); this file
 * only reads the options and the SDL file, reports the SDL's errors with
 * their file positions, and hands operations to the hub. The executor's
 * vhost state is the hub itself.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lws_gqlws.h"

/* A schema file larger than this is refused before it is read: the SDL
 * is parsed in one piece, and no real schema comes near it. */
#define SCHEMA_FILE_MAX_BYTES (8u * 1024u * 1024u)

/* Errors of the SDL logged one by one; past this many only a count. */
#define SCHEMA_ERRORS_LOGGED 100

static bool is_on(const char *v)
{
	return !strcmp(v, "1") || !strcmp(v, "on");
}

static bool is_off(const char *v)
{
	return !strcmp(v, "0") || !strcmp(v, "off");
}

static int schema_option_check(const char *name, const char *value, char *why, size_t why_size)
{
	gqlws_hub_options scratch;
	const char *hub_why = NULL;
	int rc;

	if (!strcmp(name, "schema-file") || !strcmp(name, "schema-sdl")) {
		if (!value[0]) {
			snprintf(why, why_size, "must not be empty");
			return LWS_GQLWS_OPTION_BAD;
		}
		return LWS_GQLWS_OPTION_TAKEN;
	}
	if (!strcmp(name, "introspection")) {
		if (is_on(value) || is_off(value))
			return LWS_GQLWS_OPTION_TAKEN;
		snprintf(why, why_size, "must be on or off (1 or 0)");
		return LWS_GQLWS_OPTION_BAD;
	}
	gqlws_hub_options_init(&scratch);
	rc = gqlws_hub_options_set(&scratch, name, value, &hub_why);
	if (rc == 1)
		return LWS_GQLWS_OPTION_UNKNOWN;
	if (rc) {
		snprintf(why, why_size, "%s", hub_why ? hub_why : "invalid value");
		return LWS_GQLWS_OPTION_BAD;
	}
	return LWS_GQLWS_OPTION_TAKEN;
}

/* Writes one line into cfg's failure text (first failure wins) and logs it. */
static void fail_with(const lws_gqlws_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail_with(const lws_gqlws_config *cfg, const char *fmt, ...)
{
	char text[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	lwsl_err("lws-graphql-ws: executor \"schema\": %s\n", text);
	if (cfg->failure && cfg->failure_size && !cfg->failure[0])
		snprintf(cfg->failure, cfg->failure_size, "%s", text);
}

/* Reads the whole file (at most SCHEMA_FILE_MAX_BYTES) into a new buffer.
 * NULL after reporting why. */
static char *read_schema_file(const lws_gqlws_config *cfg, const char *path, size_t *len)
{
	char *text = NULL;
	long size;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fail_with(cfg, "schema-file \"%s\" cannot be read: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fail_with(cfg, "schema-file \"%s\" cannot be read: %s", path, strerror(errno));
		goto out;
	}
	if ((unsigned long)size > SCHEMA_FILE_MAX_BYTES) {
		fail_with(cfg, "schema-file \"%s\" is larger than %u bytes", path,
			  SCHEMA_FILE_MAX_BYTES);
		goto out;
	}
	text = malloc((size_t)size + 1);
	if (!text) {
		fail_with(cfg, "out of memory reading schema-file \"%s\"", path);
		goto out;
	}
	*len = fread(text, 1, (size_t)size, f);
	if (ferror(f)) {
		fail_with(cfg, "schema-file \"%s\" cannot be read: %s", path, strerror(errno));
		free(text);
		text = NULL;
		goto out;
	}
	text[*len] = '\0';
out:
	fclose(f);
	return text;
}

/* Logs each error of the SDL as "<origin>:<line>:<column>: message" (the
 * form compilers use, so editors jump to it) and keeps the first, with the
 * count of the others, as the vhost's failure. */
static void report_sdl_errors(const lws_gqlws_config *cfg, const char *origin, const cJSON *errors)
{
	int count = cJSON_GetArraySize(errors), i = 0;
	char first[200] = "";
	const cJSON *e;

	cJSON_ArrayForEach(e, errors) {
		const cJSON *message = cJSON_GetObjectItemCaseSensitive(e, "message");
		const cJSON *loc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e, "locations"), 0);
		const cJSON *line = cJSON_GetObjectItemCaseSensitive(loc, "line");
		const cJSON *column = cJSON_GetObjectItemCaseSensitive(loc, "column");
		const char *text = cJSON_IsString(message) ? message->valuestring : "invalid schema";
		char where[64] = "";

		if (i >= SCHEMA_ERRORS_LOGGED) {
			lwsl_err("lws-graphql-ws: %s: %d more errors\n", origin, count - i);
			break;
		}
		if (cJSON_IsNumber(line) && cJSON_IsNumber(column))
			snprintf(where, sizeof(where), ":%d:%d", line->valueint, column->valueint);
		lwsl_err("lws-graphql-ws: %s%s: %s\n", origin, where, text);
		if (!i)
			snprintf(first, sizeof(first), "%s%s: %s", origin, where, text);
		i++;
	}
	if (!count)
		snprintf(first, sizeof(first), "%s: out of memory", origin);
	if (cfg->failure && cfg->failure_size && !cfg->failure[0]) {
		if (count > 1)
			snprintf(cfg->failure, cfg->failure_size, "%s (and %d more errors)", first,
				 count - 1);
		else
			snprintf(cfg->failure, cfg->failure_size, "%s", first);
	}
}

static void *schema_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	const char *file = NULL, *sdl = NULL;
	gqlws_hub_options opts;
	cJSON *errors = NULL;
	gqlws_hub *hub;
	char *text = NULL;
	size_t len = 0;

	(void)vh;
	gqlws_hub_options_init(&opts);
	/* An event travels in one message: the same bound. */
	opts.max_event_bytes = cfg->core.max_message_bytes;
	opts.doc_limits = cfg->doc_limits;
	for (size_t i = 0; i < cfg->executor_option_count; i++) {
		const lws_gqlws_option *o = &cfg->executor_options[i];
		const char *why = NULL;

		if (!strcmp(o->name, "schema-file"))
			file = o->value;
		else if (!strcmp(o->name, "schema-sdl"))
			sdl = o->value;
		else if (!strcmp(o->name, "introspection"))
			opts.schema_flags = is_off(o->value) ? GQLWS_SCHEMA_NO_INTROSPECTION : 0;
		else
			(void)gqlws_hub_options_set(&opts, o->name, o->value, &why); /* checked */
	}
	if (!file == !sdl) {
		fail_with(cfg, file ? "give schema-file or schema-sdl, not both"
				    : "needs the option schema-file (or schema-sdl)");
		*failed = 1;
		return NULL;
	}
	if (file) {
		text = read_schema_file(cfg, file, &len);
		if (!text) {
			*failed = 1;
			return NULL;
		}
	}
	hub = gqlws_hub_new(file ? text : sdl, file ? len : strlen(sdl), &opts, &errors);
	if (!hub) {
		if (errors)
			report_sdl_errors(cfg, file ? file : "schema-sdl", errors);
		else
			fail_with(cfg, "out of memory building the schema");
		*failed = 1;
	}
	cJSON_Delete(errors);
	free(text);
	return hub;
}

static void schema_vhost_destroy(void *exec)
{
	gqlws_hub_free(exec);
}

static int schema_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
			   const gqlws_request *req)
{
	(void)conn;
	(void)s;
	return gqlws_hub_op_start(exec, op, req);
}

static gqlws_hub *schema_hub(void *exec)
{
	return exec;
}

const lws_gqlws_executor lws_gqlws_schema_executor = {
	.name = "schema",
	.vhost_create = schema_vhost_create,
	.vhost_destroy = schema_vhost_destroy,
	.op_start = schema_op_start,
	/* The hub frees an operation's state with a gqlws_op_on_end()
	 * cleanup, however it ends. */
	.op_stop = NULL,
	.option_check = schema_option_check,
	.hub = schema_hub,
};
