/*
 * hub_event.c - an event as the hub accepts it: one strict JSON value
 * (the check the core runs on every client message), bounded in size
 * before anything is parsed.
 */
#include <stdint.h>

#include "json_strict.h"
#include "hub_internal.h"

/* Why an event's text is refused, per verdict of the strict check. */
static const char *verdict_reason(enum gqlws_json_verdict verdict)
{
	switch (verdict) {
	case GQLWS_JSON_OK:
		return NULL;
	case GQLWS_JSON_CONTROL_CHAR:
		return "Event is not JSON: unescaped control character in a string.";
	case GQLWS_JSON_BAD_UTF8:
		return "Event is not UTF-8.";
	case GQLWS_JSON_BAD_SURROGATE:
		return "Event has an unpaired UTF-16 surrogate escape in a string.";
	case GQLWS_JSON_NUL_ESCAPE:
		return "Event has \\u0000 in a string, which is not supported.";
	case GQLWS_JSON_TOO_DEEP:
		return "Event is nested too deeply (limit 1000).";
	case GQLWS_JSON_SYNTAX:
	case GQLWS_JSON_TOO_MANY_VALUES:
		break;
	}
	return "Event is not JSON.";
}

_Static_assert(GQLWS_JSON_MAX_DEPTH == 1000, "the message above names the limit");

const char *hub_event_check(const char *json, size_t len, size_t max_event_bytes)
{
	if (len > max_event_bytes)
		return "Event is larger than max-message-bytes.";
	if (!json || !len)
		return "Event is not JSON.";
	return verdict_reason(gqlws_json_check(json, len, SIZE_MAX, NULL));
}

cJSON *hub_event_parse(const char *json, size_t len, size_t max_event_bytes, const char **why)
{
	const char *refused = hub_event_check(json, len, max_event_bytes);
	if (why)
		*why = refused;
	if (refused)
		return NULL;
	/* Checked: cJSON reads it as the check did (nesting within its
	 * limit, no NUL in strings); only memory can fail now. */
	return cJSON_ParseWithLength(json, len);
}
