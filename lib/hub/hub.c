/*
 * hub.c - a hub's life: the user's SDL built into a schema together with
 * the directives the hub declares, the bindings read from it, the topic
 * half made, and all of it freed again.
 */
#include <stdlib.h>
#include <string.h>

#include "hub_internal.h"

/* After the user's SDL, so that the line numbers of the user's errors are
 * the lines of their own file. */
const char gqlws_hub_directives_sdl[] =
	"directive @topic(name: String!) on FIELD_DEFINITION\n"
	"directive @publish(topic: String!, payload: String) on FIELD_DEFINITION\n"
	"directive @retained(topic: String!) on FIELD_DEFINITION\n";

/* user SDL + "\n" + the directives: the newline ends a comment the user's
 * last line may leave open. NULL when out of memory. */
static char *sdl_with_directives(const char *sdl, size_t len, size_t *total)
{
	size_t directives = sizeof gqlws_hub_directives_sdl - 1;
	char *text;

	if (len > SIZE_MAX - directives - 2)
		return NULL;
	text = malloc(len + 1 + directives + 1);
	if (!text)
		return NULL;
	if (len)
		memcpy(text, sdl, len);
	text[len] = '\n';
	memcpy(text + len + 1, gqlws_hub_directives_sdl, directives + 1);
	*total = len + 1 + directives;
	return text;
}

gqlws_hub *gqlws_hub_new(const char *sdl, size_t len, const gqlws_hub_options *opts,
			 cJSON **errors)
{
	size_t total = 0;
	char *text;
	gqlws_hub *hub;

	if (!errors)
		return NULL;
	*errors = NULL;
	if (!sdl && len)
		return NULL;
	text = sdl_with_directives(sdl, len, &total);
	if (!text)
		return NULL;
	hub = calloc(1, sizeof *hub);
	if (!hub) {
		free(text);
		return NULL;
	}
	if (opts)
		hub->opts = *opts;
	else
		gqlws_hub_options_init(&hub->opts);
	/* The schema's errors are returned as they are: the SDL's own come
	 * first and keep their lines, as the directives follow them. */
	hub->schema = gqlws_schema_parse(text, total, errors);
	free(text);
	if (!hub->schema || hub_bind_read(hub, errors) != 0) {
		gqlws_hub_free(hub);
		return NULL;
	}
	hub->topics = hub_topics_new(&hub->opts);
	if (!hub->topics) {
		gqlws_hub_free(hub);
		return NULL;
	}
	return hub;
}

void gqlws_hub_free(gqlws_hub *hub)
{
	if (!hub)
		return;
	hub_topics_free(hub->topics);
	hub_bind_free(hub);
	gqlws_schema_free(hub->schema);
	free(hub);
}

const gqlws_schema *gqlws_hub_schema(const gqlws_hub *hub)
{
	return hub ? hub->schema : NULL;
}

/* Bindings are sorted by kind, then by field name (hub_bind_read). */
const hub_binding *hub_binding_find(const gqlws_hub *hub, hub_binding_kind kind, const char *field)
{
	size_t lo = 0, hi;

	if (!hub || !field)
		return NULL;
	hi = hub->binding_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const hub_binding *b = &hub->bindings[mid];
		int c = b->kind != kind ? (b->kind < kind ? -1 : 1) : strcmp(b->field, field);
		if (c == 0)
			return b;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
