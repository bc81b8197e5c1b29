/*
 * session_memory.c - the memory one connection can make the core hold
 * (gqlws.h, "memory per connection"): the send queue counted at heap cost,
 * its small bound before the ack, max-connection-bytes over operations and
 * executor charges, and what each refusal looks like on the wire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

/* What one queued frame with a payload under 256 bytes takes without
 * transport headroom: a 24-byte header and 256 bytes of capacity, rounded
 * as glibc rounds them. */
#define SMALL_FRAME_COST 288

/* ------------------------------------------------------------ accounting */

START_TEST(alloc_bytes_rounds_as_the_allocator_does)
{
	ck_assert_uint_eq(gqlws_alloc_bytes(0), 32);
	ck_assert_uint_eq(gqlws_alloc_bytes(15), 32);
	ck_assert_uint_eq(gqlws_alloc_bytes(24), 32);
	ck_assert_uint_eq(gqlws_alloc_bytes(25), 48);
	ck_assert_uint_eq(gqlws_alloc_bytes(280), 288);
	ck_assert_uint_eq(gqlws_alloc_bytes((size_t)-1), (size_t)-1);
}
END_TEST

START_TEST(json_bytes_counts_every_node_string_and_key)
{
	cJSON *tree = h_json("{'a':[1,2],'bb':'xyz'}");
	size_t node = gqlws_alloc_bytes(sizeof(cJSON));
	/* object, array, two numbers, string; keys "a" and "bb"; value "xyz" */
	ck_assert_uint_eq(gqlws_json_bytes(tree),
			  5 * node + gqlws_alloc_bytes(2) + gqlws_alloc_bytes(3) + gqlws_alloc_bytes(4));
	ck_assert_uint_eq(gqlws_json_bytes(NULL), 0);
	cJSON_Delete(tree);
}
END_TEST

START_TEST(option_max_connection_bytes_default_and_bounds)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	ck_assert_uint_eq(opts.max_connection_bytes, 8388608);
	ck_assert(gqlws_options_known("max-connection-bytes"));
	ck_assert_int_eq(gqlws_options_set(&opts, "max-connection-bytes", "1048576", NULL), GQLWS_OK);
	ck_assert_uint_eq(opts.max_connection_bytes, 1048576);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-connection-bytes", "1000", NULL), GQLWS_ERR_INVALID);
	ck_assert_str_eq(gqlws_strerror(GQLWS_ERR_LIMIT), "connection memory limit exceeded");
}
END_TEST

/* ------------------------------------------------------------ send queue */

/* A client that never reads, after the ack: small results are counted at
 * what they take from the heap, so a queue bound bounds the heap. */
START_TEST(queue_counts_small_frames_at_their_heap_cost)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		gqlws_options opts;
		harness_quiet_options(&opts);
		opts.send_queue_bytes = 64 * 1024;
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, &opts);
		ck_assert_int_eq(h_start_subscription(h, "1"), GQLWS_OK);
		size_t base = gqlws_session_memory_bytes(h->s);
		int queued = 0;
		while (h_next(h, "1", "{'data':{'s':1}}") == GQLWS_OK)
			queued++;
		/* 64 KiB / 288 bytes: 227 frames, not 64 KiB / 40 = 1600. */
		ck_assert_int_eq(queued, 64 * 1024 / SMALL_FRAME_COST);
		ck_assert_uint_le(gqlws_session_peak_memory_bytes(h->s), base + 64 * 1024);
		h_drain(h);
		h->checked = h->n_frames;
		h_expect_close(h, 1008, "Send queue limit exceeded");
		harness_free(h);
	}
}
END_TEST

/* graphql-transport-ws answers ping before connection_init: a client that
 * never reads gets a few pongs queued, then close 1008. */
START_TEST(pings_before_the_ack_are_bounded_by_the_pre_ack_queue)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	size_t base = gqlws_session_memory_bytes(h->s);
	int answered = 0;
	while (!gqlws_session_closing(h->s) && answered < 100000) {
		ck_assert_int_eq(h_send(h, "{'type':'ping'}"), GQLWS_OK);
		if (!gqlws_session_closing(h->s))
			answered++;
	}
	ck_assert_int_eq(answered, GQLWS_PRE_ACK_QUEUE_BYTES / SMALL_FRAME_COST);
	ck_assert_uint_le(gqlws_session_peak_memory_bytes(h->s), base + GQLWS_PRE_ACK_QUEUE_BYTES);
	/* What was queued is dropped: the client is not reading it. */
	ck_assert_uint_eq(gqlws_session_queued_bytes(h->s), 0);
	h_expect_close(h, 1008, "Send queue limit exceeded");
	harness_free(h);
}
END_TEST

START_TEST(a_few_pings_before_the_ack_are_answered)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	for (int i = 0; i < 20; i++)
		h_send(h, "{'type':'ping'}");
	h_expect_open(h);
	for (int i = 0; i < 20; i++)
		h_expect(h, "{'type':'pong'}");
	/* Read meanwhile, the client may ping as often as it likes. */
	for (int i = 0; i < 1000; i++) {
		h_send(h, "{'type':'ping'}");
		h_expect(h, "{'type':'pong'}");
	}
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* graphql-ws answers bad messages before the init with connection_error and
 * keeps the connection: the same bound applies. */
START_TEST(legacy_errors_before_the_ack_are_bounded_by_the_pre_ack_queue)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	int answered = 0;
	while (!gqlws_session_closing(h->s) && answered < 100000) {
		h_recv(h, "not json");
		if (!gqlws_session_closing(h->s))
			answered++;
	}
	ck_assert_int_eq(answered, GQLWS_PRE_ACK_QUEUE_BYTES / SMALL_FRAME_COST);
	h_expect_close(h, 1008, "Send queue limit exceeded");
	harness_free(h);
}
END_TEST

/* The ack ends the small bound, and is not held to it itself: the hook's
 * payload is the server's own. */
START_TEST(the_ack_lifts_the_pre_ack_bound)
{
	char payload[40000];
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT_PAYLOAD);
	snprintf(payload, sizeof payload, "{\"big\":\"%0*d\"}", 30000, 0);
	h->ack_payload = h_json(payload);
	h_send(h, "{'type':'connection_init'}");
	h_expect_open(h);
	h_expect(h, "{'type':'connection_ack','payload':{'big':'<string>'}}");
	harness_free(h);
}
END_TEST

/* ----------------------------------------------------- connection budget */

static size_t charge_per_op;

static void charge_or_fail(harness *h, fake_op *op)
{
	int rc = gqlws_op_charge(op->op, charge_per_op);
	if (rc == GQLWS_ERR_LIMIT)
		ck_assert_int_eq(h_fail(h, op->id, GQLWS_MEMORY_LIMIT_MESSAGE), GQLWS_OK);
	else
		ck_assert_int_eq(rc, GQLWS_OK);
}

START_TEST(start_over_the_budget_gets_an_operation_error)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		gqlws_options opts;
		harness_quiet_options(&opts);
		opts.max_connection_bytes = 4 * 1024 * 1024;
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, &opts);
		h->on_start = charge_or_fail;
		charge_per_op = 1024 * 1024;
		for (int i = 1; i <= 3; i++) {
			char id[8];
			snprintf(id, sizeof id, "%d", i);
			h_start_subscription(h, id);
			h_live(h, id);
		}
		h_expect_no_frame(h);
		/* The fourth megabyte does not fit beside the session and queue. */
		h_start_subscription(h, "4");
		ck_assert(!h_op(h, "4")->live);
		h_expect(h, proto == LEGACY
				    ? "{'type':'error','id':'4','payload':{'message':'Connection memory limit exceeded'}}"
				    : "{'id':'4','type':'error','payload':[{'message':'Connection memory limit exceeded'}]}");
		h_expect_open(h);
		/* An operation that ends gives its charge back. */
		size_t before = gqlws_session_memory_bytes(h->s);
		ck_assert_int_eq(h_complete(h, "1"), GQLWS_OK);
		h_drain(h);
		h->checked = h->n_frames;
		ck_assert_uint_le(gqlws_session_memory_bytes(h->s), before - charge_per_op);
		h_start_subscription(h, "5");
		h_live(h, "5");
		h_expect_open(h);
		harness_free(h);
	}
}
END_TEST

static void charge_everything(harness *h, fake_op *op)
{
	(void)h;
	ck_assert_int_eq(gqlws_op_charge(op->op, charge_per_op), GQLWS_OK);
}

static void charge_all_that_is_left(harness *h, fake_op *op)
{
	size_t left = h->opts.max_connection_bytes - gqlws_session_memory_bytes(h->s);
	ck_assert_int_eq(gqlws_op_charge(op->op, left), GQLWS_OK);
	ck_assert_int_eq(gqlws_op_charge(op->op, 1), GQLWS_ERR_LIMIT);
}

/* With the budget spent to the last byte, not even the answer to a start
 * fits: the start never reaches the executor and the connection closes as a
 * queue over the budget does. */
START_TEST(start_with_the_budget_spent_closes_1008_before_the_executor)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		gqlws_options opts;
		harness_quiet_options(&opts);
		opts.max_connection_bytes = 1024 * 1024;
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, &opts);
		h->on_start = charge_all_that_is_left;
		h_start_subscription(h, "1");
		h_live(h, "1");
		h->on_start = NULL;
		h_start_subscription(h, "2");
		ck_assert_ptr_null(h_op(h, "2"));
		ck_assert_uint_eq(h_started(h), 1);
		h_expect_close(h, 1008, "Connection memory limit exceeded");
		h_closed(h);
		h_expect_stopped(h, "1");
		harness_free(h);
	}
}
END_TEST

/* A queue that would take the connection over its budget closes 1008,
 * even when send-queue-bytes alone would allow it. */
START_TEST(queue_over_the_budget_closes_1008)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		gqlws_options opts;
		harness_quiet_options(&opts);
		opts.max_connection_bytes = 1024 * 1024;
		opts.send_queue_bytes = 1024 * 1024;
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, &opts);
		h->on_start = charge_everything;
		charge_per_op = 1024 * 1024 - 64 * 1024;
		h_start_subscription(h, "1");
		int queued = 0;
		while (h_next(h, "1", "{'data':{'s':1}}") == GQLWS_OK)
			queued++;
		ck_assert_int_lt(queued, 64 * 1024 / SMALL_FRAME_COST);
		ck_assert_uint_le(gqlws_session_peak_memory_bytes(h->s), 1024 * 1024);
		h_drain(h);
		h->checked = h->n_frames;
		h_expect_close(h, 1008, "Connection memory limit exceeded");
		h_closed(h);
		h_expect_stopped(h, "1");
		harness_free(h);
	}
}
END_TEST

/* graphql-ws holds starts that arrive while an init is pending: their
 * payloads count, and one over the budget gets an error for its id. */
START_TEST(held_starts_count_towards_the_budget)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_connection_bytes = 256 * 1024;
	harness *h = harness_new(LEGACY, &opts, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	static char big[80000];
	int held = 0, refused = 0;
	for (int i = 0; i < 10; i++) {
		snprintf(big, sizeof big,
			 "{\"id\":\"%d\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { s }\",\"variables\":{\"v\":\"%0*d\"}}}",
			 i, 60000, 0);
		h_recv(h, big);
	}
	h_drain(h);
	while (h->checked < h->n_frames) {
		ck_assert(h_json_matches("{'type':'error','id':'<string>','payload':{'message':'Connection memory limit exceeded'}}",
					 h_take(h)));
		refused++;
	}
	held = 10 - refused;
	ck_assert_int_eq(held, 4); /* 4 x ~60 KB within 256 KiB */
	ck_assert_uint_le(gqlws_session_peak_memory_bytes(h->s), 256 * 1024);
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	ck_assert_uint_eq(h_started(h), 4);
	harness_free(h);
}
END_TEST

START_TEST(memory_returns_to_the_session_alone_when_ops_end)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	size_t base = gqlws_session_memory_bytes(h->s);
	h->on_start = charge_everything;
	charge_per_op = 10000;
	for (int i = 0; i < 50; i++) {
		char id[8];
		snprintf(id, sizeof id, "%d", i);
		h_start_subscription(h, id);
	}
	ck_assert_uint_gt(gqlws_session_memory_bytes(h->s), base + 50 * 10000);
	for (int i = 0; i < 50; i++) {
		char id[8];
		snprintf(id, sizeof id, "%d", i);
		char text[64];
		snprintf(text, sizeof text, "{\"id\":\"%s\",\"type\":\"complete\"}", id);
		if (i % 2)
			h_complete(h, id); /* ended by the executor */
		else
			h_recv(h, text);   /* stopped by the client */
	}
	h_drain(h);
	h->checked = h->n_frames;
	/* What stays is the session and its few recycled frames. */
	ck_assert_uint_le(gqlws_session_memory_bytes(h->s), base + 16 * SMALL_FRAME_COST);
	ck_assert_uint_gt(gqlws_session_peak_memory_bytes(h->s), base + 50 * 10000);
	harness_free(h);
}
END_TEST

START_TEST(charge_after_the_op_ended_is_a_state_error)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	h_start_subscription(h, "1");
	fake_op *op = h_live(h, "1");
	ck_assert_int_eq(gqlws_op_charge(op->op, 100), GQLWS_OK);
	gqlws_op_uncharge(op->op, 1000); /* more than charged: releases 100 */
	ck_assert_int_eq(gqlws_op_charge(NULL, 1), GQLWS_ERR_INVALID);
	ck_assert_int_eq(gqlws_op_charge(op->op, (size_t)-1), GQLWS_ERR_LIMIT);
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_memory");
	TCase *tc = h_tcase("memory per connection");
	tcase_add_test(tc, alloc_bytes_rounds_as_the_allocator_does);
	tcase_add_test(tc, json_bytes_counts_every_node_string_and_key);
	tcase_add_test(tc, option_max_connection_bytes_default_and_bounds);
	tcase_add_test(tc, queue_counts_small_frames_at_their_heap_cost);
	tcase_add_test(tc, pings_before_the_ack_are_bounded_by_the_pre_ack_queue);
	tcase_add_test(tc, a_few_pings_before_the_ack_are_answered);
	tcase_add_test(tc, legacy_errors_before_the_ack_are_bounded_by_the_pre_ack_queue);
	tcase_add_test(tc, the_ack_lifts_the_pre_ack_bound);
	tcase_add_test(tc, start_over_the_budget_gets_an_operation_error);
	tcase_add_test(tc, start_with_the_budget_spent_closes_1008_before_the_executor);
	tcase_add_test(tc, queue_over_the_budget_closes_1008);
	tcase_add_test(tc, held_starts_count_towards_the_budget);
	tcase_add_test(tc, memory_returns_to_the_session_alone_when_ops_end);
	tcase_add_test(tc, charge_after_the_op_ended_is_a_state_error);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
