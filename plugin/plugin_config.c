/*
 * plugin_config.c - turns the per-vhost option lists of the two protocols
 * into one lws_gqlws_config and an executor table, with an error line for
 * every unknown name or bad value (a bad option fails the vhost).
 */
#include "plugin_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names lws itself (or lwsws convention) reads from the same list. */
static bool is_lws_own_option(const char *name)
{
	return !strcmp(name, "default") || !strcmp(name, "raw") || !strcmp(name, "status") ||
	       !strcmp(name, "basic-auth");
}

static const lws_gqlws_executor *builtin_executor(const char *name)
{
	if (!strcmp(name, "demo"))
		return &lws_gqlws_demo_executor;
	if (!strcmp(name, "test"))
		return &lws_gqlws_test_executor;
	return NULL;
}

static int parse_tick_ms(const char *value, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!value || *value < '0' || *value > '9')
		return -1;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno || *end || v < 1 || v > 3600000ul)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Logs one problem and keeps the first one's text for the embedder (see
 * lws_gqlws_vhost_wait_ready). */
static void report(plugin_config_problem *first, const char *fmt, ...)
{
	char text[sizeof(first->text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	lwsl_err("lws-graphql-ws: %s\n", text);
	if (first && !first->text[0])
		memcpy(first->text, text, sizeof(text));
}

/* Applies one option to cfg; executor choices go to *name / *table.
 * Reports and returns nonzero when the option is not acceptable. */
static int apply_option(lws_gqlws_config *cfg, const struct lws_protocol_vhost_options *o,
			const char *protocol, const char **executor_name,
			const lws_gqlws_executor **table, plugin_config_problem *first)
{
	const char *why = NULL;

	if (is_lws_own_option(o->name))
		return 0;
	if (!strcmp(o->name, LWS_GQLWS_PVO_EXECUTOR_TABLE)) {
		/* Embedding only: the value is a pointer, not text. */
		if (!o->value) {
			why = "needs a const lws_gqlws_executor * as its value";
			goto bad;
		}
		*table = (const lws_gqlws_executor *)(const void *)o->value;
		if (!(*table)->op_start || !(*table)->op_stop) {
			why = "the executor table lacks op_start or op_stop";
			goto bad;
		}
		return 0;
	}
	if (!o->value) {
		why = "has no value";
		goto bad;
	}
	if (!strcmp(o->name, "executor")) {
		if (strcmp(o->value, "custom") && !builtin_executor(o->value)) {
			why = (!strcmp(o->value, "demo") || !strcmp(o->value, "test"))
				      ? "that executor is not built into this plugin"
				      : "must be \"demo\", \"test\" or \"custom\"";
			goto bad;
		}
		*executor_name = o->value;
		return 0;
	}
	if (!strcmp(o->name, "tick-ms")) {
		if (parse_tick_ms(o->value, &cfg->tick_ms)) {
			why = "must be a whole number of milliseconds from 1 to 3600000";
			goto bad;
		}
		return 0;
	}
	if (!strcmp(o->name, "bind-no-protocol")) {
		if (strcmp(o->value, "0") && strcmp(o->value, "1")) {
			why = "must be \"0\" or \"1\"";
			goto bad;
		}
		cfg->bind_no_protocol = o->value[0] == '1';
		return 0;
	}
	if (gqlws_options_known(o->name)) {
		if (gqlws_options_set(&cfg->core, o->name, o->value, &why) != GQLWS_OK)
			goto bad;
		return 0;
	}
	if (gqlws_doc_limits_known(o->name)) {
		if (gqlws_doc_limits_set(&cfg->doc_limits, o->name, o->value, &why))
			goto bad;
		return 0;
	}
	report(first, "%s: unknown option \"%s\"", protocol, o->name);
	return -1;
bad:
	report(first, "%s: option \"%s\" = \"%s\": %s", protocol, o->name,
	       (o->value && strcmp(o->name, LWS_GQLWS_PVO_EXECUTOR_TABLE)) ? o->value : "",
	       why ? why : "invalid value");
	return -1;
}

static void config_defaults(lws_gqlws_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	gqlws_options_init(&cfg->core);
	gqlws_doc_limits_init(&cfg->doc_limits);
	cfg->tick_ms = 1000;
}

int plugin_config_check(const struct lws_protocol_vhost_options *options, const char *protocol,
			plugin_config_problem *first)
{
	const lws_gqlws_executor *table = NULL;
	const char *executor_name = NULL;
	lws_gqlws_config scratch;
	int failed = 0;

	config_defaults(&scratch);
	for (const struct lws_protocol_vhost_options *o = options; o; o = o->next)
		if (apply_option(&scratch, o, protocol, &executor_name, &table, first))
			failed = 1;
	return failed;
}

static const struct lws_protocol_vhost_options *
find_option(const struct lws_protocol_vhost_options *list, const char *name)
{
	for (; list; list = list->next)
		if (!strcmp(list->name, name))
			return list;
	return NULL;
}

/* The same option under both protocols must agree, or the shared
 * configuration would depend on which protocol lws initialises first. */
static int check_agreement(const plugin_option_list *legacy, const plugin_option_list *modern,
			   plugin_config_problem *first)
{
	int failed = 0;

	for (const struct lws_protocol_vhost_options *o = modern->options; o; o = o->next) {
		const struct lws_protocol_vhost_options *other;
		bool same;

		if (is_lws_own_option(o->name))
			continue;
		other = find_option(legacy->options, o->name);
		if (!other)
			continue;
		if (!strcmp(o->name, LWS_GQLWS_PVO_EXECUTOR_TABLE))
			same = o->value == other->value;
		else
			same = o->value && other->value && !strcmp(o->value, other->value);
		if (!same) {
			report(first, "option \"%s\" differs between %s and %s; "
			       "both share one configuration",
			       o->name, LWS_GQLWS_PROTOCOL_LEGACY, LWS_GQLWS_PROTOCOL_MODERN);
			failed = 1;
		}
	}
	return failed;
}

int plugin_config_build(lws_gqlws_config *cfg, const lws_gqlws_executor **executor,
			const plugin_option_list *legacy, const plugin_option_list *modern,
			plugin_config_problem *first)
{
	const lws_gqlws_executor *table = NULL;
	const char *executor_name = "demo";
	int failed = 0;

	config_defaults(cfg);
	for (const struct lws_protocol_vhost_options *o = legacy->options; o; o = o->next)
		failed |= apply_option(cfg, o, LWS_GQLWS_PROTOCOL_LEGACY, &executor_name, &table,
				       first);
	for (const struct lws_protocol_vhost_options *o = modern->options; o; o = o->next)
		failed |= apply_option(cfg, o, LWS_GQLWS_PROTOCOL_MODERN, &executor_name, &table,
				       first);
	failed |= check_agreement(legacy, modern, first);
	if (failed)
		return -1;
	/* A document may be as long as the message that carries it, unless
	 * the deployment says otherwise. */
	if (!find_option(legacy->options, "max-document-bytes") &&
	    !find_option(modern->options, "max-document-bytes"))
		cfg->doc_limits.max_bytes = cfg->core.max_message_bytes;

	if (table) {
		*executor = table;
	} else if (!strcmp(executor_name, "custom")) {
		report(first, "executor \"custom\" needs the \"%s\" option",
		       LWS_GQLWS_PVO_EXECUTOR_TABLE);
		return -1;
	} else {
		*executor = builtin_executor(executor_name);
		if (!*executor) {
			report(first, "executor \"%s\" is not built into this plugin",
			       executor_name);
			return -1;
		}
	}

	if (cfg->bind_no_protocol &&
	    (!legacy->present || !find_option(legacy->options, "default"))) {
		report(first, "bind-no-protocol needs the %s protocol on the vhost "
		       "with the option \"default\" (lws binds header-less upgrades to it)",
		       LWS_GQLWS_PROTOCOL_LEGACY);
		return -1;
	}
	return 0;
}
