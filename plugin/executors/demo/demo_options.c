/*
 * demo_options.c - the demo's own per-vhost options: "tick-ms" (the period
 * of the shared ticker) and "introspection" (on by default; production
 * servers often switch it off). The plugin hands over every option it does
 * not know; this file is the only one that reads their text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"

#define DEMO_TICK_MS_MAX 3600000ul

/* Applies one option to settings. Returns an LWS_GQLWS_OPTION_* verdict;
 * on BAD, why says what a good value is. */
static int apply_option(demo_settings *settings, const char *name, const char *value, char *why,
			size_t why_size)
{
	char *end;
	unsigned long v;

	if (!strcmp(name, "introspection")) {
		if (value && (!strcmp(value, "1") || !strcmp(value, "on"))) {
			settings->introspection = true;
		} else if (value && (!strcmp(value, "0") || !strcmp(value, "off"))) {
			settings->introspection = false;
		} else {
			snprintf(why, why_size, "must be on or off (1 or 0)");
			return LWS_GQLWS_OPTION_BAD;
		}
		return LWS_GQLWS_OPTION_TAKEN;
	}
	if (strcmp(name, "tick-ms"))
		return LWS_GQLWS_OPTION_UNKNOWN;
	errno = 0;
	v = value && *value >= '0' && *value <= '9' ? strtoul(value, &end, 10) : 0;
	if (!v || errno || *end || v > DEMO_TICK_MS_MAX) {
		snprintf(why, why_size, "must be a whole number of milliseconds from 1 to %lu",
			 DEMO_TICK_MS_MAX);
		return LWS_GQLWS_OPTION_BAD;
	}
	settings->tick_ms = (uint32_t)v;
	return LWS_GQLWS_OPTION_TAKEN;
}

static void settings_defaults(demo_settings *settings)
{
	settings->tick_ms = DEMO_DEFAULT_TICK_MS;
	settings->introspection = true;
}

int demo_option_check(const char *name, const char *value, char *why, size_t why_size)
{
	demo_settings scratch;

	settings_defaults(&scratch);
	return apply_option(&scratch, name, value, why, why_size);
}

void demo_settings_from_config(demo_settings *settings, const lws_gqlws_config *cfg)
{
	char why[1];

	settings_defaults(settings);
	for (size_t i = 0; cfg && i < cfg->executor_option_count; i++)
		apply_option(settings, cfg->executor_options[i].name, cfg->executor_options[i].value,
			     why, sizeof(why));
}
