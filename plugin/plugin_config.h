/*
 * plugin_config.h - per-vhost options of the plugin: read once, at
 * PROTOCOL_INIT, from the option lists of the vhost's two protocols into one
 * typed lws_gqlws_config plus the chosen executor. Nothing else in the
 * plugin looks at an option string.
 */
#ifndef GQLWS_PLUGIN_CONFIG_H
#define GQLWS_PLUGIN_CONFIG_H

#include <stdbool.h>

#include "lws_gqlws.h"

/* One protocol's option list as lws hands it to PROTOCOL_INIT (may be NULL),
 * and whether that protocol is served by the vhost at all. */
typedef struct plugin_option_list {
	bool present;
	const struct lws_protocol_vhost_options *options;
} plugin_option_list;

/* The first problem found in a vhost's options, as one line of text (every
 * problem is also logged); empty when there was none. */
typedef struct plugin_config_problem {
	char text[256];
} plugin_config_problem;

/* Checks every option of the plugin in one list on its own (valid value)
 * and logs each problem with the protocol and option name; the executor's
 * options wait for plugin_config_build (the executor may be named in the
 * other list). Returns 0 when the list is valid. */
int plugin_config_check(const struct lws_protocol_vhost_options *options, const char *protocol,
			plugin_config_problem *first);

/* Builds the vhost's configuration from both lists: defaults, then every
 * option of either list. An option given under both protocols must have the
 * same value. Also picks the executor, hands it the options that are not
 * the plugin's (its option_check), and checks the bind-no-protocol rule.
 * Logs what is wrong and returns nonzero on any error. Whatever it returns,
 * plugin_config_free(cfg) releases what it allocated. */
int plugin_config_build(lws_gqlws_config *cfg, const lws_gqlws_executor **executor,
			const plugin_option_list *legacy, const plugin_option_list *modern,
			plugin_config_problem *first);

/* Frees cfg's executor_options (cfg itself is the caller's). */
void plugin_config_free(lws_gqlws_config *cfg);

/* The executors this build of the plugin knows by name, NULL-terminated
 * (plugin/executors/builtin.c; the tests' build: tests/executor/). */
extern const lws_gqlws_executor *const plugin_builtin_executors[];

#endif /* GQLWS_PLUGIN_CONFIG_H */
