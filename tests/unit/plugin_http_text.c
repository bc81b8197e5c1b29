/*
 * plugin_http_text.c - the lws-free parts of the publish and metrics
 * endpoints: which endpoint a path names (the topic is what follows the
 * publish path and one "/"), the bearer token check (401 for no bearer
 * token, 403 for a wrong one, compared whole whatever the lengths), the
 * JSON of an error answer with its reason escaped, and the Prometheus text
 * (HELP and TYPE before each family; the hub's families only with a hub).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_http_text.h"

#define ROUTE(path, pub, met, topic, topic_len)                                          \
	plugin_http_route(path, strlen(path), pub, met, topic, topic_len)

START_TEST(topic_is_what_follows_the_publish_path_and_a_slash)
{
	const char *topic = NULL;
	size_t len = 0;

	ck_assert_int_eq(ROUTE("/publish/stock.AAPL", "/publish", NULL, &topic, &len),
			 PLUGIN_HTTP_PUBLISH);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(memcmp(topic, "stock.AAPL", len), 0);
	/* The path itself: an empty topic, for the hub to refuse. */
	ck_assert_int_eq(ROUTE("/publish", "/publish", NULL, &topic, &len), PLUGIN_HTTP_PUBLISH);
	ck_assert_uint_eq(len, 0);
	/* Anything after the slash is the topic, slashes included (refused later). */
	ck_assert_int_eq(ROUTE("/publish/a/b", "/publish", NULL, &topic, &len), PLUGIN_HTTP_PUBLISH);
	ck_assert_uint_eq(len, 3);
}
END_TEST

START_TEST(a_path_that_only_starts_like_the_publish_path_is_not_it)
{
	const char *topic = NULL;
	size_t len = 0;

	ck_assert_int_eq(ROUTE("/publisher/x", "/publish", NULL, &topic, &len), PLUGIN_HTTP_OTHER);
	ck_assert_int_eq(ROUTE("/pub", "/publish", NULL, &topic, &len), PLUGIN_HTTP_OTHER);
	ck_assert_int_eq(ROUTE("/", "/publish", NULL, &topic, &len), PLUGIN_HTTP_OTHER);
	ck_assert_int_eq(ROUTE("/other/publish/x", "/publish", NULL, &topic, &len),
			 PLUGIN_HTTP_OTHER);
}
END_TEST

START_TEST(trailing_slash_of_the_publish_path_is_ignored)
{
	const char *topic = NULL;
	size_t len = 0;

	ck_assert_int_eq(ROUTE("/events/t1", "/events/", NULL, &topic, &len), PLUGIN_HTTP_PUBLISH);
	ck_assert_uint_eq(len, 2);
	ck_assert_int_eq(memcmp(topic, "t1", 2), 0);
	/* "/" publishes at the root. */
	ck_assert_int_eq(ROUTE("/t1", "/", NULL, &topic, &len), PLUGIN_HTTP_PUBLISH);
	ck_assert_uint_eq(len, 2);
}
END_TEST

START_TEST(metrics_path_matches_exactly_and_only_when_set)
{
	const char *topic = NULL;
	size_t len = 0;

	ck_assert_int_eq(ROUTE("/metrics", "/publish", "/metrics", &topic, &len),
			 PLUGIN_HTTP_METRICS);
	ck_assert_int_eq(ROUTE("/metrics/", "/publish", "/metrics", &topic, &len),
			 PLUGIN_HTTP_OTHER);
	ck_assert_int_eq(ROUTE("/metricsx", "/publish", "/metrics", &topic, &len),
			 PLUGIN_HTTP_OTHER);
	ck_assert_int_eq(ROUTE("/metrics", "/publish", NULL, &topic, &len), PLUGIN_HTTP_OTHER);
}
END_TEST

static plugin_http_auth BEARER(const char *header, const char *token)
{
	return plugin_http_bearer_check(header, header ? strlen(header) : 0, token);
}

START_TEST(right_bearer_token_passes_in_any_case_of_the_scheme)
{
	ck_assert_int_eq(BEARER("Bearer s3cret", "s3cret"), PLUGIN_HTTP_AUTH_OK);
	ck_assert_int_eq(BEARER("bearer s3cret", "s3cret"), PLUGIN_HTTP_AUTH_OK);
	ck_assert_int_eq(BEARER("BEARER   s3cret  ", "s3cret"), PLUGIN_HTTP_AUTH_OK);
}
END_TEST

START_TEST(no_bearer_token_is_missing_401)
{
	ck_assert_int_eq(BEARER(NULL, "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
	ck_assert_int_eq(BEARER("", "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
	ck_assert_int_eq(BEARER("Basic czNjcmV0", "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
	ck_assert_int_eq(BEARER("Bearer", "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
	ck_assert_int_eq(BEARER("Bearer   ", "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
	ck_assert_int_eq(BEARER("Bearers3cret", "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
	ck_assert_int_eq(BEARER("s3cret", "s3cret"), PLUGIN_HTTP_AUTH_MISSING);
}
END_TEST

START_TEST(wrong_bearer_token_is_forbidden_403)
{
	ck_assert_int_eq(BEARER("Bearer s3creT", "s3cret"), PLUGIN_HTTP_AUTH_WRONG);
	/* A prefix, or the token with more after it, is not the token. */
	ck_assert_int_eq(BEARER("Bearer s3cre", "s3cret"), PLUGIN_HTTP_AUTH_WRONG);
	ck_assert_int_eq(BEARER("Bearer s3cretx", "s3cret"), PLUGIN_HTTP_AUTH_WRONG);
	ck_assert_int_eq(BEARER("Bearer s3cret s3cret", "s3cret"), PLUGIN_HTTP_AUTH_WRONG);
}
END_TEST

START_TEST(constant_time_compare_is_equality_of_bytes_and_lengths)
{
	ck_assert(plugin_http_equal_ct("abc", 3, "abc", 3));
	ck_assert(plugin_http_equal_ct("", 0, "", 0));
	ck_assert(!plugin_http_equal_ct("abc", 3, "abd", 3));
	ck_assert(!plugin_http_equal_ct("abc", 3, "ab", 2));
	ck_assert(!plugin_http_equal_ct("ab", 2, "abc", 3));
	/* A NUL inside counts like any byte; so does the length after it. */
	ck_assert(!plugin_http_equal_ct("ab\0", 3, "ab", 2));
	ck_assert(!plugin_http_equal_ct("a\0c", 3, "a\0d", 3));
}
END_TEST

START_TEST(error_json_escapes_the_reason)
{
	char out[128];
	size_t n = plugin_http_error_json(out, sizeof(out),
					  "Topic name has a character that is not allowed: \"\\\".");

	ck_assert_str_eq(out, "{\"error\":\"Topic name has a character that is not allowed: "
			      "\\\"\\\\\\\".\"}");
	ck_assert_uint_eq(n, strlen(out));
	n = plugin_http_error_json(out, sizeof(out), "tab\there\x01");
	ck_assert_str_eq(out, "{\"error\":\"tab\\u0009here\\u0001\"}");
}
END_TEST

START_TEST(error_json_truncated_stays_json)
{
	char out[16];
	size_t n = plugin_http_error_json(out, sizeof(out), "\"\"\"\"\"\"\"\"");

	/* Whole escapes only, closed: {"error":"\"\""} is 16 with its NUL. */
	ck_assert_str_eq(out, "{\"error\":\"\\\"\"}");
	ck_assert_uint_eq(n, strlen(out));
}
END_TEST

START_TEST(status_index_covers_the_publish_answers_only)
{
	ck_assert_uint_eq(plugin_http_status_index(202), 0);
	ck_assert_uint_eq(plugin_http_status_index(413), 6);
	ck_assert_uint_eq(plugin_http_status_index(200), PLUGIN_HTTP_STATUS_COUNT);
}
END_TEST

static char *format(const plugin_metrics *m)
{
	size_t need = plugin_metrics_format(m, NULL, 0);
	char *text = malloc(need + 1);

	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(plugin_metrics_format(m, text, need + 1), need);
	ck_assert_uint_eq(strlen(text), need);
	return text;
}

START_TEST(metrics_text_has_help_and_type_and_every_value)
{
	plugin_metrics m;
	char *text;

	memset(&m, 0, sizeof(m));
	m.connections_modern = 3;
	m.connections_legacy = 2;
	m.operations = 7;
	m.closed_1008 = 4;
	m.closed_1009 = 5;
	m.publish_answers[plugin_http_status_index(202)] = 11;
	m.publish_answers[plugin_http_status_index(413)] = 1;
	m.has_hub = true;
	m.hub.topics = 2;
	m.hub.published = 100;
	m.hub.serialisations = 400;
	m.hub.frames = 10000;
	text = format(&m);
	ck_assert_ptr_nonnull(strstr(text, "# HELP gqlws_connections "));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_connections gauge\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_connections{subprotocol=\"graphql-transport-ws\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_connections{subprotocol=\"graphql-ws\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_operations 7\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_connections_closed_by_limit_total counter\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_connections_closed_by_limit_total{code=\"1008\"} 4\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_connections_closed_by_limit_total{code=\"1009\"} 5\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_http_publish_answers_total{status=\"202\"} 11\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_http_publish_answers_total{status=\"413\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_http_publish_answers_total{status=\"401\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_topics gauge\ngqlws_topics 2\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_events_published_total counter\n"
					   "gqlws_events_published_total 100\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_serialisations_total 400\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_frames_delivered_total 10000\n"));
	ck_assert(text[strlen(text) - 1] == '\n');
	free(text);
}
END_TEST

START_TEST(metrics_text_without_hub_has_no_topic_families)
{
	plugin_metrics m;
	char *text;

	memset(&m, 0, sizeof(m));
	text = format(&m);
	ck_assert_ptr_nonnull(strstr(text, "gqlws_connections{"));
	ck_assert_ptr_null(strstr(text, "gqlws_topics"));
	ck_assert_ptr_null(strstr(text, "gqlws_events_published_total"));
	ck_assert_ptr_null(strstr(text, "gqlws_serialisations_total"));
	free(text);
}
END_TEST

START_TEST(metrics_text_has_redis_families_only_with_redis)
{
	plugin_metrics m;
	char *text;

	memset(&m, 0, sizeof(m));
	m.has_hub = true;
	text = format(&m);
	ck_assert_ptr_null(strstr(text, "gqlws_redis"));
	free(text);
	m.has_redis = true;
	m.redis.subscriber = PLUGIN_REDIS_UP;
	m.redis.publisher = PLUGIN_REDIS_CONNECTING;
	m.redis.reconnects_subscriber = 3;
	m.redis.reconnects_publisher = 4;
	m.redis.channels = 5;
	m.redis.messages_in = 6;
	m.redis.messages_out = 7;
	m.redis.dropped = 8;
	m.redis.publish_errors = 9;
	m.redis.write_queue_bytes = 10;
	text = format(&m);
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_redis_state gauge\n"
					   "gqlws_redis_state{connection=\"subscriber\"} 2\n"
					   "gqlws_redis_state{connection=\"publisher\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_redis_reconnects_total counter\n"
					   "gqlws_redis_reconnects_total{connection=\"subscriber\"} 3\n"
					   "gqlws_redis_reconnects_total{connection=\"publisher\"} 4\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_redis_channels gauge\ngqlws_redis_channels 5\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_redis_messages_in_total 6\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_redis_messages_out_total 7\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_redis_messages_dropped_total 8\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ngqlws_redis_publish_errors_total 9\n"));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE gqlws_redis_write_queue_bytes gauge\n"
					   "gqlws_redis_write_queue_bytes 10\n"));
	free(text);
}
END_TEST

START_TEST(metrics_text_cut_short_reports_its_whole_length)
{
	plugin_metrics m;
	char small[64];
	size_t need;

	memset(&m, 0, sizeof(m));
	need = plugin_metrics_format(&m, small, sizeof(small));
	ck_assert_uint_gt(need, sizeof(small));
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin_http_text");
	TCase *tc = tcase_create("endpoints");

	tcase_add_test(tc, topic_is_what_follows_the_publish_path_and_a_slash);
	tcase_add_test(tc, a_path_that_only_starts_like_the_publish_path_is_not_it);
	tcase_add_test(tc, trailing_slash_of_the_publish_path_is_ignored);
	tcase_add_test(tc, metrics_path_matches_exactly_and_only_when_set);
	tcase_add_test(tc, right_bearer_token_passes_in_any_case_of_the_scheme);
	tcase_add_test(tc, no_bearer_token_is_missing_401);
	tcase_add_test(tc, wrong_bearer_token_is_forbidden_403);
	tcase_add_test(tc, constant_time_compare_is_equality_of_bytes_and_lengths);
	tcase_add_test(tc, error_json_escapes_the_reason);
	tcase_add_test(tc, error_json_truncated_stays_json);
	tcase_add_test(tc, status_index_covers_the_publish_answers_only);
	tcase_add_test(tc, metrics_text_has_help_and_type_and_every_value);
	tcase_add_test(tc, metrics_text_without_hub_has_no_topic_families);
	tcase_add_test(tc, metrics_text_cut_short_reports_its_whole_length);
	tcase_add_test(tc, metrics_text_has_redis_families_only_with_redis);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
