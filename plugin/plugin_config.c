/*
 * plugin_config.c - turns the per-vhost option lists of the two protocols
 * into one lws_gqlws_config and an executor table, with an error line for
 * every bad value (a bad option fails the vhost). Names the plugin does not
 * know are the executor's: its option_check accepts or refuses each.
 */
#include "plugin_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_queue_bound.h"
#if defined(GQLWS_WITH_REDIS)
#include "redis/redis_proto.h"
#endif

/* Names lws itself (or lwsws convention) reads from the same list. */
static bool is_lws_own_option(const char *name)
{
	return !strcmp(name, "default") || !strcmp(name, "raw") || !strcmp(name, "status") ||
	       !strcmp(name, "basic-auth");
}

static const lws_gqlws_executor *builtin_executor(const char *name)
{
	for (const lws_gqlws_executor *const *e = plugin_builtin_executors; *e; e++)
		if ((*e)->name && !strcmp((*e)->name, name))
			return *e;
	return NULL;
}

/* The names of the executors built into this build, as "\"demo\"" or
 * "\"demo\", \"test\"". */
static void builtin_names(char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (const lws_gqlws_executor *const *e = plugin_builtin_executors; *e; e++) {
		int n = snprintf(out + used, size - used, "%s\"%s\"", used ? ", " : "",
				 (*e)->name ? (*e)->name : "?");
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
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

/* send-queue-total-bytes: digits only, 0 or within the bound's range.
 * Nonzero when the text is not such a value. */
static int parse_queue_total(const char *text, size_t *out)
{
	unsigned long long v;
	char *end;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end || (v && (v < PLUGIN_QUEUE_BOUND_MIN || v > PLUGIN_QUEUE_BOUND_MAX)))
		return -1;
	*out = (size_t)v;
	return 0;
}

/* A token is the rest of an Authorization header: printable ASCII, no
 * blanks (RFC 6750's b64token is narrower; any visible character is let
 * through so that a generated secret is never refused for its alphabet). */
#define TOKEN_MAX_BYTES 1024

static const char *token_invalid(const char *text, size_t len)
{
	if (!len)
		return "is empty";
	if (len > TOKEN_MAX_BYTES)
		return "is longer than 1024 bytes";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7f)
			return "may hold only visible ASCII characters, no blanks";
	return NULL;
}

/* Replaces cfg's token with a copy of len bytes of text. */
static int set_token(lws_gqlws_config *cfg, const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	free((void *)cfg->publish_token);
	cfg->publish_token = copy;
	return 0;
}

/* A secret in a file (publish-token-file, redis-password-file): the file's
 * first line, a trailing \r and blanks around it dropped, checked as a
 * token. Returns NULL and sets *out (a new copy; the old one freed), or a
 * reason written into why. */
static const char *read_secret_file(const char *path, const char **out, char *why,
				    size_t why_size)
{
	char line[TOKEN_MAX_BYTES + 2];
	const char *invalid;
	size_t len, start = 0;
	char *copy;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(why, why_size, "cannot be read: %s", strerror(errno));
		return why;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	len = strcspn(line, "\r\n");
	if (len > TOKEN_MAX_BYTES) {
		snprintf(why, why_size, "its first line is longer than 1024 bytes");
		return why;
	}
	while (start < len && (line[start] == ' ' || line[start] == '\t'))
		start++;
	while (len > start && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	invalid = token_invalid(line + start, len - start);
	if (invalid) {
		snprintf(why, why_size, "its first line %s", invalid);
		return why;
	}
	copy = malloc(len - start + 1);
	if (!copy) {
		snprintf(why, why_size, "out of memory");
		return why;
	}
	memcpy(copy, line + start, len - start);
	copy[len - start] = '\0';
	memset(line, 0, sizeof(line));
	free((void *)*out);
	*out = copy;
	return NULL;
}

/* The "redis" option's value: a URL this build can use. NULL, or why. */
static const char *redis_url_invalid(const char *text, char *why, size_t why_size)
{
#if defined(GQLWS_WITH_REDIS)
	plugin_redis_url url;
	int rc = plugin_redis_url_parse(text, &url, why, why_size);

	plugin_redis_url_free(&url);
	return rc ? why : NULL;
#else
	(void)text;
	snprintf(why, why_size, "this plugin was built without Redis support (libhiredis-dev)");
	return why;
#endif
}

/* What apply_option made of an option. */
enum { OPTION_APPLIED = 0, OPTION_BAD = -1, OPTION_EXECUTORS = 1 };

/* Applies one option to cfg; executor choices go to *name / *table.
 * Reports and returns OPTION_BAD when the option is not acceptable, and
 * returns OPTION_EXECUTORS for a name that is not the plugin's. */
static int apply_option(lws_gqlws_config *cfg, const struct lws_protocol_vhost_options *o,
			const char *protocol, const char **executor_name,
			const lws_gqlws_executor **table, plugin_config_problem *first)
{
	const char *why = NULL;
	char choices[96];

	if (is_lws_own_option(o->name))
		return OPTION_APPLIED;
	if (!strcmp(o->name, LWS_GQLWS_PVO_EXECUTOR_TABLE)) {
		/* Embedding only: the value is a pointer, not text. */
		if (!o->value) {
			why = "needs a const lws_gqlws_executor * as its value";
			goto bad;
		}
		*table = (const lws_gqlws_executor *)(const void *)o->value;
		if (!(*table)->op_start) {
			why = "the executor table lacks op_start";
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
			/* The shipped plugin has only "demo"; say what this one has. */
			builtin_names(choices, sizeof(choices));
			report(first,
			       "%s: option \"%s\" = \"%s\": must be \"custom\" or built into this "
			       "plugin (%s)",
			       protocol, o->name, o->value, choices);
			return OPTION_BAD;
		}
		*executor_name = o->value;
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "bind-no-protocol")) {
		if (strcmp(o->value, "0") && strcmp(o->value, "1")) {
			why = "must be \"0\" or \"1\"";
			goto bad;
		}
		cfg->bind_no_protocol = o->value[0] == '1';
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "send-queue-total-bytes")) {
		if (parse_queue_total(o->value, &cfg->send_queue_total_bytes)) {
			why = "must be 0 (off) or a whole number of bytes from 16384 to "
			      "1099511627776";
			goto bad;
		}
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "publish-path") || !strcmp(o->name, "metrics-path")) {
		/* A path of the vhost: the endpoint answers it and, for the
		 * publish path, what is under it. */
		if (o->value[0] != '/' || strchr(o->value, '?') || strchr(o->value, ' ')) {
			why = "must be a URL path starting with \"/\" (no query, no blanks)";
			goto bad;
		}
		if (o->name[0] == 'p')
			cfg->publish_path = o->value;
		else
			cfg->metrics_path = o->value;
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "publish-token")) {
		why = token_invalid(o->value, strlen(o->value));
		if (!why && set_token(cfg, o->value, strlen(o->value)))
			why = "out of memory";
		if (!why)
			return OPTION_APPLIED;
		/* A secret: never in the log. */
		report(first, "%s: option \"%s\": %s", protocol, o->name, why);
		return OPTION_BAD;
	}
	if (!strcmp(o->name, "publish-token-file")) {
		char file_why[120];

		why = read_secret_file(o->value, &cfg->publish_token, file_why, sizeof(file_why));
		if (why) {
			report(first, "%s: option \"%s\" = \"%s\": %s", protocol, o->name, o->value,
			       why);
			return OPTION_BAD;
		}
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "redis")) {
		char url_why[200];

		/* The reason never quotes the URL: it may hold a password. */
		why = redis_url_invalid(o->value, url_why, sizeof(url_why));
		if (why) {
			report(first, "%s: option \"%s\": %s", protocol, o->name, why);
			return OPTION_BAD;
		}
		cfg->redis = o->value;
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "redis-password-file")) {
		char file_why[120];

		why = read_secret_file(o->value, &cfg->redis_password, file_why, sizeof(file_why));
		if (why) {
			report(first, "%s: option \"%s\" = \"%s\": %s", protocol, o->name, o->value,
			       why);
			return OPTION_BAD;
		}
		return OPTION_APPLIED;
	}
	if (!strcmp(o->name, "redis-prefix")) {
#if defined(GQLWS_WITH_REDIS)
		why = plugin_redis_prefix_invalid(o->value);
#endif
		if (why)
			goto bad;
		cfg->redis_prefix = o->value;
		return OPTION_APPLIED;
	}
	if (gqlws_options_known(o->name)) {
		if (gqlws_options_set(&cfg->core, o->name, o->value, &why) != GQLWS_OK)
			goto bad;
		return OPTION_APPLIED;
	}
	if (gqlws_doc_limits_known(o->name)) {
		if (gqlws_doc_limits_set(&cfg->doc_limits, o->name, o->value, &why))
			goto bad;
		return OPTION_APPLIED;
	}
	return OPTION_EXECUTORS;
bad:
	report(first, "%s: option \"%s\" = \"%s\": %s", protocol, o->name,
	       (o->value && strcmp(o->name, LWS_GQLWS_PVO_EXECUTOR_TABLE)) ? o->value : "",
	       why ? why : "invalid value");
	return OPTION_BAD;
}

static void config_defaults(lws_gqlws_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	gqlws_options_init(&cfg->core);
	gqlws_doc_limits_init(&cfg->doc_limits);
	cfg->send_queue_total_bytes = queue_bound_default();
	cfg->publish_path = "/publish";
	cfg->redis_prefix = "gqlws:";
}

int plugin_config_check(const struct lws_protocol_vhost_options *options, const char *protocol,
			plugin_config_problem *first)
{
	const lws_gqlws_executor *table = NULL;
	const char *executor_name = NULL;
	lws_gqlws_config scratch;
	int failed = 0;

	config_defaults(&scratch);
	/* The executor's options wait for plugin_config_build: the executor
	 * may be named in the other protocol's list. */
	for (const struct lws_protocol_vhost_options *o = options; o; o = o->next)
		if (apply_option(&scratch, o, protocol, &executor_name, &table, first) == OPTION_BAD)
			failed = 1;
	plugin_config_free(&scratch);
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

/* Keeps an option that is not the plugin's for the executor, once: the same
 * name under the other protocol has the same value (check_agreement).
 * Nonzero when out of memory. */
static int keep_for_executor(lws_gqlws_config *cfg, const char *protocol,
			     const struct lws_protocol_vhost_options *o)
{
	lws_gqlws_option *grown;

	for (size_t i = 0; i < cfg->executor_option_count; i++)
		if (!strcmp(cfg->executor_options[i].name, o->name))
			return 0;
	grown = realloc((void *)cfg->executor_options,
			(cfg->executor_option_count + 1) * sizeof(*cfg->executor_options));
	if (!grown)
		return -1;
	grown[cfg->executor_option_count++] = (lws_gqlws_option){ protocol, o->name, o->value };
	cfg->executor_options = grown;
	return 0;
}

/* Applies one protocol's list; the executor's options are kept aside. */
static int apply_list(lws_gqlws_config *cfg, const plugin_option_list *list, const char *protocol,
		      const char **executor_name, const lws_gqlws_executor **table,
		      plugin_config_problem *first)
{
	int failed = 0;

	for (const struct lws_protocol_vhost_options *o = list->options; o; o = o->next) {
		int rc = apply_option(cfg, o, protocol, executor_name, table, first);

		if (rc == OPTION_BAD) {
			failed = 1;
		} else if (rc == OPTION_EXECUTORS && keep_for_executor(cfg, protocol, o)) {
			report(first, "out of memory");
			failed = 1;
		}
	}
	return failed;
}

/* Hands every option the plugin did not know to the executor's
 * option_check; an executor without one takes no options. */
static int check_executor_options(const lws_gqlws_config *cfg, const lws_gqlws_executor *executor,
				  plugin_config_problem *first)
{
	const char *name = executor->name ? executor->name : "custom";
	int failed = 0;

	for (size_t i = 0; i < cfg->executor_option_count; i++) {
		const lws_gqlws_option *o = &cfg->executor_options[i];
		char why[120] = "";
		int verdict = executor->option_check
				      ? executor->option_check(o->name, o->value, why, sizeof(why))
				      : LWS_GQLWS_OPTION_UNKNOWN;

		if (verdict == LWS_GQLWS_OPTION_TAKEN)
			continue;
		if (verdict == LWS_GQLWS_OPTION_BAD)
			report(first, "%s: option \"%s\" = \"%s\": %s", o->protocol, o->name,
			       o->value, why[0] ? why : "invalid value");
		else
			report(first, "%s: unknown option \"%s\" (neither the plugin's nor executor \"%s\"'s)",
			       o->protocol, o->name, name);
		failed = 1;
	}
	return failed;
}

void plugin_config_free(lws_gqlws_config *cfg)
{
	free((void *)cfg->executor_options);
	cfg->executor_options = NULL;
	cfg->executor_option_count = 0;
	free((void *)cfg->publish_token);
	cfg->publish_token = NULL;
	if (cfg->redis_password)
		memset((void *)cfg->redis_password, 0, strlen(cfg->redis_password));
	free((void *)cfg->redis_password);
	cfg->redis_password = NULL;
}

/* The part of a path that a request's path must start with: the path
 * without a trailing "/" ("/" itself: nothing). */
static size_t path_stem(const char *path)
{
	size_t len = strlen(path);

	return len && path[len - 1] == '/' ? len - 1 : len;
}

/* Checks the options that only make sense together. */
static int check_paths_and_token(const lws_gqlws_config *cfg, const plugin_option_list *legacy,
				 const plugin_option_list *modern, plugin_config_problem *first)
{
	size_t stem = path_stem(cfg->publish_path);

	if ((find_option(legacy->options, "publish-token") ||
	     find_option(modern->options, "publish-token")) &&
	    (find_option(legacy->options, "publish-token-file") ||
	     find_option(modern->options, "publish-token-file"))) {
		report(first, "give publish-token or publish-token-file, not both");
		return -1;
	}
	/* The metrics path must not be a publish URL (nor the reverse). */
	if (cfg->metrics_path && !strncmp(cfg->metrics_path, cfg->publish_path, stem) &&
	    (cfg->metrics_path[stem] == '\0' || cfg->metrics_path[stem] == '/')) {
		report(first, "metrics-path \"%s\" lies under publish-path \"%s\"",
		       cfg->metrics_path, cfg->publish_path);
		return -1;
	}
	return 0;
}

/* The Redis options that only make sense with "redis", and one password. */
static int check_redis(const lws_gqlws_config *cfg, const plugin_option_list *legacy,
		       const plugin_option_list *modern, plugin_config_problem *first)
{
	static const char *const needs_redis[] = { "redis-password-file", "redis-prefix" };

	for (size_t i = 0; i < sizeof(needs_redis) / sizeof(needs_redis[0]); i++)
		if (!cfg->redis && (find_option(legacy->options, needs_redis[i]) ||
				    find_option(modern->options, needs_redis[i]))) {
			report(first, "%s needs the \"redis\" option", needs_redis[i]);
			return -1;
		}
#if defined(GQLWS_WITH_REDIS)
	if (cfg->redis && cfg->redis_password) {
		plugin_redis_url url;
		char why[200];
		bool has_password = !plugin_redis_url_parse(cfg->redis, &url, why, sizeof(why)) &&
				    url.password;

		plugin_redis_url_free(&url);
		if (has_password) {
			report(first, "give the Redis password in \"redis\" or in "
			       "redis-password-file, not both");
			return -1;
		}
	}
#endif
	return 0;
}

int plugin_config_build(lws_gqlws_config *cfg, const lws_gqlws_executor **executor,
			const plugin_option_list *legacy, const plugin_option_list *modern,
			plugin_config_problem *first)
{
	const lws_gqlws_executor *table = NULL;
	const char *executor_name = "demo";
	int failed = 0;

	config_defaults(cfg);
	failed |= apply_list(cfg, legacy, LWS_GQLWS_PROTOCOL_LEGACY, &executor_name, &table, first);
	failed |= apply_list(cfg, modern, LWS_GQLWS_PROTOCOL_MODERN, &executor_name, &table, first);
	failed |= check_agreement(legacy, modern, first);
	if (failed || check_paths_and_token(cfg, legacy, modern, first) ||
	    check_redis(cfg, legacy, modern, first))
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
	if (check_executor_options(cfg, *executor, first))
		return -1;

	if (cfg->bind_no_protocol &&
	    (!legacy->present || !find_option(legacy->options, "default"))) {
		report(first, "bind-no-protocol needs the %s protocol on the vhost "
		       "with the option \"default\" (lws binds header-less upgrades to it)",
		       LWS_GQLWS_PROTOCOL_LEGACY);
		return -1;
	}
	return 0;
}
