/*
 * hub_topics_publish.c - what the hub accepts and keeps: topic names,
 * events (strict JSON, size first), options, retained events (LRU by last
 * publish, bounded by count and by bytes, none when retain is off),
 * gqlws_hub_publish with and without a transport's hook, active topics
 * and counters.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_topics_private.h"
#include "test_harness.h"

static const char sdl[] =
	"type Query { a: Int }\n"
	"type Subscription { stock(symbol: String!): Stock! }\n"
	"type Stock { symbol: String! price: Float! }\n";

static gqlws_hub hub;

static void make_hub(const gqlws_hub_options *opts)
{
	cJSON *errors = NULL;
	memset(&hub, 0, sizeof hub);
	hub.schema = gqlws_schema_parse(sdl, sizeof sdl - 1, &errors);
	ck_assert_ptr_nonnull(hub.schema);
	if (opts)
		hub.opts = *opts;
	else
		gqlws_hub_options_init(&hub.opts);
	hub.topics = hub_topics_new(&hub.opts);
	ck_assert_ptr_nonnull(hub.topics);
}

static void setup(void)
{
	make_hub(NULL);
}

static void teardown(void)
{
	hub_topics_free(hub.topics);
	gqlws_schema_free(hub.schema);
	memset(&hub, 0, sizeof hub);
}

static void remake(const gqlws_hub_options *opts)
{
	teardown();
	make_hub(opts);
}

static int publish(const char *topic, const char *json, size_t *subscribers, const char **why)
{
	return gqlws_hub_publish(&hub, topic, strlen(topic), json, strlen(json), subscribers, why);
}

static void publish_ok(const char *topic, const char *json)
{
	const char *why = NULL;
	ck_assert_int_eq(publish(topic, json, NULL, &why), GQLWS_OK);
	ck_assert_ptr_null(why);
}

/* The retained event of topic as compact text ("" for none), static. */
static const char *retained(const char *topic)
{
	static char text[256];
	const cJSON *v = hub_topics_retained(hub.topics, topic, strlen(topic));
	char *printed = v ? cJSON_PrintUnformatted(v) : NULL;
	snprintf(text, sizeof text, "%s", printed ? printed : "");
	free(printed);
	return text;
}

static gqlws_hub_stats stats(void)
{
	gqlws_hub_stats s;
	gqlws_hub_get_stats(&hub, &s);
	return s;
}

/* ----------------------------------------------------------- topic names */

START_TEST(topic_names_are_letters_digits_and_a_few_marks)
{
	ck_assert_ptr_null(gqlws_hub_topic_invalid("stock.AAPL", 10));
	ck_assert_ptr_null(gqlws_hub_topic_invalid("a-b_c:d~e@f+g=h.0", 17));
	ck_assert_str_eq(gqlws_hub_topic_invalid("", 0), "Topic name is empty.");
	ck_assert_str_eq(gqlws_hub_topic_invalid(NULL, 0), "Topic name is empty.");
	ck_assert_str_eq(gqlws_hub_topic_invalid("a b", 3),
			 "Topic name has a character that is not allowed: \" \".");
	ck_assert_str_eq(gqlws_hub_topic_invalid("a/b", 3),
			 "Topic name has a character that is not allowed: \"/\".");
	ck_assert_str_eq(gqlws_hub_topic_invalid("a\"b", 3),
			 "Topic name has a character that is not allowed: \"\\\"\".");
	ck_assert_str_eq(gqlws_hub_topic_invalid("a\nb", 3),
			 "Topic name has a character that is not allowed: a control character or a byte above 0x7E.");
	ck_assert_str_eq(gqlws_hub_topic_invalid("caf\xc3\xa9", 5),
			 "Topic name has a character that is not allowed: a control character or a byte above 0x7E.");
	/* a NUL inside the length is a character like any other */
	ck_assert_ptr_nonnull(gqlws_hub_topic_invalid("a\0b", 3));
	char longest[GQLWS_HUB_TOPIC_MAX_BYTES + 1];
	memset(longest, 'x', sizeof longest);
	ck_assert_ptr_null(gqlws_hub_topic_invalid(longest, GQLWS_HUB_TOPIC_MAX_BYTES));
	ck_assert_str_eq(gqlws_hub_topic_invalid(longest, sizeof longest), "Topic name is longer than 255 bytes.");
}
END_TEST

/* ----------------------------------------------------------------- events */

START_TEST(events_are_one_strict_json_value_within_the_size_bound)
{
	const char *why = "unset";
	cJSON *v = hub_event_parse("{\"a\":[1,2]}", 11, 100, &why);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_null(why);
	cJSON_Delete(v);
	v = hub_event_parse(" 7 ", 3, 100, &why);
	ck_assert_ptr_nonnull(v);
	cJSON_Delete(v);
	/* size first: an oversized text is not even looked at */
	ck_assert_ptr_null(hub_event_parse("{\"a\":1 garbage", 14, 10, &why));
	ck_assert_str_eq(why, "Event is larger than max-message-bytes.");
	ck_assert_ptr_null(hub_event_parse("{\"a\":1} x", 9, 100, &why));
	ck_assert_str_eq(why, "Event is not JSON.");
	ck_assert_ptr_null(hub_event_parse("", 0, 100, &why));
	ck_assert_str_eq(why, "Event is not JSON.");
	ck_assert_ptr_null(hub_event_parse("[1,]", 4, 100, &why));
	ck_assert_str_eq(why, "Event is not JSON.");
	ck_assert_ptr_null(hub_event_parse("\"a\\u0000b\"", 10, 100, &why));
	ck_assert_str_eq(why, "Event has \\u0000 in a string, which is not supported.");
	ck_assert_ptr_null(hub_event_parse("\"\xff\"", 3, 100, &why));
	ck_assert_str_eq(why, "Event is not UTF-8.");
	char deep[2003];
	memset(deep, '[', 1001);
	memset(deep + 1001, ']', 1001);
	ck_assert_ptr_null(hub_event_parse(deep, 2002, sizeof deep, &why));
	ck_assert_str_eq(why, "Event is nested too deeply (limit 1000).");
	ck_assert_ptr_nonnull((v = hub_event_parse(deep + 1, 2000, sizeof deep, &why)));
	cJSON_Delete(v);
}
END_TEST

/* ---------------------------------------------------------------- options */

START_TEST(options_have_defaults_and_are_set_by_name)
{
	gqlws_hub_options o;
	gqlws_hub_options_init(&o);
	ck_assert(o.retain);
	ck_assert_uint_eq(o.retain_topics, 10000);
	ck_assert_uint_eq(o.retain_bytes, 16u * 1024 * 1024);
	ck_assert_uint_eq(o.max_event_bytes, 1024u * 1024);
	ck_assert_ptr_null(o.publish);
	ck_assert_ptr_null(o.topic_active);
	const char *why = NULL;
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain", "off", &why), 0);
	ck_assert(!o.retain);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain", "true", &why), 0);
	ck_assert(o.retain);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain", "0", &why), 0);
	ck_assert(!o.retain);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain", "maybe", &why), -1);
	ck_assert_str_eq(why, "retain must be one of 0, 1, on, off, true, false");
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain-topics", "12", &why), 0);
	ck_assert_uint_eq(o.retain_topics, 12);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain-bytes", "4096", &why), 0);
	ck_assert_uint_eq(o.retain_bytes, 4096);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain-bytes", "-1", &why), -1);
	ck_assert_str_eq(why, "retain-bytes must be a decimal number");
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain-topics", "99999999999999999999999", &why), -1);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "retain-topics", "", &why), -1);
	ck_assert_int_eq(gqlws_hub_options_set(&o, "keepalive-ms", "1", &why), 1);
	ck_assert_uint_eq(o.retain_topics, 12);
}
END_TEST

/* ----------------------------------------------------------------- retain */

START_TEST(a_topic_keeps_its_last_event)
{
	ck_assert_str_eq(retained("stock.A"), "");
	publish_ok("stock.A", "{\"price\":1}");
	publish_ok("stock.A", " {\"price\" : 2} ");
	ck_assert_str_eq(retained("stock.A"), "{\"price\":2}");
	ck_assert_str_eq(retained("stock.B"), "");
	gqlws_hub_stats st = stats();
	ck_assert_uint_eq(st.retained_topics, 1);
	ck_assert_uint_eq(st.retained_bytes, gqlws_json_bytes(hub_topics_retained(hub.topics, "stock.A", 7)));
	ck_assert_uint_eq(st.topics, 0); /* kept, but nobody listens */
	ck_assert_uint_eq(st.published, 2);
	ck_assert_uint_eq(st.delivered, 2);
	ck_assert_uint_eq(st.serialisations, 0);
}
END_TEST

START_TEST(retained_topics_beyond_retain_topics_go_least_recently_published_first)
{
	gqlws_hub_options o;
	gqlws_hub_options_init(&o);
	o.retain_topics = 2;
	remake(&o);
	publish_ok("t1", "1");
	publish_ok("t2", "2");
	publish_ok("t3", "3");
	ck_assert_str_eq(retained("t1"), "");
	ck_assert_str_eq(retained("t2"), "2");
	ck_assert_str_eq(retained("t3"), "3");
	publish_ok("t2", "22"); /* t2 is now the most recent */
	publish_ok("t4", "4");
	ck_assert_str_eq(retained("t3"), "");
	ck_assert_str_eq(retained("t2"), "22");
	ck_assert_str_eq(retained("t4"), "4");
	ck_assert_uint_eq(stats().retained_topics, 2);
	/* dropped topics are gone, not kept empty */
	ck_assert_uint_eq(hub.topics->topics.count, 2);
}
END_TEST

START_TEST(retained_events_beyond_retain_bytes_go_least_recently_published_first)
{
	cJSON *probe = cJSON_Parse("\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"");
	size_t one = gqlws_json_bytes(probe);
	cJSON_Delete(probe);
	gqlws_hub_options o;
	gqlws_hub_options_init(&o);
	o.retain_bytes = 2 * one + one / 2;
	remake(&o);
	static const char event[] = "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"";
	publish_ok("a", event);
	publish_ok("b", event);
	ck_assert_uint_eq(stats().retained_bytes, 2 * one);
	publish_ok("c", event);
	ck_assert_str_eq(retained("a"), "");
	ck_assert_str_ne(retained("b"), "");
	ck_assert_str_ne(retained("c"), "");
	ck_assert_uint_eq(stats().retained_bytes, 2 * one);
	/* one event larger than the whole bound is not kept, nor is the
	 * topic's older one (it is no longer the last) */
	char big[1024];
	snprintf(big, sizeof big, "\"%0600d\"", 1);
	publish_ok("b", big);
	ck_assert_str_eq(retained("b"), "");
	ck_assert_str_ne(retained("c"), "");
	ck_assert_uint_eq(stats().retained_topics, 1);
	ck_assert_uint_eq(hub.topics->topics.count, 1);
}
END_TEST

START_TEST(retain_off_keeps_nothing)
{
	gqlws_hub_options o;
	gqlws_hub_options_init(&o);
	o.retain = false;
	remake(&o);
	size_t empty = stats().bytes;
	publish_ok("stock.A", "{\"price\":1}");
	ck_assert_str_eq(retained("stock.A"), "");
	ck_assert_uint_eq(stats().retained_topics, 0);
	ck_assert_uint_eq(hub.topics->topics.count, 0);
	ck_assert_uint_eq(stats().bytes, empty);
}
END_TEST

/* -------------------------------------------------------------- publishing */

START_TEST(bad_publishes_are_refused_with_a_reason_and_counted)
{
	const char *why = NULL;
	size_t n = 7;
	ck_assert_int_eq(publish("a b", "1", &n, &why), GQLWS_ERR_INVALID);
	ck_assert_str_eq(why, "Topic name has a character that is not allowed: \" \".");
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(publish("t", "{", &n, &why), GQLWS_ERR_INVALID);
	ck_assert_str_eq(why, "Event is not JSON.");
	hub.opts.max_event_bytes = 4;
	ck_assert_int_eq(publish("t", "12345", &n, &why), GQLWS_ERR_INVALID);
	ck_assert_str_eq(why, "Event is larger than max-message-bytes.");
	gqlws_hub_stats st = stats();
	ck_assert_uint_eq(st.refused, 3);
	ck_assert_uint_eq(st.published, 0);
	ck_assert_uint_eq(st.delivered, 0);
	/* gqlws_hub_deliver refuses the same, but it is no publish */
	ck_assert_int_eq(gqlws_hub_deliver(&hub, "t", 1, "[", 1, &n, &why), GQLWS_ERR_INVALID);
	ck_assert_str_eq(why, "Event is not JSON.");
	ck_assert_uint_eq(stats().refused, 3);
}
END_TEST

static struct {
	int calls;
	char topic[300];
	char json[64];
	int answer;
} hook;

static int publish_hook(void *arg, const char *topic, const char *json, size_t len, const char **why)
{
	ck_assert_ptr_eq(arg, &hook);
	hook.calls++;
	snprintf(hook.topic, sizeof hook.topic, "%s", topic);
	snprintf(hook.json, sizeof hook.json, "%.*s", (int)len, json);
	if (hook.answer)
		*why = "redis is down";
	return hook.answer;
}

static void listen_on_start(harness *h, fake_op *rec)
{
	(void)h;
	gqlws_request req = {.id = rec->id, .query = rec->query, .query_len = rec->query_len};
	gqlws_schema_request *r = gqlws_schema_request_start(rec->op, hub.schema, &req, NULL, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(hub_topics_listen(hub.topics, hub.schema, "stock.A", 7, rec->op, r), GQLWS_OK);
}

static void subscribe(harness *h, const char *id)
{
	char text[256];
	snprintf(text, sizeof text,
		 "{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { stock(symbol: \\\"A\\\") { price } }\"}}",
		 id);
	ck_assert_int_eq(h_recv(h, text), GQLWS_OK);
}

START_TEST(with_a_publish_hook_events_are_handed_over_and_delivered_when_they_come_back)
{
	gqlws_hub_options o;
	gqlws_hub_options_init(&o);
	o.publish = publish_hook;
	o.hook_arg = &hook;
	remake(&o);
	memset(&hook, 0, sizeof hook);
	harness *h = harness_acknowledged(GQLWS_SUBPROTOCOL_MODERN, NULL);
	h->on_start = listen_on_start;
	subscribe(h, "1");
	subscribe(h, "2");

	size_t n = 0;
	const char *why = NULL;
	/* the topic is given with a length: the hook gets it NUL-terminated */
	ck_assert_int_eq(gqlws_hub_publish(&hub, "stock.AB", 7, "{\"price\":3}", 11, &n, &why), GQLWS_OK);
	ck_assert_int_eq(hook.calls, 1);
	ck_assert_str_eq(hook.topic, "stock.A");
	ck_assert_str_eq(hook.json, "{\"price\":3}");
	ck_assert_uint_eq(n, 2); /* the local subscribers */
	h_drain(h);
	h_expect_no_frame(h); /* not delivered here: the transport brings it back */
	ck_assert_str_eq(retained("stock.A"), "");
	ck_assert_int_eq(publish("stock.A", "{", &n, &why), GQLWS_ERR_INVALID); /* checked before the hook */
	ck_assert_int_eq(hook.calls, 1);

	ck_assert_int_eq(gqlws_hub_deliver(&hub, "stock.A", 7, "{\"price\":3}", 11, &n, &why), GQLWS_OK);
	ck_assert_uint_eq(n, 2);
	h_expect(h, "{'id':'<any>','type':'next','payload':{'data':{'stock':{'price':3}}}}");
	h_expect(h, "{'id':'<any>','type':'next','payload':{'data':{'stock':{'price':3}}}}");
	ck_assert_str_eq(retained("stock.A"), "{\"price\":3}");

	hook.answer = 1;
	ck_assert_int_eq(publish("stock.A", "{\"price\":4}", &n, &why), GQLWS_ERR_CLOSED);
	ck_assert_str_eq(why, "redis is down");
	gqlws_hub_stats st = stats();
	ck_assert_uint_eq(st.published, 1);
	ck_assert_uint_eq(st.refused, 2);
	ck_assert_uint_eq(st.delivered, 1);
	ck_assert_uint_eq(st.serialisations, 1);
	ck_assert_uint_eq(st.frames, 2);
	ck_assert_uint_eq(st.subscriptions, 2);
	ck_assert_uint_eq(st.groups, 1);
	ck_assert_uint_eq(st.topics, 1);
	harness_free(h);
}
END_TEST

static int active_calls;
static bool active_last;

static void active_hook(void *arg, const char *topic, bool active)
{
	ck_assert_ptr_eq(arg, &hook);
	ck_assert_str_eq(topic, "stock.A");
	active_calls++;
	active_last = active;
}

START_TEST(a_transport_attached_after_the_hub_was_made_takes_publishes_and_topic_changes)
{
	memset(&hook, 0, sizeof hook);
	active_calls = 0;
	harness *h = harness_acknowledged(GQLWS_SUBPROTOCOL_MODERN, NULL);
	h->on_start = listen_on_start;
	gqlws_hub_set_transport(&hub, publish_hook, active_hook, &hook);
	subscribe(h, "1");
	ck_assert_int_eq(active_calls, 1);
	ck_assert(active_last);

	size_t n = 0;
	ck_assert_int_eq(publish("stock.A", "{\"price\":5}", &n, NULL), GQLWS_OK);
	ck_assert_int_eq(hook.calls, 1);
	ck_assert_uint_eq(n, 1);
	h_drain(h);
	h_expect_no_frame(h); /* handed over, not delivered here */

	/* detached: delivered here again, and topic changes are no longer told */
	gqlws_hub_set_transport(&hub, NULL, NULL, NULL);
	ck_assert_int_eq(publish("stock.A", "{\"price\":6}", &n, NULL), GQLWS_OK);
	ck_assert_int_eq(hook.calls, 1);
	h_expect(h, "{'id':'1','type':'next','payload':{'data':{'stock':{'price':6}}}}");
	gqlws_hub_set_transport(&hub, publish_hook, active_hook, &hook);
	harness_free(h); /* the last subscription ends: the topic goes quiet */
	ck_assert_int_eq(active_calls, 2);
	ck_assert(!active_last);
	gqlws_hub_set_transport(&hub, NULL, NULL, NULL);
}
END_TEST

static void collect_topic(void *arg, const char *topic)
{
	char *out = arg;
	strcat(out, topic);
	strcat(out, ";");
}

START_TEST(publishing_without_a_hook_delivers_here_and_active_topics_are_listed)
{
	harness *h = harness_acknowledged(GQLWS_SUBPROTOCOL_MODERN, NULL);
	h->on_start = listen_on_start;
	subscribe(h, "1");
	publish_ok("stock.B", "{\"price\":9}"); /* retained only */
	size_t n = 0;
	ck_assert_int_eq(publish("stock.A", "{\"price\":1}", &n, NULL), GQLWS_OK);
	ck_assert_uint_eq(n, 1);
	h_expect(h, "{'id':'1','type':'next','payload':{'data':{'stock':{'price':1}}}}");
	ck_assert_uint_eq(gqlws_hub_subscribers(&hub, "stock.A", 7), 1);
	ck_assert_uint_eq(gqlws_hub_subscribers(&hub, "stock.B", 7), 0);
	char listed[256] = "";
	ck_assert_uint_eq(gqlws_hub_each_active_topic(&hub, collect_topic, listed), 1);
	ck_assert_str_eq(listed, "stock.A;");
	gqlws_hub_stats st = stats();
	ck_assert_uint_eq(st.published, 2);
	ck_assert_uint_eq(st.retained_topics, 2);
	ck_assert_uint_gt(st.bytes, st.retained_bytes);
	h_send(h, "{'id':'1','type':'complete'}");
	ck_assert_uint_eq(gqlws_hub_each_active_topic(&hub, collect_topic, listed), 0);
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("hub_topics_publish");
	TCase *tc = h_tcase("publishing");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, topic_names_are_letters_digits_and_a_few_marks);
	tcase_add_test(tc, events_are_one_strict_json_value_within_the_size_bound);
	tcase_add_test(tc, options_have_defaults_and_are_set_by_name);
	tcase_add_test(tc, a_topic_keeps_its_last_event);
	tcase_add_test(tc, retained_topics_beyond_retain_topics_go_least_recently_published_first);
	tcase_add_test(tc, retained_events_beyond_retain_bytes_go_least_recently_published_first);
	tcase_add_test(tc, retain_off_keeps_nothing);
	tcase_add_test(tc, bad_publishes_are_refused_with_a_reason_and_counted);
	tcase_add_test(tc, with_a_publish_hook_events_are_handed_over_and_delivered_when_they_come_back);
	tcase_add_test(tc, publishing_without_a_hook_delivers_here_and_active_topics_are_listed);
	tcase_add_test(tc, a_transport_attached_after_the_hub_was_made_takes_publishes_and_topic_changes);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
