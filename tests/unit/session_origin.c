/*
 * session_origin.c - the five scenarios of the origin's test suite (Python
 * subscriptions_transport_ws, tests/test_asyncio/test_protocol.py), ported to
 * the C session. Ids are numbers, as the origin's client sent them; the fake
 * stream yields {"value":v} for v in 0..9 like the origin's fixture.
 *
 * Where lib/PROTOCOL.md differs from the origin, lib/PROTOCOL.md wins: the ack carries no id
 * (Apollo's shape), and one connection_init per connection (the origin's
 * "multiple clients" test sent three on one protocol object; a second one is
 * now a 4429), so that test starts its three operations behind one init.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define STREAM_LENGTH 10

static harness *origin_connect(void)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	ck_assert_int_eq(h_send(h, "{'id':1,'type':'connection_init'}"), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	return h;
}

static void origin_terminate(harness *h)
{
	ck_assert_int_eq(h_send(h, "{'type':'connection_terminate'}"), GQLWS_OK);
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
}

static void start(harness *h, int id)
{
	char text[128];
	snprintf(text, sizeof text, "{\"id\":%d,\"type\":\"start\",\"payload\":{\"query\":\"subscription { value }\"}}", id);
	ck_assert_int_eq(h_recv(h, text), GQLWS_OK);
}

static void yield_value(harness *h, int id, int value)
{
	char id_text[16], result[64];
	snprintf(id_text, sizeof id_text, "%d", id);
	snprintf(result, sizeof result, "{\"value\":%d}", value);
	ck_assert_int_eq(h_next(h, id_text, result), GQLWS_OK);
}

static void expect_value(harness *h, int id, int value)
{
	char expected[128];
	snprintf(expected, sizeof expected, "{'type':'data','id':%d,'payload':{'value':%d}}", id, value);
	h_expect(h, expected);
}

/* The origin's stream awaited between values; here the next value comes when
 * the client has read the previous one (op_drained), as the demo's paced
 * counters do. */
static void stream_at_start(harness *h, fake_op *op)
{
	(void)h;
	gqlws_op_request_drain(op->op);
}

static void stream_on_drain(harness *h, fake_op *op)
{
	int value = op->drained_calls - 1;
	if (value >= STREAM_LENGTH) {
		ck_assert_int_eq(h_complete(h, op->id), GQLWS_OK);
		return;
	}
	char result[64];
	snprintf(result, sizeof result, "{\"value\":%d}", value);
	ck_assert_int_eq(h_next(h, op->id, result), GQLWS_OK);
	gqlws_op_request_drain(op->op);
}

START_TEST(origin_connect_then_terminate)
{
	harness *h = origin_connect();
	origin_terminate(h);
	ck_assert_uint_eq(h_started(h), 0);
	harness_free(h);
}
END_TEST

START_TEST(origin_start_ten_data_then_complete)
{
	harness *h = origin_connect();
	h->on_start = stream_at_start;
	h->on_drained = stream_on_drain;
	start(h, 1);
	gqlws_session_poll_drained(h->s); /* the queue is empty: first value */
	for (int v = 0; v < STREAM_LENGTH; v++)
		expect_value(h, 1, v);
	h_expect(h, "{'type':'complete','id':1}");
	h_expect_no_frame(h);
	h_expect_not_stopped(h, "1");
	origin_terminate(h);
	harness_free(h);
}
END_TEST

START_TEST(origin_three_operations_at_once)
{
	harness *h = origin_connect();
	for (int id = 1; id <= 3; id++)
		start(h, id);
	ck_assert_uint_eq(h_started(h), 3);
	/* Interleave the three streams unevenly, as three tasks would. */
	int next_value[4] = {0, 0, 0, 0};
	static const int order[] = {2, 1, 1, 3, 2, 3, 3, 1, 2, 2, 1, 3};
	for (size_t step = 0; step < 30 * 4; step++) {
		int id = order[step % (sizeof order / sizeof *order)];
		if (next_value[id] < STREAM_LENGTH)
			yield_value(h, id, next_value[id]++);
	}
	for (int id = 1; id <= 3; id++) {
		ck_assert_int_eq(next_value[id], STREAM_LENGTH);
		char id_text[4];
		snprintf(id_text, sizeof id_text, "%d", id);
		ck_assert_int_eq(h_complete(h, id_text), GQLWS_OK);
	}
	/* Each id received all its values, in order, then its complete. */
	int seen[4] = {0, 0, 0, 0};
	int completes = 0;
	h_drain(h);
	while (h->checked < h->n_frames) {
		const cJSON *frame = h_take(h);
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(frame, "id");
		ck_assert(cJSON_IsNumber(id));
		ck_assert(id->valueint >= 1 && id->valueint <= 3);
		char expected[128];
		if (seen[id->valueint] < STREAM_LENGTH) {
			snprintf(expected, sizeof expected, "{'type':'data','id':%d,'payload':{'value':%d}}", id->valueint,
				 seen[id->valueint]);
			seen[id->valueint]++;
		} else {
			snprintf(expected, sizeof expected, "{'type':'complete','id':%d}", id->valueint);
			completes++;
		}
		ck_assert_msg(h_json_matches(expected, frame), "frame out of order for id %d", id->valueint);
	}
	ck_assert_int_eq(completes, 3);
	for (int id = 1; id <= 3; id++)
		ck_assert_int_eq(seen[id], STREAM_LENGTH);
	origin_terminate(h);
	harness_free(h);
}
END_TEST

START_TEST(origin_start_one_data_stop_then_complete)
{
	harness *h = origin_connect();
	start(h, 1);
	yield_value(h, 1, 0);
	expect_value(h, 1, 0);
	ck_assert_int_eq(h_send(h, "{'id':1,'type':'stop'}"), GQLWS_OK);
	h_expect_stopped(h, "1");
	h_expect(h, "{'type':'complete','id':1}");
	h_expect_no_frame(h);
	origin_terminate(h);
	harness_free(h);
}
END_TEST

START_TEST(origin_forced_disconnect_mid_stream)
{
	harness *h = origin_connect();
	h->on_start = stream_at_start;
	h->on_drained = stream_on_drain;
	start(h, 1);
	uint64_t serial = h_live(h, "1")->serial;
	gqlws_session_poll_drained(h->s);
	/* The client reads exactly one value; taking it makes the stream
	 * produce the next one. */
	size_t len = 0;
	unsigned char *frame = gqlws_session_peek_frame(h->s, &len);
	ck_assert_ptr_nonnull(frame);
	cJSON *first = cJSON_ParseWithLength((const char *)frame, len);
	ck_assert(h_json_matches("{'type':'data','id':1,'payload':{'value':0}}", first));
	cJSON_Delete(first);
	gqlws_session_frame_sent(h->s);
	ck_assert_int_eq(h_live(h, "1")->drained_calls, 2);

	/* The socket goes away under the stream (the origin closed it with
	 * 1011): the executor is told to stop, and nothing is sent after. */
	h_closed(h);
	h_expect_stopped(h, "1");
	ck_assert_ptr_null(gqlws_session_find_op(h->s, serial));
	size_t queued = gqlws_session_queued_bytes(h->s);
	ck_assert_int_eq(h_send(h, "{'id':2,'type':'start','payload':{'query':'{ a }'}}"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(h_send(h, "{'type':'connection_terminate'}"), GQLWS_ERR_CLOSED);
	gqlws_session_poll_drained(h->s);
	h_advance(h, 60000);
	ck_assert_uint_le(gqlws_session_queued_bytes(h->s), queued);
	ck_assert_uint_eq(h_started(h), 1);
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_origin");
	TCase *tc = h_tcase("origin scenarios");
	tcase_add_test(tc, origin_connect_then_terminate);
	tcase_add_test(tc, origin_start_ten_data_then_complete);
	tcase_add_test(tc, origin_three_operations_at_once);
	tcase_add_test(tc, origin_start_one_data_stop_then_complete);
	tcase_add_test(tc, origin_forced_disconnect_mid_stream);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
