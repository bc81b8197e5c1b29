/*
 * hub_op.c - gqlws_hub_op_start over real sessions of both subprotocols:
 * queries answer each retained field by its own arguments, unbound fields
 * null, introspection of the hub's schema; mutations publish their event
 * (all arguments, or the payload argument) to subscribers of this and
 * other sessions before they answer, or hand it to the publish hook, whose
 * refusal is a field error; subscriptions whose arguments make no topic
 * name answer that error and complete.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_hub.h"
#include "hub_internal.h"
#include "test_harness.h"

static const char hub_sdl[] =
	"type Query {\n"
	"  stock(symbol: String!): Stock @retained(topic: \"stock.{symbol}\")\n"
	"  serverName: String\n"
	"}\n"
	"type Mutation {\n"
	"  setPrice(symbol: String!, price: Float!): Stock @publish(topic: \"stock.{symbol}\")\n"
	"  setPriceStrict(symbol: String!, price: Float!): Stock! @publish(topic: \"stock.{symbol}\")\n"
	"  post(room: ID!, message: MessageInput!): Message @publish(topic: \"room.{room}\", payload: \"message\")\n"
	"  noop: Int\n"
	"}\n"
	"type Subscription {\n"
	"  stock(symbol: String!): Stock! @topic(name: \"stock.{symbol}\")\n"
	"  room(id: ID!): Message @topic(name: \"room.{id}\")\n"
	"  feed(tag: String): Stock @topic(name: \"feed.{tag}\")\n"
	"}\n"
	"type Stock { symbol: String! price: Float! }\n"
	"input MessageInput { author: String! text: String! }\n"
	"type Message { author: String! text: String! }\n";

/* The hub the sessions' executor serves (one per test). */
static gqlws_hub *test_hub;

/* What the publish hook saw, and how it answers. */
static struct {
	int calls;
	char topic[64];
	char json[256];
	const char *refuse; /* non-NULL: refuse with this reason */
} hook;

static int hook_publish(void *arg, const char *topic, const char *json, size_t len, const char **why)
{
	ck_assert_ptr_eq(arg, &hook);
	hook.calls++;
	snprintf(hook.topic, sizeof hook.topic, "%s", topic);
	snprintf(hook.json, sizeof hook.json, "%.*s", (int)len, json);
	if (hook.refuse) {
		*why = hook.refuse;
		return 1;
	}
	return 0;
}

static void make_hub_with(bool with_hook, void (*tweak)(gqlws_hub_options *opts))
{
	gqlws_hub_options opts;
	cJSON *errors = NULL;
	gqlws_hub_options_init(&opts);
	if (tweak)
		tweak(&opts);
	memset(&hook, 0, sizeof hook);
	if (with_hook) {
		opts.publish = hook_publish;
		opts.hook_arg = &hook;
	}
	test_hub = gqlws_hub_new(hub_sdl, strlen(hub_sdl), &opts, &errors);
	ck_assert_ptr_null(errors);
	ck_assert_ptr_nonnull(test_hub);
}

static void make_hub(bool with_hook)
{
	make_hub_with(with_hook, NULL);
}

/* ------------------------------------------------------ in-memory clients */

#define CLIENT_FRAMES 64

typedef struct client {
	gqlws_session *s;
	gqlws_subprotocol proto;
	cJSON *frames[CLIENT_FRAMES];
	size_t count, checked;
} client;

static int exec_op_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user;
	(void)s;
	return gqlws_hub_op_start(test_hub, op, req);
}

static void exec_op_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user;
	(void)s;
	(void)op; /* the hub frees what it keeps by gqlws_op_on_end */
}

static void c_drain(client *c)
{
	unsigned char *frame;
	size_t len;
	while ((frame = gqlws_session_peek_frame(c->s, &len)) != NULL) {
		ck_assert_uint_lt(c->count, CLIENT_FRAMES);
		c->frames[c->count] = cJSON_ParseWithLength((const char *)frame, len);
		ck_assert_ptr_nonnull(c->frames[c->count]);
		c->count++;
		gqlws_session_frame_sent(c->s);
	}
}

static void c_receive(client *c, const cJSON *message)
{
	char *text = cJSON_PrintUnformatted(message);
	ck_assert_int_eq(gqlws_session_receive(c->s, text, strlen(text), false, 1000), GQLWS_OK);
	cJSON_free(text);
	c_drain(c);
}

/* The next frame, which must match expected (single quotes for double). */
static void c_expect(client *c, const char *expected)
{
	c_drain(c);
	ck_assert_msg(c->checked < c->count, "expected %s, got no frame", expected);
	const cJSON *actual = c->frames[c->checked++];
	if (!h_json_matches(expected, actual)) {
		char got[2048];
		if (!cJSON_PrintPreallocated((cJSON *)actual, got, sizeof got, false))
			snprintf(got, sizeof got, "(too long)");
		ck_abort_msg("expected %s, got %s", expected, got);
	}
}

static void c_expect_nothing(client *c)
{
	c_drain(c);
	if (c->checked < c->count) {
		char got[2048];
		if (!cJSON_PrintPreallocated(c->frames[c->checked], got, sizeof got, false))
			snprintf(got, sizeof got, "(too long)");
		ck_abort_msg("expected no frame, got %s", got);
	}
}

/* The result frame of operation id carrying payload (single quotes). */
static void c_expect_result(client *c, const char *id, const char *payload)
{
	char expected[2048];
	snprintf(expected, sizeof expected, "{'id':'%s','type':'%s','payload':%s}", id,
		 c->proto == GQLWS_SUBPROTOCOL_LEGACY ? "data" : "next", payload);
	c_expect(c, expected);
}

static void c_expect_complete(client *c, const char *id)
{
	char expected[128];
	snprintf(expected, sizeof expected, "{'id':'%s','type':'complete'}", id);
	c_expect(c, expected);
}

static client *c_new(gqlws_subprotocol proto)
{
	static const gqlws_callbacks callbacks = {.op_start = exec_op_start, .op_stop = exec_op_stop};
	gqlws_options opts;
	client *c = calloc(1, sizeof *c);
	ck_assert_ptr_nonnull(c);
	gqlws_options_init(&opts);
	opts.keepalive_ms = 0;
	c->proto = proto;
	c->s = gqlws_session_new(proto, &callbacks, &opts, c, 1000);
	ck_assert_ptr_nonnull(c->s);
	cJSON *init = h_json("{'type':'connection_init','payload':{}}");
	c_receive(c, init);
	cJSON_Delete(init);
	c_expect(c, "{'type':'connection_ack'}");
	return c;
}

static void c_free(client *c)
{
	gqlws_session_destroy(c->s);
	for (size_t i = 0; i < c->count; i++)
		cJSON_Delete(c->frames[i]);
	free(c);
}

/* Starts operation id running query (real GraphQL text, double quotes)
 * with variables (JSON in single quotes, or NULL). */
static void c_start_with(client *c, const char *id, const char *query, const char *variables)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "id", id);
	cJSON_AddStringToObject(m, "type", c->proto == GQLWS_SUBPROTOCOL_LEGACY ? "start" : "subscribe");
	cJSON *payload = cJSON_AddObjectToObject(m, "payload");
	cJSON_AddStringToObject(payload, "query", query);
	if (variables)
		cJSON_AddItemToObject(payload, "variables", h_json(variables));
	c_receive(c, m);
	cJSON_Delete(m);
}

static void c_start(client *c, const char *id, const char *query)
{
	c_start_with(c, id, query, NULL);
}

static gqlws_subprotocol proto_of(int i)
{
	return i == 0 ? GQLWS_SUBPROTOCOL_LEGACY : GQLWS_SUBPROTOCOL_MODERN;
}

static void teardown(void)
{
	gqlws_hub_free(test_hub);
	test_hub = NULL;
}

/* Publishes by mutation from a client of its own. */
static void set_price(gqlws_subprotocol proto, const char *symbol, const char *price)
{
	client *p = c_new(proto);
	char query[256];
	snprintf(query, sizeof query, "mutation { setPrice(symbol: \"%s\", price: %s) { price } }", symbol, price);
	c_start(p, "p", query);
	char answer[128];
	snprintf(answer, sizeof answer, "{'data':{'setPrice':{'price':%s}}}", price);
	c_expect_result(p, "p", answer);
	c_expect_complete(p, "p");
	c_free(p);
}

/* text as the inside of a JSON string (quotes and backslashes escaped), in
 * a static buffer: for messages put into expected results. */
static const char *escaped(const char *text)
{
	static char out[512];
	size_t n = 0;
	for (; *text && n + 2 < sizeof out; text++) {
		if (*text == '"' || *text == '\\')
			out[n++] = '\\';
		out[n++] = *text;
	}
	out[n] = '\0';
	return out;
}

/* ------------------------------------------------------------------ query */

START_TEST(query_answers_each_retained_field_by_its_own_arguments)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(false);
	set_price(proto, "A", "1.5");
	set_price(proto, "B", "2");
	client *c = c_new(proto);
	c_start(c, "q", "{ a: stock(symbol: \"A\") { price } b: stock(symbol: \"B\") { symbol price } "
			"c: stock(symbol: \"C\") { price } }");
	c_expect_result(c, "q", "{'data':{'a':{'price':1.5},'b':{'symbol':'B','price':2},'c':null}}");
	c_expect_complete(c, "q");
	c_expect_nothing(c);
	c_free(c);
}
END_TEST

START_TEST(query_retained_is_the_last_event)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(false);
	set_price(proto, "A", "1.5");
	set_price(proto, "A", "3.25");
	client *c = c_new(proto);
	c_start(c, "q", "{ stock(symbol: \"A\") { symbol price } }");
	c_expect_result(c, "q", "{'data':{'stock':{'symbol':'A','price':3.25}}}");
	c_expect_complete(c, "q");
	c_free(c);
}
END_TEST

START_TEST(query_unbound_fields_are_null_and_typename_answers)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "q", "{ serverName __typename }");
	c_expect_result(c, "q", "{'data':{'serverName':null,'__typename':'Query'}}");
	c_expect_complete(c, "q");
	c_free(c);
}
END_TEST

START_TEST(query_retained_topic_that_cannot_be_named_is_a_field_error)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "q", "{ serverName stock(symbol: \"a b\") { price } }");
	char expected[512];
	snprintf(expected, sizeof expected,
		 "{'errors':[{'message':'%s','locations':[{'line':1,'column':14}],'path':['stock']}],"
		 "'data':{'serverName':null,'stock':null}}",
		 escaped(gqlws_hub_topic_invalid("stock.a b", 9)));
	c_expect_result(c, "q", expected);
	c_expect_complete(c, "q");
	c_free(c);
}
END_TEST

START_TEST(query_introspects_the_hub_schema)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "q", "{ __schema { queryType { name } mutationType { name } subscriptionType { name } } "
			"__type(name: \"Stock\") { fields { name } } }");
	c_expect_result(c, "q",
			"{'data':{'__schema':{'queryType':{'name':'Query'},'mutationType':{'name':'Mutation'},"
			"'subscriptionType':{'name':'Subscription'}},"
			"'__type':{'fields':[{'name':'symbol'},{'name':'price'}]}}}");
	c_expect_complete(c, "q");
	c_start(c, "d", "{ __schema { directives { name args { name } } } }");
	const cJSON *result = NULL;
	c_drain(c);
	ck_assert_uint_lt(c->checked, c->count);
	result = cJSON_GetObjectItem(c->frames[c->checked++], "payload");
	char *printed = cJSON_PrintUnformatted(result);
	ck_assert_msg(strstr(printed, "{\"name\":\"topic\",\"args\":[{\"name\":\"name\"}]}") &&
			      strstr(printed, "{\"name\":\"publish\",\"args\":[{\"name\":\"topic\"},{\"name\":\"payload\"}]}") &&
			      strstr(printed, "{\"name\":\"retained\",\"args\":[{\"name\":\"topic\"}]}"),
		      "%s", printed);
	cJSON_free(printed);
	c_expect_complete(c, "d");
	c_free(c);
}
END_TEST

START_TEST(query_refused_by_validation_runs_nothing)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "q", "{ nope }");
	if (c->proto == GQLWS_SUBPROTOCOL_LEGACY) {
		c_expect_result(c, "q", "{'errors':[{'message':'Cannot query field \\\"nope\\\" on type \\\"Query\\\".',"
					"'locations':[{'line':1,'column':3}]}]}");
		c_expect_complete(c, "q");
	} else {
		c_expect(c, "{'id':'q','type':'error','payload':[{'message':'Cannot query field \\\"nope\\\" on type "
			    "\\\"Query\\\".','locations':[{'line':1,'column':3}]}]}");
	}
	c_expect_nothing(c);
	c_free(c);
}
END_TEST


START_TEST(query_field_error_is_located_at_every_node_of_its_key)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "q", "{ s: stock(symbol: \"a b\") { price }\n  s: stock(symbol: \"a b\") { symbol } }");
	char expected[512];
	snprintf(expected, sizeof expected,
		 "{'errors':[{'message':'%s','locations':[{'line':1,'column':3},{'line':2,'column':3}],"
		 "'path':['s']}],'data':{'s':null}}",
		 escaped(gqlws_hub_topic_invalid("stock.a b", 9)));
	c_expect_result(c, "q", expected);
	c_expect_complete(c, "q");
	c_free(c);
}
END_TEST

static void no_introspection(gqlws_hub_options *opts)
{
	opts->schema_flags = GQLWS_SCHEMA_NO_INTROSPECTION;
}

START_TEST(query_introspection_off_is_refused)
{
	make_hub_with(false, no_introspection);
	client *c = c_new(GQLWS_SUBPROTOCOL_MODERN);
	c_start(c, "q", "{ __schema { description } }");
	c_expect(c, "{'id':'q','type':'error','payload':[{'message':'GraphQL introspection has been disabled, "
		    "but the requested query contained the field \\\"__schema\\\".','locations':[{'line':1,'column':3}]}]}");
	c_start(c, "t", "{ __typename }");
	c_expect_result(c, "t", "{'data':{'__typename':'Query'}}");
	c_expect_complete(c, "t");
	c_free(c);
}
END_TEST

START_TEST(query_answered_before_any_field_runs)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start_with(c, "q", "query ($s: Boolean = true) { serverName @skip(if: $s) }", "{'s':null}");
	c_expect_result(c, "q", "{'errors':[{'message':'Argument \\\"if\\\" of non-null type \\\"Boolean!\\\" must not "
				"be null.','locations':[{'line':1,'column':51}]}],'data':null}");
	c_expect_complete(c, "q");
	c_free(c);
}
END_TEST

/* --------------------------------------------------------------- mutation */

START_TEST(mutation_publishes_to_subscribers_of_every_session_before_it_answers)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(false);
	client *a = c_new(proto), *b = c_new(proto), *other = c_new(proto);
	c_start(a, "s", "subscription { stock(symbol: \"A\") { price } }");
	c_start(b, "s", "subscription { stock(symbol: \"A\") { symbol } }");
	c_start(other, "s", "subscription { stock(symbol: \"B\") { symbol } }");
	c_expect_nothing(a);
	c_expect_nothing(b);
	c_start(a, "m", "mutation { setPrice(symbol: \"A\", price: 1.5) { symbol price } }");
	c_expect_result(a, "s", "{'data':{'stock':{'price':1.5}}}");
	c_expect_result(a, "m", "{'data':{'setPrice':{'symbol':'A','price':1.5}}}");
	c_expect_complete(a, "m");
	c_expect_nothing(a);
	c_expect_result(b, "s", "{'data':{'stock':{'symbol':'A'}}}");
	c_expect_nothing(b);
	c_expect_nothing(other);
	gqlws_hub_stats stats;
	gqlws_hub_get_stats(test_hub, &stats);
	ck_assert_uint_eq(stats.published, 1);
	ck_assert_uint_eq(stats.refused, 0);
	c_free(a);
	c_free(b);
	c_free(other);
}
END_TEST

START_TEST(mutation_payload_argument_is_the_event)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(false);
	client *sub = c_new(proto), *pub = c_new(proto);
	c_start(sub, "s", "subscription { room(id: \"r1\") { author text } }");
	c_start(pub, "m", "mutation { post(room: \"r1\", message: {text: \"hi\", author: \"ann\"}) { text } }");
	c_expect_result(pub, "m", "{'data':{'post':{'text':'hi'}}}");
	c_expect_complete(pub, "m");
	c_expect_result(sub, "s", "{'data':{'room':{'author':'ann','text':'hi'}}}");
	c_free(sub);
	c_free(pub);
}
END_TEST

START_TEST(mutation_with_hook_hands_the_event_over_in_argument_order)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(true);
	client *sub = c_new(proto), *pub = c_new(proto);
	c_start(sub, "s", "subscription { stock(symbol: \"A\") { price } }");
	c_start(pub, "m", "mutation { setPrice(price: 1.5, symbol: \"A\") { price } }");
	ck_assert_int_eq(hook.calls, 1);
	ck_assert_str_eq(hook.topic, "stock.A");
	ck_assert_str_eq(hook.json, "{\"symbol\":\"A\",\"price\":1.5}"); /* the definition's order */
	c_expect_result(pub, "m", "{'data':{'setPrice':{'price':1.5}}}");
	c_expect_complete(pub, "m");
	c_expect_nothing(sub); /* the transport delivers it, not the mutation */
	gqlws_hub_stats stats;
	gqlws_hub_get_stats(test_hub, &stats);
	ck_assert_uint_eq(stats.published, 1);
	c_free(sub);
	c_free(pub);
}
END_TEST

START_TEST(mutation_hook_refusal_is_a_field_error)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(true);
	hook.refuse = "broker down";
	client *pub = c_new(proto);
	c_start(pub, "m", "mutation { setPrice(symbol: \"A\", price: 1.5) { price } noop }");
	c_expect_result(pub, "m",
			"{'errors':[{'message':'Publish failed: broker down','locations':[{'line':1,'column':12}],"
			"'path':['setPrice']}],'data':{'setPrice':null,'noop':null}}");
	c_expect_complete(pub, "m");
	gqlws_hub_stats stats;
	gqlws_hub_get_stats(test_hub, &stats);
	ck_assert_uint_eq(stats.published, 0);
	ck_assert_uint_eq(stats.refused, 1);
	c_free(pub);
}
END_TEST

START_TEST(mutation_stops_at_a_non_null_field_that_failed)
{
	/* graphql-js runs mutation fields one after the other: once a null
	 * reaches "data", no later field runs, so nothing more is published */
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(true);
	hook.refuse = "broker down";
	client *pub = c_new(proto);
	c_start(pub, "m", "mutation { a: setPriceStrict(symbol: \"A\", price: 1) { price } "
			  "b: setPrice(symbol: \"B\", price: 2) { price } }");
	c_expect_result(pub, "m",
			"{'errors':[{'message':'Publish failed: broker down','locations':[{'line':1,'column':12}],"
			"'path':['a']}],'data':null}");
	c_expect_complete(pub, "m");
	ck_assert_int_eq(hook.calls, 1);
	c_free(pub);
}
END_TEST


static void tiny_events(gqlws_hub_options *opts)
{
	opts->max_event_bytes = 16;
}

START_TEST(mutation_event_over_the_size_limit_is_refused)
{
	make_hub_with(false, tiny_events);
	client *sub = c_new(proto_of(_i));
	c_start(sub, "s", "subscription { stock(symbol: \"A\") { price } }");
	c_start(sub, "m", "mutation { setPrice(symbol: \"A\", price: 1.5) { price } }");
	c_expect_result(sub, "m",
			"{'errors':[{'message':'Publish failed: Event is larger than max-message-bytes.',"
			"'locations':[{'line':1,'column':12}],'path':['setPrice']}],'data':{'setPrice':null}}");
	c_expect_complete(sub, "m");
	c_expect_nothing(sub);
	gqlws_hub_stats stats;
	gqlws_hub_get_stats(test_hub, &stats);
	ck_assert_uint_eq(stats.refused, 1);
	c_free(sub);
}
END_TEST

START_TEST(mutation_hook_refusal_without_a_reason)
{
	make_hub(true);
	hook.refuse = NULL;
	client *pub = c_new(proto_of(_i));
	c_start(pub, "m", "mutation { setPrice(symbol: \"A\", price: 1.5) { price } }");
	c_expect_result(pub, "m", "{'data':{'setPrice':{'price':1.5}}}");
	c_expect_complete(pub, "m");
	c_free(pub);
}
END_TEST

/* ----------------------------------------------------------- subscription */

START_TEST(subscription_without_a_value_for_its_topic_answers_the_error)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "s", "subscription { feed { price } }");
	c_expect_result(c, "s",
			"{'errors':[{'message':'Topic name needs a value of argument \\\"tag\\\".',"
			"'locations':[{'line':1,'column':16}],'path':['feed']}]}");
	c_expect_complete(c, "s");
	ck_assert_uint_eq(gqlws_session_op_count(c->s), 0);
	c_free(c);
}
END_TEST

START_TEST(subscription_whose_topic_is_no_valid_name_answers_the_error)
{
	make_hub(false);
	client *c = c_new(proto_of(_i));
	c_start(c, "s", "subscription { r: room(id: \"a/b\") { text } }");
	char expected[512];
	snprintf(expected, sizeof expected,
		 "{'errors':[{'message':'%s','locations':[{'line':1,'column':16}],'path':['r']}]}",
		 escaped(gqlws_hub_topic_invalid("room.a/b", 8)));
	c_expect_result(c, "s", expected);
	c_expect_complete(c, "s");
	c_free(c);
}
END_TEST

START_TEST(subscription_listens_until_it_stops)
{
	gqlws_subprotocol proto = proto_of(_i);
	make_hub(false);
	client *c = c_new(proto);
	c_start(c, "s", "subscription { stock(symbol: \"A\") { price } }");
	ck_assert_uint_eq(gqlws_hub_subscribers(test_hub, "stock.A", 7), 1);
	set_price(proto, "A", "1");
	set_price(proto, "A", "2");
	c_expect_result(c, "s", "{'data':{'stock':{'price':1}}}");
	c_expect_result(c, "s", "{'data':{'stock':{'price':2}}}");
	cJSON *stop = h_json(proto == GQLWS_SUBPROTOCOL_LEGACY ? "{'id':'s','type':'stop'}"
							      : "{'id':'s','type':'complete'}");
	c_receive(c, stop);
	cJSON_Delete(stop);
	ck_assert_uint_eq(gqlws_hub_subscribers(test_hub, "stock.A", 7), 0);
	set_price(proto, "A", "3");
	if (proto == GQLWS_SUBPROTOCOL_LEGACY)
		c_expect_complete(c, "s");
	c_expect_nothing(c);
	c_free(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hub_op");
	TCase *query = tcase_create("query");
	tcase_add_checked_fixture(query, NULL, teardown);
	tcase_add_loop_test(query, query_answers_each_retained_field_by_its_own_arguments, 0, 2);
	tcase_add_loop_test(query, query_retained_is_the_last_event, 0, 2);
	tcase_add_loop_test(query, query_unbound_fields_are_null_and_typename_answers, 0, 2);
	tcase_add_loop_test(query, query_retained_topic_that_cannot_be_named_is_a_field_error, 0, 2);
	tcase_add_loop_test(query, query_introspects_the_hub_schema, 0, 2);
	tcase_add_loop_test(query, query_refused_by_validation_runs_nothing, 0, 2);
	tcase_add_loop_test(query, query_field_error_is_located_at_every_node_of_its_key, 0, 2);
	tcase_add_test(query, query_introspection_off_is_refused);
	tcase_add_loop_test(query, query_answered_before_any_field_runs, 0, 2);
	suite_add_tcase(s, query);

	TCase *mutation = tcase_create("mutation");
	tcase_add_checked_fixture(mutation, NULL, teardown);
	tcase_add_loop_test(mutation, mutation_publishes_to_subscribers_of_every_session_before_it_answers, 0, 2);
	tcase_add_loop_test(mutation, mutation_payload_argument_is_the_event, 0, 2);
	tcase_add_loop_test(mutation, mutation_with_hook_hands_the_event_over_in_argument_order, 0, 2);
	tcase_add_loop_test(mutation, mutation_hook_refusal_is_a_field_error, 0, 2);
	tcase_add_loop_test(mutation, mutation_stops_at_a_non_null_field_that_failed, 0, 2);
	tcase_add_loop_test(mutation, mutation_event_over_the_size_limit_is_refused, 0, 2);
	tcase_add_loop_test(mutation, mutation_hook_refusal_without_a_reason, 0, 2);
	suite_add_tcase(s, mutation);

	TCase *subscription = tcase_create("subscription");
	tcase_add_checked_fixture(subscription, NULL, teardown);
	tcase_add_loop_test(subscription, subscription_without_a_value_for_its_topic_answers_the_error, 0, 2);
	tcase_add_loop_test(subscription, subscription_whose_topic_is_no_valid_name_answers_the_error, 0, 2);
	tcase_add_loop_test(subscription, subscription_listens_until_it_stops, 0, 2);
	suite_add_tcase(s, subscription);
	return h_run_suite(s);
}
