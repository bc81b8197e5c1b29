/*
 * plugin_options.c - the per-vhost options that are not the plugin's belong
 * to the executor: the demo takes tick-ms and refuses a bad value naming it,
 * an application's executor receives its own options through option_check
 * and cfg->executor_options, and any option neither knows fails the vhost
 * with a one-line reason from lws_gqlws_vhost_wait_ready(). Each test
 * starts a vhost of the static plugin library (the shipped executors: the
 * demo only) in an lws context of its own that listens nowhere. The
 * contexts live until the end: the plugin remembers a failure by the
 * vhost's address, which a vhost made after a destroy may get again (and
 * lws 4.1.6 initialises no vhost of a context after one that failed).
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp under -std=c11 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lws_gqlws.h"
#include "plugin_vhost_state.h"

#define READY_TIMEOUT_MS 2000

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	LWS_GQLWS_PROTOCOL_ENTRY_MODERN,
	LWS_GQLWS_PROTOCOL_ENTRY_LEGACY,
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

#define MAX_CONTEXTS 96

static struct lws_context *contexts[MAX_CONTEXTS];
static size_t context_count;
static struct lws_vhost *last_vhost; /* of the latest start_vhost */

static void contexts_destroy(void)
{
	while (context_count)
		lws_context_destroy(contexts[--context_count]);
}

/* Starts a vhost whose graphql-transport-ws and graphql-ws protocols get
 * the given option lists, and waits for it. Returns wait_ready's result;
 * why holds its reason. The plugin reads the options during the wait only
 * (the vhost lives on, but is never serviced again). */
static int start_vhost(const struct lws_protocol_vhost_options *modern,
		       const struct lws_protocol_vhost_options *legacy, char *why, size_t why_size)
{
	struct lws_protocol_vhost_options pvo_legacy = { NULL, legacy, LWS_GQLWS_PROTOCOL_LEGACY, "" };
	struct lws_protocol_vhost_options pvo_modern = { &pvo_legacy, modern,
							 LWS_GQLWS_PROTOCOL_MODERN, "" };
	struct lws_context_creation_info info;
	struct lws_context *context;
	struct lws_vhost *vh;

	ck_assert_uint_lt(context_count, MAX_CONTEXTS);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	context = lws_create_context(&info);
	ck_assert_ptr_nonnull(context);
	contexts[context_count++] = context;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = protocols;
	info.pvo = &pvo_modern;
	vh = lws_create_vhost(context, &info);
	ck_assert_ptr_nonnull(vh);
	last_vhost = vh;
	return lws_gqlws_vhost_wait_ready(context, vh, READY_TIMEOUT_MS, why, why_size);
}

#define OPT(next, name, value) { next, NULL, name, value }

/* ------------------------------------------------ an application's executor */

/* What the greeter's vhost_create saw of its options. */
static struct {
	int creates;
	size_t option_count;
	char greeting[32];
	char protocol[32];
	char publish_path[32];
	char publish_token[32];
	char metrics_path[32];
	bool has_token;
	bool has_metrics;
} seen;

/* The greeter's one option: "greeting", any non-empty text. */
static int greeter_option_check(const char *name, const char *value, char *why, size_t why_size)
{
	if (strcmp(name, "greeting"))
		return LWS_GQLWS_OPTION_UNKNOWN;
	if (!value[0]) {
		snprintf(why, why_size, "must not be empty");
		return LWS_GQLWS_OPTION_BAD;
	}
	return LWS_GQLWS_OPTION_TAKEN;
}

static void *greeter_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	(void)vh;
	(void)failed;
	seen.creates++;
	seen.option_count = cfg->executor_option_count;
	snprintf(seen.publish_path, sizeof(seen.publish_path), "%s", cfg->publish_path);
	seen.has_token = cfg->publish_token != NULL;
	if (cfg->publish_token)
		snprintf(seen.publish_token, sizeof(seen.publish_token), "%s", cfg->publish_token);
	seen.has_metrics = cfg->metrics_path != NULL;
	if (cfg->metrics_path)
		snprintf(seen.metrics_path, sizeof(seen.metrics_path), "%s", cfg->metrics_path);
	for (size_t i = 0; i < cfg->executor_option_count; i++)
		if (!strcmp(cfg->executor_options[i].name, "greeting")) {
			snprintf(seen.greeting, sizeof(seen.greeting), "%s",
				 cfg->executor_options[i].value);
			snprintf(seen.protocol, sizeof(seen.protocol), "%s",
				 cfg->executor_options[i].protocol);
		}
	return NULL;
}

static int greeter_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
			    const gqlws_request *req)
{
	(void)exec;
	(void)conn;
	(void)s;
	(void)op;
	(void)req;
	return -1;
}

static void greeter_op_stop(void *exec, void *conn, gqlws_session *s, gqlws_op *op)
{
	(void)exec;
	(void)conn;
	(void)s;
	(void)op;
}

static const lws_gqlws_executor greeter = {
	.name = "greeter",
	.vhost_create = greeter_vhost_create,
	.op_start = greeter_op_start,
	.op_stop = greeter_op_stop,
	.option_check = greeter_option_check,
};

/* The same executor without option_check: it takes no options. */
static const lws_gqlws_executor mute = {
	.name = "mute",
	.vhost_create = greeter_vhost_create,
	.op_start = greeter_op_start,
	.op_stop = greeter_op_stop,
};

#define TABLE(next, table) OPT(next, LWS_GQLWS_PVO_EXECUTOR_TABLE, (const char *)(const void *)(table))

static void forget_seen(void)
{
	memset(&seen, 0, sizeof(seen));
}

/* ------------------------------------------------------------------ tests */

START_TEST(unknown_option_fails_the_vhost_naming_it)
{
	struct lws_protocol_vhost_options bogus = OPT(NULL, "bogus", "1");
	char why[200];

	ck_assert_int_eq(start_vhost(&bogus, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: unknown option \"bogus\" "
			      "(neither the plugin's nor executor \"demo\"'s)");
}
END_TEST

START_TEST(demo_tick_ms_bad_value_fails_naming_tick_ms)
{
	static const char *const bad[] = { "0", "abc", "-5", "3600001", "", "10ms" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lws_protocol_vhost_options tick = OPT(NULL, "tick-ms", bad[i]);
		char expected[200], why[200];

		snprintf(expected, sizeof(expected),
			 "graphql-ws: option \"tick-ms\" = \"%s\": must be a whole number of "
			 "milliseconds from 1 to 3600000",
			 bad[i]);
		ck_assert_int_eq(start_vhost(NULL, &tick, why, sizeof(why)), -1);
		ck_assert_str_eq(why, expected);
	}
}
END_TEST

START_TEST(demo_takes_tick_ms)
{
	struct lws_protocol_vhost_options tick = OPT(NULL, "tick-ms", "20");
	struct lws_protocol_vhost_options executor = OPT(&tick, "executor", "demo");
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(demo_introspection_takes_on_and_off_and_refuses_the_rest)
{
	static const char *const good[] = { "on", "off", "1", "0" };
	static const char *const bad[] = { "", "yes", "true", "2", "OFF" };
	char why[200];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct lws_protocol_vhost_options introspection = OPT(NULL, "introspection", good[i]);
		ck_assert_int_eq(start_vhost(&introspection, NULL, why, sizeof(why)), 0);
		ck_assert_str_eq(why, "");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lws_protocol_vhost_options introspection = OPT(NULL, "introspection", bad[i]);
		char expected[200];

		snprintf(expected, sizeof(expected),
			 "graphql-transport-ws: option \"introspection\" = \"%s\": must be on or off (1 or 0)",
			 bad[i]);
		ck_assert_int_eq(start_vhost(&introspection, NULL, why, sizeof(why)), -1);
		ck_assert_str_eq(why, expected);
	}
}
END_TEST

START_TEST(custom_executor_receives_its_own_option)
{
	struct lws_protocol_vhost_options greeting = OPT(NULL, "greeting", "hello");
	struct lws_protocol_vhost_options keepalive = OPT(&greeting, "keepalive-ms", "5000");
	struct lws_protocol_vhost_options table = TABLE(&keepalive, &greeter);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), 0);
	ck_assert_int_eq(seen.creates, 1);
	/* Only its own: the plugin's options and the table are not handed over. */
	ck_assert_uint_eq(seen.option_count, 1);
	ck_assert_str_eq(seen.greeting, "hello");
	ck_assert_str_eq(seen.protocol, LWS_GQLWS_PROTOCOL_MODERN);
}
END_TEST

START_TEST(custom_executor_refuses_a_bad_value_with_its_reason)
{
	struct lws_protocol_vhost_options greeting = OPT(NULL, "greeting", "");
	struct lws_protocol_vhost_options table = TABLE(&greeting, &greeter);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"greeting\" = \"\": must not be empty");
	ck_assert_int_eq(seen.creates, 0);
}
END_TEST

START_TEST(custom_executor_refuses_another_executors_option)
{
	struct lws_protocol_vhost_options tick = OPT(NULL, "tick-ms", "20");
	struct lws_protocol_vhost_options table = TABLE(&tick, &greeter);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: unknown option \"tick-ms\" "
			      "(neither the plugin's nor executor \"greeter\"'s)");
	ck_assert_int_eq(seen.creates, 0);
}
END_TEST

START_TEST(executor_without_option_check_fails_on_any_leftover)
{
	struct lws_protocol_vhost_options greeting = OPT(NULL, "greeting", "hello");
	struct lws_protocol_vhost_options with_option = TABLE(&greeting, &mute);
	struct lws_protocol_vhost_options keepalive = OPT(NULL, "keepalive-ms", "5000");
	struct lws_protocol_vhost_options plugin_only = TABLE(&keepalive, &mute);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&with_option, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: unknown option \"greeting\" "
			      "(neither the plugin's nor executor \"mute\"'s)");
	ck_assert_int_eq(seen.creates, 0);
	ck_assert_int_eq(start_vhost(&plugin_only, NULL, why, sizeof(why)), 0);
	ck_assert_int_eq(seen.creates, 1);
	ck_assert_uint_eq(seen.option_count, 0);
}
END_TEST

START_TEST(option_under_both_protocols_reaches_the_executor_once)
{
	struct lws_protocol_vhost_options greeting_legacy = OPT(NULL, "greeting", "hi");
	struct lws_protocol_vhost_options greeting = OPT(NULL, "greeting", "hi");
	struct lws_protocol_vhost_options table = TABLE(&greeting, &greeter);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&table, &greeting_legacy, why, sizeof(why)), 0);
	ck_assert_uint_eq(seen.option_count, 1);
	ck_assert_str_eq(seen.greeting, "hi");
}
END_TEST

START_TEST(executor_option_differing_between_protocols_fails)
{
	struct lws_protocol_vhost_options greeting_legacy = OPT(NULL, "greeting", "hi");
	struct lws_protocol_vhost_options greeting = OPT(NULL, "greeting", "hello");
	struct lws_protocol_vhost_options table = TABLE(&greeting, &greeter);
	char why[200];

	ck_assert_int_eq(start_vhost(&table, &greeting_legacy, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "option \"greeting\" differs between graphql-ws and "
			      "graphql-transport-ws; both share one configuration");
}
END_TEST

START_TEST(test_executor_is_not_built_into_the_shipped_plugin)
{
	struct lws_protocol_vhost_options executor = OPT(NULL, "executor", "test");
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"executor\" = \"test\": must be "
			      "\"custom\" or built into this plugin (\"demo\", \"schema\")");
}
END_TEST

START_TEST(plugin_option_bad_value_still_fails_naming_it)
{
	struct lws_protocol_vhost_options keepalive = OPT(NULL, "keepalive-ms", "soon");
	char why[200];

	ck_assert_int_eq(start_vhost(&keepalive, NULL, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "graphql-transport-ws: option \"keepalive-ms\" = \"soon\": ") == why,
		      "why: %s", why);
}
END_TEST

START_TEST(send_queue_total_bytes_bad_values_fail_naming_the_range)
{
	static const char *const bad[] = { "abc", "-1", "", "64k", "16383", "1000",
					   "1099511627777", "99999999999999999999999" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lws_protocol_vhost_options total = OPT(NULL, "send-queue-total-bytes", bad[i]);
		char expected[200], why[200];

		snprintf(expected, sizeof(expected),
			 "graphql-ws: option \"send-queue-total-bytes\" = \"%s\": must be 0 (off) or "
			 "a whole number of bytes from 16384 to 1099511627776",
			 bad[i]);
		ck_assert_int_eq(start_vhost(NULL, &total, why, sizeof(why)), -1);
		ck_assert_str_eq(why, expected);
	}
}
END_TEST

START_TEST(send_queue_total_bytes_takes_0_and_both_ends_of_its_range)
{
	static const struct { const char *text; size_t bound; } good[] = {
		{ "0", 0 }, { "16384", 16384 }, { "1099511627776", (size_t)1 << 40 }, { "67108864", 67108864 },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct lws_protocol_vhost_options total = OPT(NULL, "send-queue-total-bytes", good[i].text);
		lws_gqlws_queue_stats stats;
		char why[200];

		ck_assert_int_eq(start_vhost(&total, NULL, why, sizeof(why)), 0);
		ck_assert_int_eq(lws_gqlws_vhost_queue_stats(last_vhost, &stats), 0);
		ck_assert_uint_eq(stats.bound, good[i].bound);
		ck_assert_uint_eq(stats.bytes, 0);
		ck_assert_uint_eq(stats.evictions, 0);
	}
}
END_TEST

START_TEST(send_queue_total_bytes_defaults_to_a_sixteenth_of_memory_at_most_64_mib)
{
	unsigned long long page = (unsigned long long)sysconf(_SC_PAGESIZE);
	unsigned long long sixteenth = (unsigned long long)sysconf(_SC_PHYS_PAGES) / 16 * page;
	unsigned long long expected = sixteenth < (64ull << 20) ? sixteenth : (64ull << 20);
	lws_gqlws_queue_stats stats;
	char why[200];

	if (expected < 16384)
		expected = 16384;
	ck_assert_int_eq(start_vhost(NULL, NULL, why, sizeof(why)), 0);
	ck_assert_int_eq(lws_gqlws_vhost_queue_stats(last_vhost, &stats), 0);
	ck_assert_uint_eq(stats.bound, expected);
}
END_TEST


/* ------------------------------------------------ publish and metrics options */

START_TEST(publish_path_defaults_to_publish_with_no_token_and_no_metrics)
{
	struct lws_protocol_vhost_options table = TABLE(NULL, &greeter);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), 0);
	ck_assert_str_eq(seen.publish_path, "/publish");
	ck_assert(!seen.has_token);
	ck_assert(!seen.has_metrics);
}
END_TEST

START_TEST(publish_and_metrics_options_reach_the_config)
{
	struct lws_protocol_vhost_options metrics = OPT(NULL, "metrics-path", "/m");
	struct lws_protocol_vhost_options token = OPT(&metrics, "publish-token", "s3cret");
	struct lws_protocol_vhost_options path = OPT(&token, "publish-path", "/events");
	struct lws_protocol_vhost_options table = TABLE(&path, &greeter);
	char why[200];

	forget_seen();
	ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), 0);
	ck_assert_str_eq(seen.publish_path, "/events");
	ck_assert_str_eq(seen.publish_token, "s3cret");
	ck_assert_str_eq(seen.metrics_path, "/m");
	/* They are the plugin's: the executor is not handed them. */
	ck_assert_uint_eq(seen.option_count, 0);
}
END_TEST

START_TEST(paths_must_start_with_a_slash)
{
	static const char *const names[] = { "publish-path", "metrics-path" };
	static const char *const bad[] = { "events", "", "/a?b", "/a b" };
	char why[200], expected[200];

	for (size_t n = 0; n < 2; n++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct lws_protocol_vhost_options path = OPT(NULL, names[n], bad[i]);

			snprintf(expected, sizeof(expected),
				 "graphql-transport-ws: option \"%s\" = \"%s\": must be a URL path "
				 "starting with \"/\" (no query, no blanks)",
				 names[n], bad[i]);
			ck_assert_int_eq(start_vhost(&path, NULL, why, sizeof(why)), -1);
			ck_assert_str_eq(why, expected);
		}
}
END_TEST

START_TEST(bad_publish_token_fails_without_showing_it)
{
	struct lws_protocol_vhost_options token = OPT(NULL, "publish-token", "two words");
	struct lws_protocol_vhost_options empty = OPT(NULL, "publish-token", "");
	char why[200];

	ck_assert_int_eq(start_vhost(&token, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"publish-token\": may hold only "
			      "visible ASCII characters, no blanks");
	ck_assert_int_eq(start_vhost(NULL, &empty, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-ws: option \"publish-token\": is empty");
}
END_TEST

/* A temporary file holding text; the caller unlinks path. */
static void write_file(char *path, size_t size, const char *text)
{
	int fd;

	snprintf(path, size, "/tmp/gqlws-plugin-options-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

START_TEST(publish_token_file_gives_its_first_line)
{
	char path[64], why[200];

	write_file(path, sizeof(path), "  tok-from-file \r\nsecond line\n");
	{
		struct lws_protocol_vhost_options file = OPT(NULL, "publish-token-file", path);
		struct lws_protocol_vhost_options table = TABLE(&file, &greeter);

		forget_seen();
		ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), 0);
		ck_assert_str_eq(seen.publish_token, "tok-from-file");
	}
	unlink(path);
}
END_TEST

START_TEST(publish_token_file_unreadable_or_empty_fails_the_vhost)
{
	struct lws_protocol_vhost_options missing =
		OPT(NULL, "publish-token-file", "/nonexistent/gqlws-token");
	char path[64], why[200];

	ck_assert_int_eq(start_vhost(&missing, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"publish-token-file\" = "
			      "\"/nonexistent/gqlws-token\": cannot be read: No such file or directory");
	write_file(path, sizeof(path), "\nsecond line\n");
	{
		struct lws_protocol_vhost_options empty = OPT(NULL, "publish-token-file", path);
		char expected[200];

		snprintf(expected, sizeof(expected),
			 "graphql-transport-ws: option \"publish-token-file\" = \"%s\": its first "
			 "line is empty",
			 path);
		ck_assert_int_eq(start_vhost(&empty, NULL, why, sizeof(why)), -1);
		ck_assert_str_eq(why, expected);
	}
	unlink(path);
}
END_TEST

START_TEST(publish_token_and_token_file_together_fail)
{
	char path[64], why[200];

	write_file(path, sizeof(path), "tok\n");
	{
		struct lws_protocol_vhost_options file = OPT(NULL, "publish-token-file", path);
		struct lws_protocol_vhost_options token = OPT(&file, "publish-token", "tok");

		ck_assert_int_eq(start_vhost(&token, NULL, why, sizeof(why)), -1);
		ck_assert_str_eq(why, "give publish-token or publish-token-file, not both");
	}
	unlink(path);
}
END_TEST

START_TEST(metrics_path_under_the_publish_path_fails)
{
	struct lws_protocol_vhost_options metrics = OPT(NULL, "metrics-path", "/publish/metrics");
	struct lws_protocol_vhost_options same = OPT(NULL, "metrics-path", "/publish");
	struct lws_protocol_vhost_options beside = OPT(NULL, "metrics-path", "/publisher");
	char why[200];

	ck_assert_int_eq(start_vhost(&metrics, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "metrics-path \"/publish/metrics\" lies under publish-path \"/publish\"");
	ck_assert_int_eq(start_vhost(&same, NULL, why, sizeof(why)), -1);
	ck_assert_int_eq(start_vhost(&beside, NULL, why, sizeof(why)), 0);
}
END_TEST

/* ------------------------------------------------------ the schema executor */

#define STOCK_SDL                                                                          \
	"type Query { stock(symbol: String!): Stock @retained(topic: \"stock.{symbol}\") }\n" \
	"type Subscription { stock(symbol: String!): Stock! @topic(name: \"stock.{symbol}\") }\n" \
	"type Stock { symbol: String! price: Float! }\n"

START_TEST(schema_executor_serves_sdl_text)
{
	struct lws_protocol_vhost_options sdl = OPT(NULL, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor = OPT(&sdl, "executor", "schema");
	plugin_http_view view;
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	ck_assert(plugin_vhost_http_view(last_vhost, &view));
	ck_assert_ptr_nonnull(view.hub);
}
END_TEST

START_TEST(schema_executor_needs_one_schema)
{
	struct lws_protocol_vhost_options executor = OPT(NULL, "executor", "schema");
	struct lws_protocol_vhost_options sdl = OPT(NULL, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options file = OPT(&sdl, "schema-file", "/x.graphql");
	struct lws_protocol_vhost_options both = OPT(&file, "executor", "schema");
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "executor \"schema\": needs the option schema-file (or schema-sdl)");
	ck_assert_int_eq(start_vhost(&both, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "executor \"schema\": give schema-file or schema-sdl, not both");
}
END_TEST

START_TEST(schema_file_unreadable_fails_naming_it)
{
	struct lws_protocol_vhost_options file = OPT(NULL, "schema-file", "/nonexistent/s.graphql");
	struct lws_protocol_vhost_options executor = OPT(&file, "executor", "schema");
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "executor \"schema\": schema-file \"/nonexistent/s.graphql\" cannot "
			      "be read: No such file or directory");
}
END_TEST

START_TEST(schema_file_errors_name_file_line_and_column)
{
	char path[64], why[200], expected[200];

	write_file(path, sizeof(path),
		   "type Query {\n  a: Nope\n  b: Nada\n}\n");
	{
		struct lws_protocol_vhost_options file = OPT(NULL, "schema-file", path);
		struct lws_protocol_vhost_options executor = OPT(&file, "executor", "schema");

		snprintf(expected, sizeof(expected),
			 "executor \"schema\": %s:2:6: Unknown type \"Nope\". (and 1 more errors)",
			 path);
		ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), -1);
		ck_assert_str_eq(why, expected);
	}
	unlink(path);
}
END_TEST

START_TEST(schema_executor_refuses_bad_retain_options)
{
	struct lws_protocol_vhost_options retain = OPT(NULL, "retain-topics", "many");
	struct lws_protocol_vhost_options sdl = OPT(&retain, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor = OPT(&sdl, "executor", "schema");
	struct lws_protocol_vhost_options intro = OPT(NULL, "introspection", "maybe");
	struct lws_protocol_vhost_options sdl2 = OPT(&intro, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor2 = OPT(&sdl2, "executor", "schema");
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "graphql-transport-ws: option \"retain-topics\" = \"many\": ") == why,
		      "why: %s", why);
	ck_assert_int_eq(start_vhost(&executor2, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"introspection\" = \"maybe\": must be "
			      "on or off (1 or 0)");
}
END_TEST

/* ------------------------------------------------------- lws_gqlws_publish */

typedef struct publisher {
	struct lws_vhost *vh;
	int rc[3];
} publisher;

static void *publish_thread(void *arg)
{
	publisher *p = arg;

	p->rc[0] = lws_gqlws_publish(p->vh, "stock.AAPL", "{\"symbol\":\"AAPL\",\"price\":1}", 27);
	p->rc[1] = lws_gqlws_publish(p->vh, "stock.AAPL", "{\"symbol\":\"AAPL\",\"price\":2}", 27);
	p->rc[2] = lws_gqlws_publish(p->vh, "stock.MSFT", "not json", 8);
	return NULL;
}

START_TEST(publish_from_another_thread_reaches_the_hub_on_the_service_thread)
{
	struct lws_protocol_vhost_options sdl = OPT(NULL, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor = OPT(&sdl, "executor", "schema");
	struct lws_context *context;
	publisher p;
	pthread_t thread;
	plugin_metrics m;
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	context = contexts[context_count - 1];
	p.vh = last_vhost;
	ck_assert_int_eq(pthread_create(&thread, NULL, publish_thread, &p), 0);
	pthread_join(thread, NULL);
	ck_assert_int_eq(p.rc[0], GQLWS_OK);
	ck_assert_int_eq(p.rc[1], GQLWS_OK);
	/* Parsed on the service thread: queued, then refused there. */
	ck_assert_int_eq(p.rc[2], GQLWS_OK);
	/* Nothing reaches the hub off the service thread. */
	ck_assert(plugin_vhost_metrics(last_vhost, &m));
	ck_assert_uint_eq(m.hub.published, 0);
	ck_assert_uint_eq(m.publish_queued, 3);
	while (m.hub.published + m.hub.refused < 3) {
		ck_assert_int_ge(lws_service(context, 0), 0);
		ck_assert(plugin_vhost_metrics(last_vhost, &m));
	}
	ck_assert_uint_eq(m.hub.published, 2);
	ck_assert_uint_eq(m.hub.refused, 1);
	ck_assert_uint_eq(m.hub.retained_topics, 1);
}
END_TEST

START_TEST(publish_refuses_bad_arguments_and_vhosts_without_hub)
{
	struct lws_protocol_vhost_options max = OPT(NULL, "max-message-bytes", "1024");
	struct lws_protocol_vhost_options sdl = OPT(&max, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor = OPT(&sdl, "executor", "schema");
	char why[200], big[2048];

	memset(big, ' ', sizeof(big));
	big[0] = '1';
	ck_assert_int_eq(start_vhost(NULL, NULL, why, sizeof(why)), 0); /* the demo */
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", "1", 1), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	ck_assert_int_eq(lws_gqlws_publish(NULL, "t", "1", 1), GQLWS_ERR_INVALID);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, NULL, "1", 1), GQLWS_ERR_INVALID);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", NULL, 1), GQLWS_ERR_INVALID);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "a topic", "1", 1), GQLWS_ERR_INVALID);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "", "1", 1), GQLWS_ERR_INVALID);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", big, 1024), GQLWS_OK);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", big, 1025), GQLWS_ERR_INVALID);
}
END_TEST

START_TEST(publish_to_a_destroyed_vhost_is_closed)
{
	struct lws_protocol_vhost_options sdl = OPT(NULL, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor = OPT(&sdl, "executor", "schema");
	struct lws_vhost *vh;
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	vh = last_vhost;
	ck_assert_int_eq(lws_gqlws_publish(vh, "t", "1", 1), GQLWS_OK);
	/* The queued event goes with the vhost (valgrind: no leak). */
	lws_context_destroy(contexts[--context_count]);
	ck_assert_int_eq(lws_gqlws_publish(vh, "t", "1", 1), GQLWS_ERR_CLOSED);
}
END_TEST

/* An application's executor with a hub whose publish hook records what
 * reaches it: the order of lws_gqlws_publish() calls, seen from the hub. */
#define HOOK_THREADS 4
#define HOOK_EVENTS_PER_THREAD 500

static struct {
	size_t count;
	int last_of_thread[HOOK_THREADS]; /* the last sequence number seen, -1: none */
	bool out_of_order;
} hooked;

static int record_publish(void *arg, const char *topic, const char *json, size_t len,
			  const char **why)
{
	int thread, seq;

	(void)arg;
	(void)why;
	(void)len;
	/* topic "t<thread>", event [<seq>] */
	thread = atoi(topic + 1);
	seq = atoi(json + 1);
	if (thread < 0 || thread >= HOOK_THREADS || seq != hooked.last_of_thread[thread] + 1)
		hooked.out_of_order = true;
	else
		hooked.last_of_thread[thread] = seq;
	hooked.count++;
	return 0;
}

static void *hooked_vhost_create(struct lws_vhost *vh, const lws_gqlws_config *cfg, int *failed)
{
	static const char sdl[] = STOCK_SDL;
	gqlws_hub_options opts;
	cJSON *errors = NULL;
	gqlws_hub *hub;

	(void)vh;
	(void)cfg;
	gqlws_hub_options_init(&opts);
	opts.publish = record_publish;
	hub = gqlws_hub_new(sdl, sizeof(sdl) - 1, &opts, &errors);
	cJSON_Delete(errors);
	if (!hub)
		*failed = 1;
	return hub;
}

static void hooked_vhost_destroy(void *exec)
{
	gqlws_hub_free(exec);
}

static int hooked_op_start(void *exec, void *conn, gqlws_session *s, gqlws_op *op,
			   const gqlws_request *req)
{
	(void)conn;
	(void)s;
	return gqlws_hub_op_start(exec, op, req);
}

static gqlws_hub *hooked_hub(void *exec)
{
	return exec;
}

static const lws_gqlws_executor hooked_executor = {
	.name = "hooked",
	.vhost_create = hooked_vhost_create,
	.vhost_destroy = hooked_vhost_destroy,
	.op_start = hooked_op_start,
	.hub = hooked_hub,
};

typedef struct hook_thread {
	struct lws_vhost *vh;
	int index;
	int failures;
} hook_thread;

static void *hook_publisher(void *arg)
{
	hook_thread *t = arg;
	char topic[8], event[16];

	snprintf(topic, sizeof(topic), "t%d", t->index);
	for (int seq = 0; seq < HOOK_EVENTS_PER_THREAD; seq++) {
		int n = snprintf(event, sizeof(event), "[%d]", seq);

		if (lws_gqlws_publish(t->vh, topic, event, (size_t)n) != GQLWS_OK)
			t->failures++;
	}
	return NULL;
}

START_TEST(publishes_from_many_threads_reach_the_hub_each_in_call_order)
{
	struct lws_protocol_vhost_options table = TABLE(NULL, &hooked_executor);
	hook_thread threads[HOOK_THREADS];
	pthread_t ids[HOOK_THREADS];
	struct lws_context *context;
	char why[200];

	memset(&hooked, 0, sizeof(hooked));
	for (int i = 0; i < HOOK_THREADS; i++)
		hooked.last_of_thread[i] = -1;
	ck_assert_int_eq(start_vhost(&table, NULL, why, sizeof(why)), 0);
	context = contexts[context_count - 1];
	for (int i = 0; i < HOOK_THREADS; i++) {
		threads[i] = (hook_thread){ last_vhost, i, 0 };
		ck_assert_int_eq(pthread_create(&ids[i], NULL, hook_publisher, &threads[i]), 0);
	}
	/* Served while the threads publish. */
	while (hooked.count < HOOK_THREADS * HOOK_EVENTS_PER_THREAD)
		ck_assert_int_ge(lws_service(context, 0), 0);
	for (int i = 0; i < HOOK_THREADS; i++) {
		pthread_join(ids[i], NULL);
		ck_assert_int_eq(threads[i].failures, 0);
		ck_assert_int_eq(hooked.last_of_thread[i], HOOK_EVENTS_PER_THREAD - 1);
	}
	ck_assert(!hooked.out_of_order);
}
END_TEST

START_TEST(publish_queue_full_refuses_with_limit_until_the_loop_serves_it)
{
	struct lws_protocol_vhost_options sdl = OPT(NULL, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options executor = OPT(&sdl, "executor", "schema");
	struct lws_context *context;
	plugin_metrics m;
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	context = contexts[context_count - 1];
	/* The bound in events: 65536 wait, the next is refused. */
	for (unsigned i = 0; i < 65536; i++)
		ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", "1", 1), GQLWS_OK);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", "1", 1), GQLWS_ERR_LIMIT);
	do {
		ck_assert_int_ge(lws_service(context, 0), 0);
		ck_assert(plugin_vhost_metrics(last_vhost, &m));
	} while (m.hub.published < 65536);
	ck_assert_int_eq(lws_gqlws_publish(last_vhost, "t", "1", 1), GQLWS_OK);
}
END_TEST

/* ------------------------------------------------------------------ Redis */

#if defined(GQLWS_WITH_REDIS)

START_TEST(redis_needs_an_executor_with_topics)
{
	struct lws_protocol_vhost_options redis = OPT(NULL, "redis", "redis://127.0.0.1:1");
	char why[200];

	ck_assert_int_eq(start_vhost(&redis, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "option \"redis\" needs an executor with topics (\"schema\"); "
			      "executor \"demo\" has none");
}
END_TEST

START_TEST(redis_url_refusals_name_the_option_never_the_password)
{
	struct lws_protocol_vhost_options tls = OPT(NULL, "redis", "rediss://:hunter2@h:6379");
	struct lws_protocol_vhost_options port = OPT(NULL, "redis", "redis://:hunter2@h:99999");
	struct lws_protocol_vhost_options prefix = OPT(NULL, "redis-prefix", "two words");
	char why[200];

	ck_assert_int_eq(start_vhost(&tls, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"redis\": rediss:// (Redis over TLS) "
			      "is not supported; use redis:// to a Redis on a trusted network or a "
			      "local TLS tunnel");
	ck_assert_int_eq(start_vhost(NULL, &port, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-ws: option \"redis\": the port must be a number from 1 to "
			      "65535");
	ck_assert_int_eq(start_vhost(&prefix, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"redis-prefix\" = \"two words\": may "
			      "hold only visible ASCII characters, no blanks");
}
END_TEST

START_TEST(redis_prefix_and_password_file_need_redis)
{
	struct lws_protocol_vhost_options prefix = OPT(NULL, "redis-prefix", "app:");
	char why[200];

	ck_assert_int_eq(start_vhost(&prefix, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "redis-prefix needs the \"redis\" option");
}
END_TEST

START_TEST(redis_password_in_url_and_file_together_fail)
{
	char path[64], why[200];

	write_file(path, sizeof(path), "pw-from-file\n");
	{
		struct lws_protocol_vhost_options file = OPT(NULL, "redis-password-file", path);
		struct lws_protocol_vhost_options redis = OPT(&file, "redis", "redis://:pw@h");

		ck_assert_int_eq(start_vhost(&redis, NULL, why, sizeof(why)), -1);
		ck_assert_str_eq(why, "give the Redis password in \"redis\" or in "
				      "redis-password-file, not both");
	}
	unlink(path);
}
END_TEST

/* Nothing listens on port 1: the vhost serves anyway, and publishes are
 * refused at once with the reason (HTTP 503, mutation "Publish failed"). */
START_TEST(redis_unreachable_vhost_serves_and_refuses_publishes)
{
	struct lws_protocol_vhost_options sdl = OPT(NULL, "schema-sdl", STOCK_SDL);
	struct lws_protocol_vhost_options redis = OPT(&sdl, "redis", "redis://127.0.0.1:1/2");
	struct lws_protocol_vhost_options executor = OPT(&redis, "executor", "schema");
	plugin_http_view view;
	plugin_metrics m;
	const char *reason = NULL;
	char why[200];

	ck_assert_int_eq(start_vhost(&executor, NULL, why, sizeof(why)), 0);
	ck_assert(plugin_vhost_http_view(last_vhost, &view));
	ck_assert_ptr_nonnull(view.hub);
	ck_assert_int_eq(gqlws_hub_publish(view.hub, "stock.A", 7, "{}", 2, NULL, &reason),
			 GQLWS_ERR_CLOSED);
	ck_assert_str_eq(reason, "Redis is not connected");
	ck_assert(plugin_vhost_metrics(last_vhost, &m));
	ck_assert(m.has_redis);
	ck_assert_uint_ne(m.redis.publisher, PLUGIN_REDIS_UP);
	ck_assert_uint_eq(m.redis.messages_out, 0);
}
END_TEST

#else

START_TEST(redis_refused_by_a_build_without_hiredis)
{
	struct lws_protocol_vhost_options redis = OPT(NULL, "redis", "redis://127.0.0.1:6379");
	char why[200];

	ck_assert_int_eq(start_vhost(&redis, NULL, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "graphql-transport-ws: option \"redis\": this plugin was built "
			      "without Redis support (libhiredis-dev)");
}
END_TEST

#endif

static Suite *suite(void)
{
	Suite *s = suite_create("plugin_options");
	TCase *tc = tcase_create("executor options");

	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, NULL, contexts_destroy);
	tcase_add_test(tc, unknown_option_fails_the_vhost_naming_it);
	tcase_add_test(tc, send_queue_total_bytes_bad_values_fail_naming_the_range);
	tcase_add_test(tc, send_queue_total_bytes_takes_0_and_both_ends_of_its_range);
	tcase_add_test(tc, send_queue_total_bytes_defaults_to_a_sixteenth_of_memory_at_most_64_mib);
	tcase_add_test(tc, demo_tick_ms_bad_value_fails_naming_tick_ms);
	tcase_add_test(tc, demo_takes_tick_ms);
	tcase_add_test(tc, demo_introspection_takes_on_and_off_and_refuses_the_rest);
	tcase_add_test(tc, custom_executor_receives_its_own_option);
	tcase_add_test(tc, custom_executor_refuses_a_bad_value_with_its_reason);
	tcase_add_test(tc, custom_executor_refuses_another_executors_option);
	tcase_add_test(tc, executor_without_option_check_fails_on_any_leftover);
	tcase_add_test(tc, option_under_both_protocols_reaches_the_executor_once);
	tcase_add_test(tc, executor_option_differing_between_protocols_fails);
	tcase_add_test(tc, test_executor_is_not_built_into_the_shipped_plugin);
	tcase_add_test(tc, plugin_option_bad_value_still_fails_naming_it);
	tcase_add_test(tc, publish_path_defaults_to_publish_with_no_token_and_no_metrics);
	tcase_add_test(tc, publish_and_metrics_options_reach_the_config);
	tcase_add_test(tc, paths_must_start_with_a_slash);
	tcase_add_test(tc, bad_publish_token_fails_without_showing_it);
	tcase_add_test(tc, publish_token_file_gives_its_first_line);
	tcase_add_test(tc, publish_token_file_unreadable_or_empty_fails_the_vhost);
	tcase_add_test(tc, publish_token_and_token_file_together_fail);
	tcase_add_test(tc, metrics_path_under_the_publish_path_fails);
	tcase_add_test(tc, schema_executor_serves_sdl_text);
	tcase_add_test(tc, schema_executor_needs_one_schema);
	tcase_add_test(tc, schema_file_unreadable_fails_naming_it);
	tcase_add_test(tc, schema_file_errors_name_file_line_and_column);
	tcase_add_test(tc, schema_executor_refuses_bad_retain_options);
	tcase_add_test(tc, publish_from_another_thread_reaches_the_hub_on_the_service_thread);
	tcase_add_test(tc, publish_refuses_bad_arguments_and_vhosts_without_hub);
	tcase_add_test(tc, publish_to_a_destroyed_vhost_is_closed);
	tcase_add_test(tc, publishes_from_many_threads_reach_the_hub_each_in_call_order);
	tcase_add_test(tc, publish_queue_full_refuses_with_limit_until_the_loop_serves_it);
#if defined(GQLWS_WITH_REDIS)
	tcase_add_test(tc, redis_needs_an_executor_with_topics);
	tcase_add_test(tc, redis_url_refusals_name_the_option_never_the_password);
	tcase_add_test(tc, redis_prefix_and_password_file_need_redis);
	tcase_add_test(tc, redis_password_in_url_and_file_together_fail);
	tcase_add_test(tc, redis_unreachable_vhost_serves_and_refuses_publishes);
#else
	tcase_add_test(tc, redis_refused_by_a_build_without_hiredis);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	lws_set_log_level(0, NULL);
	SRunner *runner = srunner_create(suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
