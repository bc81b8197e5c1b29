/*
 * plugin_redis_proto.c - the Redis transport's lws-free parts: the "redis"
 * URL (and what it refuses), the reconnect schedule, channel names, the
 * commands hiredis formats, and the replies a server (honest or hostile)
 * sends, read through hiredis's reader with our bounds.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/redis_proto.h"

/* ------------------------------------------------------------------- URL */

START_TEST(url_with_host_port_and_db)
{
	plugin_redis_url u;
	char why[160] = "";

	ck_assert_int_eq(plugin_redis_url_parse("redis://10.0.0.7:6380/3", &u, why, sizeof(why)), 0);
	ck_assert_str_eq(u.host, "10.0.0.7");
	ck_assert_uint_eq(u.port, 6380);
	ck_assert_uint_eq(u.db, 3);
	ck_assert_ptr_null(u.password);
	ck_assert_ptr_null(u.user);
	plugin_redis_url_free(&u);
}
END_TEST

START_TEST(url_defaults_port_6379_and_db_0)
{
	plugin_redis_url u;
	char why[160];

	ck_assert_int_eq(plugin_redis_url_parse("redis://cache.internal", &u, why, sizeof(why)), 0);
	ck_assert_str_eq(u.host, "cache.internal");
	ck_assert_uint_eq(u.port, 6379);
	ck_assert_uint_eq(u.db, 0);
	plugin_redis_url_free(&u);
	ck_assert_int_eq(plugin_redis_url_parse("redis://h:7000/", &u, why, sizeof(why)), 0);
	ck_assert_uint_eq(u.port, 7000);
	ck_assert_uint_eq(u.db, 0);
	plugin_redis_url_free(&u);
}
END_TEST

START_TEST(url_password_is_percent_decoded_and_user_optional)
{
	plugin_redis_url u;
	char why[160];

	ck_assert_int_eq(plugin_redis_url_parse("redis://:s%40cret%2F1@127.0.0.1:6379", &u, why,
						sizeof(why)), 0);
	ck_assert_ptr_null(u.user);
	ck_assert_str_eq(u.password, "s@cret/1");
	ck_assert_str_eq(u.host, "127.0.0.1");
	plugin_redis_url_free(&u);
	ck_assert_int_eq(plugin_redis_url_parse("redis://app:pw@[::1]:6390/2", &u, why,
						sizeof(why)), 0);
	ck_assert_str_eq(u.user, "app");
	ck_assert_str_eq(u.password, "pw");
	ck_assert_str_eq(u.host, "::1");
	ck_assert_uint_eq(u.port, 6390);
	ck_assert_uint_eq(u.db, 2);
	plugin_redis_url_free(&u);
}
END_TEST

static void assert_refused(const char *text, const char *reason_part)
{
	plugin_redis_url u;
	char why[160] = "";

	ck_assert_msg(plugin_redis_url_parse(text, &u, why, sizeof(why)) == -1, "accepted %s", text);
	ck_assert_msg(strstr(why, reason_part), "%s: reason \"%s\" lacks \"%s\"", text, why,
		      reason_part);
	/* A reason never repeats the password. */
	ck_assert_ptr_null(strstr(why, "hunter2"));
	plugin_redis_url_free(&u);
}

START_TEST(url_refusals_say_why)
{
	assert_refused("rediss://h:6379", "TLS");
	assert_refused("http://h:6379", "must start with redis://");
	assert_refused("redis://", "has no host");
	assert_refused("redis://:6379", "has no host");
	assert_refused("redis://h:0", "port");
	assert_refused("redis://h:65536", "port");
	assert_refused("redis://h:63x9", "port");
	assert_refused("redis://h/abc", "database");
	assert_refused("redis://h/-1", "database");
	assert_refused("redis://h/99999999999", "database");
	assert_refused("redis://h?db=1", "query");
	assert_refused("redis://hunter2@h", "user information");
	assert_refused("redis://:@h", "password is empty");
	assert_refused("redis://:hun%zzter2@h", "%-escape");
	assert_refused("redis://:a%00b@h", "%-escape");
	assert_refused("redis://h st", "visible ASCII");
	assert_refused("redis://[::1", "closing ]");
	assert_refused("redis://h_$", "character");
}
END_TEST

START_TEST(url_refuses_an_overlong_host_and_password)
{
	char text[2200];
	char why[160];
	plugin_redis_url u;

	strcpy(text, "redis://");
	memset(text + 8, 'a', 254);
	text[8 + 254] = '\0';
	ck_assert_int_eq(plugin_redis_url_parse(text, &u, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "253"));
	plugin_redis_url_free(&u);
	strcpy(text, "redis://:");
	memset(text + 9, 'p', 1025);
	strcpy(text + 9 + 1025, "@h");
	ck_assert_int_eq(plugin_redis_url_parse(text, &u, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "1024"));
	plugin_redis_url_free(&u);
}
END_TEST

START_TEST(prefix_rules)
{
	char long_prefix[70];

	ck_assert_ptr_null(plugin_redis_prefix_invalid("gqlws:"));
	ck_assert_ptr_null(plugin_redis_prefix_invalid(""));
	ck_assert_ptr_nonnull(plugin_redis_prefix_invalid("a b"));
	memset(long_prefix, 'x', 65);
	long_prefix[65] = '\0';
	ck_assert_ptr_nonnull(plugin_redis_prefix_invalid(long_prefix));
}
END_TEST

/* ------------------------------------------------------------- reconnect */

START_TEST(backoff_doubles_from_100_ms_to_5_s)
{
	static const uint32_t base[] = { 100, 200, 400, 800, 1600, 3200, 5000, 5000 };

	for (unsigned a = 0; a < sizeof(base) / sizeof(base[0]); a++) {
		/* The random part picks within the upper half. */
		ck_assert_uint_eq(plugin_redis_backoff_ms(a, 0), base[a] / 2);
		ck_assert_uint_eq(plugin_redis_backoff_ms(a, base[a] / 2), base[a]);
	}
	ck_assert_uint_eq(plugin_redis_backoff_ms(1000, 0xffffffffu) <= 5000, 1);
}
END_TEST

START_TEST(backoff_is_jittered_within_bounds)
{
	uint32_t seen_low = 5000, seen_high = 0;

	for (uint32_t r = 0; r < 100000; r += 7) {
		uint32_t ms = plugin_redis_backoff_ms(10, r * 2654435761u);

		ck_assert_uint_ge(ms, 2500);
		ck_assert_uint_le(ms, 5000);
		seen_low = ms < seen_low ? ms : seen_low;
		seen_high = ms > seen_high ? ms : seen_high;
	}
	/* Not one fixed wait: nodes that lost Redis together spread out. */
	ck_assert_uint_lt(seen_low, 2700);
	ck_assert_uint_gt(seen_high, 4800);
}
END_TEST

/* -------------------------------------------------------------- channels */

START_TEST(channel_is_prefix_and_topic_and_back)
{
	char out[64];
	size_t topic_len = 0;
	const char *topic;

	ck_assert_uint_eq(plugin_redis_channel("gqlws:", "stock.AAPL", 10, out, sizeof(out)), 16);
	ck_assert_str_eq(out, "gqlws:stock.AAPL");
	ck_assert_uint_eq(plugin_redis_channel("gqlws:", "stock.AAPL", 10, out, 16), 0);
	topic = plugin_redis_topic_of("gqlws:", "gqlws:stock.AAPL", 16, &topic_len);
	ck_assert_ptr_nonnull(topic);
	ck_assert_uint_eq(topic_len, 10);
	ck_assert_int_eq(memcmp(topic, "stock.AAPL", 10), 0);
	/* Another prefix's channel, and the bare prefix, are not ours. */
	ck_assert_ptr_null(plugin_redis_topic_of("gqlws:", "other:stock", 11, &topic_len));
	ck_assert_ptr_null(plugin_redis_topic_of("gqlws:", "gqlws:", 6, &topic_len));
	ck_assert_ptr_null(plugin_redis_topic_of("gqlws:", "gql", 3, &topic_len));
}
END_TEST

/* -------------------------------------------------------------- commands */

START_TEST(publish_command_is_resp_with_binary_safe_payload)
{
	const char *argv[3] = { "PUBLISH", "gqlws:t", "{\"a\":\"x\\r\\n\"}" };
	size_t lens[3] = { 7, 7, strlen(argv[2]) };
	size_t n = 0;
	char *cmd = plugin_redis_command(3, argv, lens, &n);
	const char expected[] = "*3\r\n$7\r\nPUBLISH\r\n$7\r\ngqlws:t\r\n$13\r\n{\"a\":\"x\\r\\n\"}\r\n";

	ck_assert_ptr_nonnull(cmd);
	ck_assert_uint_eq(n, sizeof(expected) - 1);
	ck_assert_int_eq(memcmp(cmd, expected, n), 0);
	plugin_redis_command_free(cmd);
}
END_TEST

/* --------------------------------------------------------------- replies */

#define MAX_BULK 1000

static plugin_redis_reader *reader_with(const char *bytes)
{
	plugin_redis_reader *r = plugin_redis_reader_new(MAX_BULK);
	const char *why = NULL;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(plugin_redis_reader_feed(r, bytes, strlen(bytes), &why), 0);
	return r;
}

START_TEST(message_push_gives_channel_and_payload)
{
	plugin_redis_reader *r =
		reader_with("*3\r\n$7\r\nmessage\r\n$7\r\ngqlws:t\r\n$9\r\n{\"a\":1}\r\n\r\n");
	plugin_redis_event ev;
	const char *why = NULL;

	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 1);
	ck_assert_int_eq(ev.kind, PLUGIN_REDIS_MESSAGE);
	ck_assert_uint_eq(ev.channel_len, 7);
	ck_assert_int_eq(memcmp(ev.channel, "gqlws:t", 7), 0);
	ck_assert_uint_eq(ev.payload_len, 9);
	ck_assert_int_eq(memcmp(ev.payload, "{\"a\":1}\r\n", 9), 0);
	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 0);
	plugin_redis_reader_free(r);
}
END_TEST

START_TEST(reply_split_anywhere_is_read_once_whole)
{
	static const char bytes[] = "*3\r\n$9\r\nsubscribe\r\n$7\r\ngqlws:t\r\n:1\r\n"
				    "*3\r\n$7\r\nmessage\r\n$7\r\ngqlws:t\r\n$2\r\n42\r\n";
	const char *why = NULL;

	for (size_t cut = 1; cut < sizeof(bytes) - 1; cut++) {
		plugin_redis_reader *r = plugin_redis_reader_new(MAX_BULK);
		plugin_redis_event ev;
		int kinds = 0;

		ck_assert_int_eq(plugin_redis_reader_feed(r, bytes, cut, &why), 0);
		while (plugin_redis_reader_next(r, &ev, &why) == 1)
			kinds = kinds * 10 + (int)ev.kind;
		ck_assert_int_eq(plugin_redis_reader_feed(r, bytes + cut, sizeof(bytes) - 1 - cut,
							  &why), 0);
		while (plugin_redis_reader_next(r, &ev, &why) == 1) {
			kinds = kinds * 10 + (int)ev.kind;
			if (ev.kind == PLUGIN_REDIS_SUBSCRIBED)
				ck_assert_int_eq(ev.integer, 1);
			else
				ck_assert_int_eq(memcmp(ev.payload, "42", 2), 0);
		}
		ck_assert_int_eq(kinds, PLUGIN_REDIS_SUBSCRIBED * 10 + PLUGIN_REDIS_MESSAGE);
		plugin_redis_reader_free(r);
	}
}
END_TEST

START_TEST(confirmations_status_error_and_integer_replies)
{
	plugin_redis_reader *r = reader_with("+OK\r\n-NOAUTH Authentication required.\r\n:2\r\n"
					     "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
	plugin_redis_event ev;
	const char *why = NULL;

	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 1);
	ck_assert_int_eq(ev.kind, PLUGIN_REDIS_STATUS);
	ck_assert_int_eq(memcmp(ev.text, "OK", 2), 0);
	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 1);
	ck_assert_int_eq(ev.kind, PLUGIN_REDIS_ERROR);
	ck_assert_int_eq(memcmp(ev.text, "NOAUTH", 6), 0);
	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 1);
	ck_assert_int_eq(ev.kind, PLUGIN_REDIS_INTEGER);
	ck_assert_int_eq(ev.integer, 2);
	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 1);
	ck_assert_int_eq(ev.kind, PLUGIN_REDIS_UNSUBSCRIBED);
	ck_assert_ptr_null(ev.channel);
	ck_assert_int_eq(ev.integer, 0);
	plugin_redis_reader_free(r);
}
END_TEST

START_TEST(unexpected_shapes_are_named_unexpected)
{
	static const char *const shapes[] = {
		"$3\r\nabc\r\n",                                     /* a bulk string */
		"$-1\r\n",                                           /* nil */
		"*2\r\n$7\r\nmessage\r\n$1\r\nc\r\n",                /* a short message */
		"*3\r\n$7\r\nmessage\r\n:1\r\n$1\r\nx\r\n",          /* channel not a string */
		"*4\r\n$8\r\npmessage\r\n$1\r\np\r\n$1\r\nc\r\n$1\r\nx\r\n",
		"*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n$1\r\nx\r\n",   /* count not an integer */
		"*1\r\n*1\r\n:1\r\n",                                /* nested */
		"*0\r\n",
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		plugin_redis_reader *r = reader_with(shapes[i]);
		plugin_redis_event ev;
		const char *why = NULL;

		ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 1);
		ck_assert_msg(ev.kind == PLUGIN_REDIS_UNEXPECTED, "shape %zu read as %d", i,
			      (int)ev.kind);
		ck_assert_ptr_nonnull(ev.text);
		plugin_redis_reader_free(r);
	}
}
END_TEST

static void assert_broken(const char *bytes, size_t len, const char *reason_part)
{
	plugin_redis_reader *r = plugin_redis_reader_new(MAX_BULK);
	plugin_redis_event ev;
	const char *why = NULL;
	int rc = plugin_redis_reader_feed(r, bytes, len, &why);

	while (!rc && (rc = plugin_redis_reader_next(r, &ev, &why)) == 1)
		;
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, reason_part), "reason \"%s\" lacks \"%s\"", why, reason_part);
	/* The reader stays broken: the connection must go. */
	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), -1);
	ck_assert_int_eq(plugin_redis_reader_feed(r, "+OK\r\n", 5, &why), -1);
	plugin_redis_reader_free(r);
}

START_TEST(malformed_resp_breaks_the_reader)
{
	assert_broken("!nonsense\r\n", 11, "Protocol error");
	assert_broken(">3\r\n$7\r\nmessage\r\n", 17, "Protocol error");
	assert_broken("$abc\r\n", 6, "");
	assert_broken("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", 40, "");
}
END_TEST

/* A reply that cannot be whole yet: nothing read, and the bytes that follow
 * are held only up to the bound. */
static void assert_waits_then_bounded(const char *head)
{
	static char filler[MAX_BULK + 70000];
	plugin_redis_reader *r = reader_with(head);
	plugin_redis_event ev;
	const char *why = NULL;

	ck_assert_int_eq(plugin_redis_reader_next(r, &ev, &why), 0);
	memset(filler, 'z', sizeof(filler));
	ck_assert_int_eq(plugin_redis_reader_feed(r, filler, sizeof(filler), &why), -1);
	ck_assert_ptr_nonnull(strstr(why, "unfinished reply"));
	plugin_redis_reader_free(r);
}

START_TEST(hostile_sizes_are_refused_before_allocation)
{
	char big[MAX_BULK + 70000];

	/* An array announced with two billion elements. */
	assert_broken("*2000000000\r\n", 13, "array of 2000000000 elements");
	assert_broken("*17\r\n", 5, "array of 17 elements");
	/* A bulk string over the bound, whole. */
	snprintf(big, sizeof(big), "$%d\r\n", MAX_BULK + 1);
	memset(big + strlen(big), 'x', MAX_BULK + 1);
	memcpy(big + strlen("$1001\r\n") + MAX_BULK + 1, "\r\n", 2);
	assert_broken(big, strlen("$1001\r\n") + MAX_BULK + 3, "string of 1001 bytes");
	/* A bulk string announced as huge, never finished: refused once the
	 * bytes held pass the bound, not when it would be whole. */
	snprintf(big, sizeof(big), "$9223372036854775000\r\n");
	memset(big + strlen(big), 'y', sizeof(big) - strlen(big));
	assert_broken(big, sizeof(big), "unfinished reply");
	/* Lengths that overflow hiredis 0.14's arithmetic: refused, never
	 * read past the bytes held. */
	assert_waits_then_bounded("$9223372036854775807\r\nabc\r\n");
	assert_waits_then_bounded("$9223372036854775806\r\nabc\r\n");
	assert_broken("$18446744073709551615\r\nabc\r\n", 29, "");
	/* Many values in one reply. */
	{
		char many[2048] = "*16\r\n";

		for (int i = 0; i < 4; i++) {
			strcat(many, "*16\r\n");
			for (int j = 0; j < 16; j++)
				strcat(many, ":1\r\n");
		}
		assert_broken(many, strlen(many), "more than 64 values");
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin_redis_proto");
	TCase *url = tcase_create("url");
	TCase *schedule = tcase_create("schedule");
	TCase *names = tcase_create("names");
	TCase *replies = tcase_create("replies");

	tcase_add_test(url, url_with_host_port_and_db);
	tcase_add_test(url, url_defaults_port_6379_and_db_0);
	tcase_add_test(url, url_password_is_percent_decoded_and_user_optional);
	tcase_add_test(url, url_refusals_say_why);
	tcase_add_test(url, url_refuses_an_overlong_host_and_password);
	tcase_add_test(url, prefix_rules);
	tcase_add_test(schedule, backoff_doubles_from_100_ms_to_5_s);
	tcase_add_test(schedule, backoff_is_jittered_within_bounds);
	tcase_add_test(names, channel_is_prefix_and_topic_and_back);
	tcase_add_test(names, publish_command_is_resp_with_binary_safe_payload);
	tcase_add_test(replies, message_push_gives_channel_and_payload);
	tcase_add_test(replies, reply_split_anywhere_is_read_once_whole);
	tcase_add_test(replies, confirmations_status_error_and_integer_replies);
	tcase_add_test(replies, unexpected_shapes_are_named_unexpected);
	tcase_add_test(replies, malformed_resp_breaks_the_reader);
	tcase_add_test(replies, hostile_sizes_are_refused_before_allocation);
	suite_add_tcase(s, url);
	suite_add_tcase(s, schedule);
	suite_add_tcase(s, names);
	suite_add_tcase(s, replies);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
