/*
 * hub_topics.c - the fan-out of lib/hub through real sessions: operations
 * listening to topics (hub_topics_listen), grouped by their selection,
 * each event serialised once per group and every operation's frame the
 * same as its own projection; bad values as GraphQL errors that end
 * nothing; operations that end (the client's complete, a send queue over
 * its bound, an end while a fan-out runs) taken out without a dangling
 * pointer; the charges of listeners and shared requests.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_topics_private.h"
#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

static const char sdl[] =
	"type Query { a: Int }\n"
	"type Subscription {\n"
	"  stock(symbol: String!): Stock!\n"
	"  quote(symbol: String!): Stock\n"
	"}\n"
	"type Stock { symbol: String! price: Float! }\n";

static gqlws_schema *schema;
static hub_topics *topics;
static gqlws_hub_options options;
static int active_calls[2]; /* topic_active(..., false / true) */
static char last_active_topic[64];

static void on_topic_active(void *arg, const char *topic, bool active)
{
	ck_assert_ptr_eq(arg, &options);
	active_calls[active]++;
	snprintf(last_active_topic, sizeof last_active_topic, "%s", topic);
}

static void setup(void)
{
	cJSON *errors = NULL;
	schema = gqlws_schema_parse(sdl, sizeof sdl - 1, &errors);
	ck_assert_ptr_nonnull(schema);
	gqlws_hub_options_init(&options);
	options.retain = false;
	options.topic_active = on_topic_active;
	options.hook_arg = &options;
	topics = hub_topics_new(&options);
	ck_assert_ptr_nonnull(topics);
	memset(active_calls, 0, sizeof active_calls);
}

static void teardown(void)
{
	hub_topics_free(topics);
	topics = NULL;
	gqlws_schema_free(schema);
	schema = NULL;
}

/* The executor: every start listens to "stock.<symbol>". */
static void listen_on_start(harness *h, fake_op *rec)
{
	(void)h;
	gqlws_request req = {.id = rec->id, .query = rec->query, .query_len = rec->query_len,
			     .operation_name = rec->operation_name, .variables = rec->variables};
	gqlws_schema_request *r = gqlws_schema_request_start(rec->op, schema, &req, NULL, 0);
	ck_assert_ptr_nonnull(r);
	const cJSON *symbol = gqlws_schema_request_arg(r, 0, "symbol");
	ck_assert_ptr_nonnull(symbol);
	char topic[64];
	snprintf(topic, sizeof topic, "stock.%s", symbol->valuestring);
	ck_assert_int_eq(hub_topics_listen(topics, schema, topic, strlen(topic), rec->op, r), GQLWS_OK);
}

static harness *client(gqlws_subprotocol proto, const gqlws_options *opts)
{
	harness *h = harness_acknowledged(proto, opts);
	h->on_start = listen_on_start;
	return h;
}

static void subscribe(harness *h, const char *id, const char *query, const char *symbol)
{
	cJSON *msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "id", id);
	cJSON_AddStringToObject(msg, "type", h->proto == LEGACY ? "start" : "subscribe");
	cJSON *payload = cJSON_AddObjectToObject(msg, "payload");
	cJSON_AddStringToObject(payload, "query", query);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(payload, "variables"), "s", symbol);
	char *text = cJSON_PrintUnformatted(msg);
	ck_assert_int_eq(h_recv(h, text), GQLWS_OK);
	free(text);
	cJSON_Delete(msg);
	ck_assert_ptr_nonnull(h_live(h, id));
}

static size_t deliver(const char *topic, const char *event)
{
	cJSON *value = cJSON_Parse(event);
	ck_assert_ptr_nonnull(value);
	size_t reached = 99999;
	ck_assert_int_eq(hub_topics_deliver(topics, schema, topic, strlen(topic), value, event,
					    strlen(event), &reached),
			 GQLWS_OK);
	cJSON_Delete(value);
	return reached;
}

/* What one operation alone would get for event: its own request's result
 * for the root value {field: event}. */
static cJSON *own_projection(const char *query, const char *symbol, const char *event)
{
	cJSON *vars = cJSON_CreateObject();
	cJSON_AddStringToObject(vars, "s", symbol);
	gqlws_request req = {.id = "x", .query = query, .query_len = strlen(query), .variables = vars};
	cJSON *errors = NULL;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, 0, &errors, NULL);
	ck_assert_ptr_nonnull(r);
	const gqlws_doc_plan *plan = gqlws_schema_request_plan(r);
	cJSON *root = cJSON_CreateObject();
	cJSON_AddItemToObject(root, gqlws_doc_field_name(gqlws_doc_plan_field(plan, 0)), cJSON_Parse(event));
	gqlws_doc_buf text = GQLWS_DOC_BUF_INIT;
	ck_assert_int_eq(gqlws_schema_result_text(schema, plan, root, &text), 0);
	cJSON *parsed = cJSON_Parse(text.data);
	gqlws_doc_buf_free(&text);
	cJSON_Delete(root);
	gqlws_schema_request_free(r);
	cJSON_Delete(vars);
	return parsed;
}

/* The next frame of h is a result of id equal to expected (taken). */
static void expect_result(harness *h, const char *id, const cJSON *expected)
{
	h_drain(h);
	const cJSON *frame = h_take(h);
	ck_assert_str_eq(cJSON_GetObjectItem(frame, "id")->valuestring, id);
	ck_assert_str_eq(cJSON_GetObjectItem(frame, "type")->valuestring,
			 h->proto == LEGACY ? "data" : "next");
	const cJSON *payload = cJSON_GetObjectItem(frame, "payload");
	char *want = cJSON_PrintUnformatted(expected), *got = cJSON_PrintUnformatted(payload);
	ck_assert_msg(cJSON_Compare(payload, expected, true), "op %s: got %s, want %s", id, got, want);
	free(want);
	free(got);
}

/* What the session's index of operations may change by between two ops. */
#define INDEX_SLACK 256u

static gqlws_hub_stats stats(void)
{
	gqlws_hub_stats s;
	memset(&s, 0, sizeof s);
	hub_topics_stats(topics, &s);
	return s;
}

#define Q_BOTH "subscription($s: String!) { stock(symbol: $s) { symbol price } }"
#define Q_PRICE "subscription($s: String!) { stock(symbol: $s) { price } }"
#define Q_ALIAS "subscription($s: String!) { p: stock(symbol: $s) { cost: price } }"
#define Q_QUOTE "subscription($s: String!) { quote(symbol: $s) { symbol } }"

static const char *const queries[] = {Q_BOTH, Q_PRICE, Q_ALIAS, Q_QUOTE};

START_TEST(one_serialisation_per_group_and_each_frame_is_the_ops_own_projection)
{
	harness *hs[3] = {client(MODERN, NULL), client(LEGACY, NULL), client(MODERN, NULL)};
	char id[16];
	/* 3 sessions x 20 ops on stock.A, cycling through 4 selections */
	for (int s = 0; s < 3; s++)
		for (int i = 0; i < 20; i++) {
			snprintf(id, sizeof id, "%d", i);
			subscribe(hs[s], id, queries[i % 4], "A");
		}
	subscribe(hs[0], "other", Q_BOTH, "B");
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 60);
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.B", 7), 1);
	gqlws_hub_stats st = stats();
	ck_assert_uint_eq(st.groups, 5);
	ck_assert_uint_eq(st.topics, 2);
	ck_assert_uint_eq(st.subscriptions, 61);

	static const char event[] = "{\"symbol\":\"A\",\"price\":1.5,\"extra\":true}";
	ck_assert_uint_eq(deliver("stock.A", event), 60);
	st = stats();
	ck_assert_uint_eq(st.serialisations, 4);
	ck_assert_uint_eq(st.frames, 60);
	ck_assert_uint_eq(st.delivered, 1);
	cJSON *expected[4];
	for (int q = 0; q < 4; q++)
		expected[q] = own_projection(queries[q], "A", event);
	for (int s = 0; s < 3; s++) {
		h_drain(hs[s]);
		ck_assert_uint_eq(hs[s]->n_frames - hs[s]->checked, 20);
		/* a group's members are not in start order: find each by id */
		for (size_t f = hs[s]->checked; f < hs[s]->n_frames; f++) {
			const cJSON *frame = hs[s]->frames[f];
			int i = atoi(cJSON_GetObjectItem(frame, "id")->valuestring);
			ck_assert(cJSON_Compare(cJSON_GetObjectItem(frame, "payload"), expected[i % 4], true));
		}
		hs[s]->checked = hs[s]->n_frames;
	}
	for (int q = 0; q < 4; q++)
		cJSON_Delete(expected[q]);
	ck_assert_uint_eq(deliver("stock.C", event), 0);
	ck_assert_uint_eq(stats().serialisations, 4);
	for (int s = 0; s < 3; s++) {
		h_expect_no_frame(hs[s]);
		harness_free(hs[s]);
	}
	st = stats();
	ck_assert_uint_eq(st.subscriptions, 0);
	ck_assert_uint_eq(st.groups, 0);
	ck_assert_uint_eq(st.topics, 0);
}
END_TEST

START_TEST(bad_event_values_give_graphql_errors_and_the_subscription_goes_on)
{
	harness *h = client(MODERN, NULL);
	subscribe(h, "1", Q_BOTH, "A");
	subscribe(h, "2", Q_QUOTE, "A");
	static const char bad[] = "{\"symbol\":\"A\",\"price\":\"high\"}";
	ck_assert_uint_eq(deliver("stock.A", bad), 2);
	h_drain(h);
	/* newest group first: quote, then stock */
	cJSON *quote = own_projection(Q_QUOTE, "A", bad);
	cJSON *stock = own_projection(Q_BOTH, "A", bad);
	expect_result(h, "2", quote);
	expect_result(h, "1", stock);
	/* graphql-js: the non-null price fails, so does the non-null root */
	cJSON *want = h_json("{'errors':[{'message':'Float cannot represent non numeric value: \\'high\\'',"
			     "'locations':[{'line':1,'column':56}],'path':['stock','price']}],'data':null}");
	ck_assert(cJSON_Compare(stock, want, true));
	cJSON_Delete(want);
	cJSON_Delete(quote);
	cJSON_Delete(stock);
	static const char good[] = "{\"symbol\":\"A\",\"price\":2}";
	ck_assert_uint_eq(deliver("stock.A", good), 2);
	expect_result(h, "2", (want = h_json("{'data':{'quote':{'symbol':'A'}}}")));
	cJSON_Delete(want);
	expect_result(h, "1", (want = h_json("{'data':{'stock':{'symbol':'A','price':2}}}")));
	cJSON_Delete(want);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(an_operation_that_ends_leaves_its_topic_and_empty_topics_are_removed)
{
	harness *h = client(MODERN, NULL);
	size_t empty_bytes = stats().bytes;
	subscribe(h, "1", Q_BOTH, "A");
	ck_assert_int_eq(active_calls[1], 1);
	ck_assert_str_eq(last_active_topic, "stock.A");
	subscribe(h, "2", Q_PRICE, "A");
	subscribe(h, "3", Q_PRICE, "A");
	ck_assert_int_eq(active_calls[1], 1); /* only the first one */
	ck_assert_uint_eq(stats().groups, 2);

	h_send(h, "{'id':'1','type':'complete'}");
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 2);
	ck_assert_uint_eq(stats().groups, 1);
	ck_assert_uint_eq(deliver("stock.A", "{\"price\":1}"), 2);
	h_drain(h);
	h->checked = h->n_frames;
	h_send(h, "{'id':'2','type':'complete'}");
	h_send(h, "{'id':'3','type':'complete'}");
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 0);
	ck_assert_int_eq(active_calls[0], 1);
	ck_assert_str_eq(last_active_topic, "stock.A");
	gqlws_hub_stats st = stats();
	ck_assert_uint_eq(st.topics, 0);
	ck_assert_uint_eq(st.groups, 0);
	ck_assert_uint_eq(st.subscriptions, 0);
	ck_assert_uint_eq(topics->topics.count, 0); /* the record itself is gone */
	ck_assert_uint_eq(st.bytes - (topics->text.cap ? gqlws_alloc_bytes(topics->text.cap) : 0), empty_bytes);
	ck_assert_uint_eq(deliver("stock.A", "{\"price\":1}"), 0);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

/* A client that does not read: its queue goes over send-queue-bytes in the
 * middle of a fan-out and its session closes. Its operations are stopped
 * later (at the transport's next call), the other client gets every event,
 * and nothing is left behind (valgrind and ASan run this too). */
START_TEST(a_session_closing_in_the_middle_of_a_fan_out_harms_no_one)
{
	gqlws_options small;
	harness_quiet_options(&small);
	small.send_queue_bytes = 8 * 1024;
	harness *slow = client(MODERN, &small);
	harness *fast = client(LEGACY, NULL);
	char id[16];
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof id, "%d", i);
		subscribe(slow, id, queries[i % 2], "A");
		subscribe(fast, id, queries[i % 2], "A");
	}
	char event[512];
	snprintf(event, sizeof event, "{\"symbol\":\"%0300d\",\"price\":1}", 7);
	int events = 0;
	while (!gqlws_session_closing(slow->s)) {
		ck_assert_uint_eq(deliver("stock.A", event), 20);
		events++;
		h_drain(fast);
		ck_assert_uint_eq(fast->n_frames - fast->checked, 10);
		fast->checked = fast->n_frames;
		ck_assert_int_lt(events, 100);
	}
	/* stopped only now, at the transport's call */
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 20);
	h_drain(slow);
	slow->checked = slow->n_frames;
	h_expect_close(slow, 1008, "Send queue limit exceeded");
	h_closed(slow);
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 10);
	ck_assert_uint_eq(deliver("stock.A", event), 10);
	h_drain(fast);
	ck_assert_uint_eq(fast->n_frames - fast->checked, 10);
	fast->checked = fast->n_frames;
	harness_free(slow);
	harness_free(fast);
	ck_assert_uint_eq(stats().subscriptions, 0);
}
END_TEST

/* A transport may close another connection from inside on_notify (say,
 * its peer dropped): that connection's operations end, and their cleanups
 * run, right in the middle of the fan-out that made the notification. */
static harness *closed_from_notify;

static void close_the_other_connection(harness *h, unsigned changes)
{
	(void)h;
	(void)changes;
	if (closed_from_notify && !closed_from_notify->closed_by_transport)
		h_closed(closed_from_notify);
}

START_TEST(operations_ending_in_the_middle_of_a_fan_out_are_skipped_and_freed_after_it)
{
	hub_topics_free(topics);
	options.retain = true;
	topics = hub_topics_new(&options);
	harness *a = client(MODERN, NULL);
	harness *b = client(MODERN, NULL);
	harness *c = client(LEGACY, NULL);
	/* a group of b's alone, then (newer, so served first) a group whose
	 * members are, in this order: b1, a1, c1, b2 */
	subscribe(b, "b9", Q_BOTH, "A");
	subscribe(b, "b1", Q_PRICE, "A");
	subscribe(a, "a1", Q_PRICE, "A");
	subscribe(c, "c1", Q_PRICE, "A");
	subscribe(b, "b2", Q_PRICE, "A");
	ck_assert_uint_eq(stats().groups, 2);
	closed_from_notify = b;
	a->on_notify_action = close_the_other_connection;
	/* a1's frame notifies a's transport, which closes b: b2 and b9 end
	 * before their turn (b9's whole group with them), b1 had its frame,
	 * c1 still gets its own */
	ck_assert_uint_eq(deliver("stock.A", "{\"symbol\":\"A\",\"price\":1}"), 3);
	ck_assert(b->closed_by_transport);
	ck_assert_uint_eq(stats().frames, 3);
	ck_assert_uint_eq(stats().serialisations, 1);
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 2);
	ck_assert_ptr_null(topics->dead); /* swept when the fan-out ended */
	ck_assert_uint_eq(stats().groups, 1);
	hub_group *g = hub_topic_find(topics, "stock.A", 7)->groups;
	ck_assert_uint_eq(g->count, 2);
	ck_assert_uint_eq(g->live, 2);
	ck_assert_ptr_nonnull(g->req_payer); /* passed on from b1 */
	ck_assert_ptr_ne(g->req_payer->op, NULL);
	ck_assert_ptr_nonnull(hub_topics_retained(topics, "stock.A", 7));
	a->on_notify_action = NULL;
	cJSON *want = h_json("{'data':{'stock':{'price':1}}}");
	expect_result(a, "a1", want);
	expect_result(c, "c1", want);
	cJSON_Delete(want);
	ck_assert_uint_eq(deliver("stock.A", "{\"price\":2}"), 2);
	harness_free(b);
	harness_free(a);
	harness_free(c);
	closed_from_notify = NULL;
	ck_assert_uint_eq(stats().subscriptions, 0);
	ck_assert_uint_eq(stats().retained_topics, 1);
}
END_TEST

/* The core never ends an operation inside gqlws_op_next_raw, but the hub
 * does not count on it: an operation that ends while a fan-out runs is
 * skipped by it and freed when it is over. */
START_TEST(an_operation_ending_during_a_fan_out_is_skipped_and_freed_after_it)
{
	harness *h = client(MODERN, NULL);
	subscribe(h, "1", Q_PRICE, "A");
	subscribe(h, "2", Q_PRICE, "A");
	subscribe(h, "3", Q_PRICE, "A");
	topics->delivering++; /* as if a fan-out were running */
	h_send(h, "{'id':'2','type':'complete'}");
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.A", 7), 2);
	ck_assert_ptr_nonnull(topics->dead);
	ck_assert_uint_eq(topics->topics.count, 1);
	/* the nested fan-out skips it and does not free it yet */
	ck_assert_uint_eq(deliver("stock.A", "{\"price\":1}"), 2);
	ck_assert_ptr_nonnull(topics->dead);
	topics->delivering--;
	/* the next outermost fan-out frees it */
	ck_assert_uint_eq(deliver("stock.A", "{\"price\":2}"), 2);
	ck_assert_ptr_null(topics->dead);
	hub_group *g = topics->groups.count == 1 ? hub_topic_find(topics, "stock.A", 7)->groups : NULL;
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->count, 2);
	h_drain(h);
	ck_assert_uint_eq(h->n_frames - h->checked, 4);
	for (size_t f = h->checked; f < h->n_frames; f++)
		ck_assert_str_ne(cJSON_GetObjectItem(h->frames[f], "id")->valuestring, "2");
	h->checked = h->n_frames;
	/* the last ones leave while a fan-out runs: the topic waits for it */
	topics->delivering++;
	h_send(h, "{'id':'1','type':'complete'}");
	h_send(h, "{'id':'3','type':'complete'}");
	ck_assert_int_eq(active_calls[0], 1);
	ck_assert_uint_eq(topics->topics.count, 1);
	topics->delivering--;
	ck_assert_uint_eq(deliver("stock.A", "{\"price\":3}"), 0);
	ck_assert_ptr_null(topics->dead);
	ck_assert_uint_eq(topics->topics.count, 0);
	ck_assert_uint_eq(stats().groups, 0);
	harness_free(h);
}
END_TEST

/* A request equal to its group's is freed at once and uncharged: the
 * second subscriber of a selection costs its connection only a listener.
 * The group (request and record) is charged to one member, and passed on
 * when that one leaves. */
START_TEST(an_equal_request_is_freed_and_uncharged)
{
	harness *h = client(MODERN, NULL);
	size_t before = gqlws_session_memory_bytes(h->s);
	subscribe(h, "1", Q_BOTH, "A");
	size_t first = gqlws_session_memory_bytes(h->s) - before;
	subscribe(h, "2", Q_BOTH, "B"); /* same selection, other topic: a group of its own */
	size_t other_topic = gqlws_session_memory_bytes(h->s) - before - first;
	subscribe(h, "3", Q_BOTH, "A");
	size_t joined = gqlws_session_memory_bytes(h->s) - before - first - other_topic;
	hub_group *g = hub_topic_find(topics, "stock.A", 7)->groups;
	ck_assert_uint_gt(g->req_bytes, 1000);
	/* (the session's index of ops may grow or shrink by a few chains) */
	ck_assert_uint_le(other_topic, first + INDEX_SLACK);
	ck_assert_uint_ge(other_topic + INDEX_SLACK, first);
	ck_assert_uint_le(joined + g->charge, first + INDEX_SLACK);
	ck_assert_uint_gt(g->charge, g->req_bytes); /* the group's record too */
	/* the payer leaves: the other member takes the request's charge over */
	size_t with_both = gqlws_session_memory_bytes(h->s);
	h_send(h, "{'id':'1','type':'complete'}");
	ck_assert_ptr_nonnull(g->req_payer);
	size_t after = gqlws_session_memory_bytes(h->s);
	ck_assert_uint_le(after, with_both - first + g->charge + INDEX_SLACK);
	ck_assert_uint_ge(after + INDEX_SLACK, with_both - first + g->charge);
	harness_free(h);
}
END_TEST

START_TEST(a_listener_over_the_connection_budget_is_refused_and_frees_the_request)
{
	harness *h = client(MODERN, NULL);
	subscribe(h, "1", Q_BOTH, "A");
	fake_op *rec = h_live(h, "1");
	gqlws_request req = {.id = "1", .query = Q_BOTH, .query_len = strlen(Q_BOTH), .variables = rec->variables};
	cJSON *errors = NULL;
	gqlws_schema_request *r = gqlws_schema_request_new(schema, &req, NULL, 0, &errors, NULL);
	ck_assert_ptr_nonnull(r);
	/* the caller charged the request; fill the budget, then listen once more */
	ck_assert_int_eq(gqlws_op_charge(rec->op, gqlws_schema_request_bytes(r)), GQLWS_OK);
	size_t room = h->opts.max_connection_bytes - gqlws_session_memory_bytes(h->s);
	ck_assert_int_eq(gqlws_op_charge(rec->op, room - 8), GQLWS_OK);
	ck_assert_int_eq(hub_topics_listen(topics, schema, "stock.Z", 7, rec->op, r), GQLWS_ERR_LIMIT);
	ck_assert_uint_eq(hub_topics_subscribers(topics, "stock.Z", 7), 0);
	ck_assert_uint_eq(topics->topics.count, 1);
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("hub_topics");
	TCase *tc = h_tcase("fan-out");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_serialisation_per_group_and_each_frame_is_the_ops_own_projection);
	tcase_add_test(tc, bad_event_values_give_graphql_errors_and_the_subscription_goes_on);
	tcase_add_test(tc, an_operation_that_ends_leaves_its_topic_and_empty_topics_are_removed);
	tcase_add_test(tc, a_session_closing_in_the_middle_of_a_fan_out_harms_no_one);
	tcase_add_test(tc, operations_ending_in_the_middle_of_a_fan_out_are_skipped_and_freed_after_it);
	tcase_add_test(tc, an_operation_ending_during_a_fan_out_is_skipped_and_freed_after_it);
	tcase_add_test(tc, an_equal_request_is_freed_and_uncharged);
	tcase_add_test(tc, a_listener_over_the_connection_budget_is_refused_and_frees_the_request);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
