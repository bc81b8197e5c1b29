/*
 * What a transport that bounds the send queues of all its connections
 * together gets from a session (gqlws.h): with notify_queue, every change of
 * the queue's heap is told (GQLWS_NOTIFY_QUEUE) and read with
 * gqlws_session_queued_heap_bytes(); gqlws_session_evict() drops the queue
 * at once and requests 1008 with the transport's reason, and never stops an
 * operation inside the call, so it is safe from inside any callback, the
 * session's own on_notify included.
 */
#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

static const char reason[] = "Server send queue limit exceeded";

static harness *told(gqlws_subprotocol proto)
{
	gqlws_options opts;

	harness_quiet_options(&opts);
	opts.notify_queue = true;
	return harness_acknowledged(proto, &opts);
}

static void take_one_frame(harness *h)
{
	size_t len;

	ck_assert_ptr_nonnull(gqlws_session_peek_frame(h->s, &len));
	h->write_wanted = false;
	gqlws_session_frame_sent(h->s);
}

START_TEST(every_change_of_the_queue_heap_is_told_when_asked)
{
	harness *h = told(MODERN);
	int notices;
	size_t one;

	ck_assert_int_eq(h_start_subscription(h, "1"), GQLWS_OK);
	notices = h->queue_notices;
	h_next(h, "1", "{'data':{'v':1}}");
	one = gqlws_session_queued_heap_bytes(h->s);
	ck_assert_uint_gt(one, 0);
	ck_assert_int_eq(h->queue_notices, notices + 1);
	ck_assert_uint_eq(h->known_queue_heap, one);
	/* Told also behind a frame already waiting (no write is news then). */
	h_next(h, "1", "{'data':{'v':2}}");
	ck_assert_int_eq(h->queue_notices, notices + 2);
	ck_assert_uint_eq(h->known_queue_heap, 2 * one);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_QUEUE);
	take_one_frame(h);
	ck_assert_uint_eq(h->known_queue_heap, one);
	take_one_frame(h);
	ck_assert_uint_eq(h->known_queue_heap, 0);
	ck_assert_int_eq(h->queue_notices, notices + 4);
	harness_free(h);
}
END_TEST

START_TEST(the_queue_heap_is_not_told_unless_asked)
{
	harness *h = harness_acknowledged(LEGACY, NULL);

	ck_assert_int_eq(h_start_subscription(h, "1"), GQLWS_OK);
	h_next(h, "1", "{'data':{'v':1}}");
	h_next(h, "1", "{'data':{'v':2}}");
	h_drain(h);
	ck_assert_int_eq(h->queue_notices, 0); /* the harness fails any told */
	ck_assert_uint_eq(gqlws_session_queued_heap_bytes(h->s), 0);
	harness_free(h);
}
END_TEST

START_TEST(evict_drops_the_queue_at_once_and_closes_1008_with_the_reason)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = told((gqlws_subprotocol)proto);

		ck_assert_int_eq(h_start_subscription(h, "1"), GQLWS_OK);
		for (int i = 0; i < 3; i++)
			h_next(h, "1", "{'data':{'v':1}}");
		ck_assert_uint_gt(h->known_queue_heap, 0);
		ck_assert_int_eq(gqlws_session_evict(h->s, reason), GQLWS_OK);
		/* Nothing of the queue is left, and the transport was told so. */
		ck_assert_uint_eq(gqlws_session_queued_heap_bytes(h->s), 0);
		ck_assert_uint_eq(h->known_queue_heap, 0);
		ck_assert_int_eq(h->close_notices, 1);
		ck_assert(h->write_wanted);
		h_expect_close(h, 1008, reason);
		/* The operation stops at the transport's next call, not inside. */
		h_expect_not_stopped(h, "1");
		ck_assert_int_eq(h_next(h, "1", "{'data':{'v':2}}"), GQLWS_ERR_CLOSED);
		h_closed(h);
		h_expect_stopped(h, "1");
		harness_free(h);
	}
}
END_TEST

/* An executor that evicts its own session while publishing, as the plugin
 * does from a callback of another session. */
static void evict_while_starting(harness *h, fake_op *op)
{
	ck_assert_int_eq(gqlws_session_evict(h->s, reason), GQLWS_OK);
	ck_assert_int_eq(op->stop_calls, 0);
}

START_TEST(evict_never_stops_an_operation_inside_a_callback)
{
	harness *h = told(LEGACY);

	h->on_start = evict_while_starting;
	ck_assert_int_eq(h_start_subscription(h, "1"), GQLWS_OK);
	ck_assert_int_eq(h->stops_inside_op_call, 0);
	/* Once the transport's call returned, the stop was made. */
	h_expect_stopped(h, "1");
	h_expect_close(h, 1008, reason);
	harness_free(h);
}
END_TEST

/* The plugin finds, while told of a queue change, that this very session
 * has the largest queue of the vhost. */
static size_t evict_at_heap;

static void evict_at_threshold(harness *h, unsigned changes)
{
	if ((changes & GQLWS_NOTIFY_QUEUE) && !gqlws_session_closing(h->s) &&
	    h->known_queue_heap >= evict_at_heap)
		ck_assert_int_eq(gqlws_session_evict(h->s, reason), GQLWS_OK);
}

START_TEST(evict_from_its_own_on_notify_is_told_by_a_second_notification)
{
	harness *h = told(MODERN);
	int calls;

	ck_assert_int_eq(h_start_subscription(h, "1"), GQLWS_OK);
	h_next(h, "1", "{'data':{'v':1}}");
	evict_at_heap = 3 * gqlws_session_queued_heap_bytes(h->s);
	h->on_notify_action = evict_at_threshold;
	h_next(h, "1", "{'data':{'v':2}}");
	ck_assert(!gqlws_session_closing(h->s));
	calls = h->notify_calls;
	h_next(h, "1", "{'data':{'v':3}}");
	/* The frame's own notification, then the eviction's. */
	ck_assert_int_eq(h->notify_calls, calls + 2);
	ck_assert_int_eq(h->close_notices, 1);
	ck_assert(h->write_wanted);
	ck_assert_uint_eq(h->known_queue_heap, 0);
	h->on_notify_action = NULL;
	h_expect_close(h, 1008, reason);
	h_expect_not_stopped(h, "1");
	h_closed(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

START_TEST(evict_of_a_closing_session_drops_its_queue_and_keeps_its_close)
{
	gqlws_options opts;
	harness *h;

	harness_quiet_options(&opts);
	opts.notify_queue = true;
	/* graphql-ws refuses an init with connection_error, then close 1011:
	 * the frame waits in front of the close. */
	h = harness_new(LEGACY, &opts, INIT_REJECT);
	h->init_message = "Invalid token";
	h_send(h, "{'type':'connection_init'}");
	ck_assert_uint_gt(h->known_queue_heap, 0);
	h->write_wanted = false;
	ck_assert_int_eq(gqlws_session_evict(h->s, reason), GQLWS_ERR_CLOSED);
	ck_assert_uint_eq(h->known_queue_heap, 0);
	/* The close is due at once, and a write was asked for to hand it over. */
	ck_assert(h->write_wanted);
	ck_assert(gqlws_session_close_due(h->s, NULL, NULL, NULL));
	h_expect_close(h, 1011, "Invalid token");
	harness_free(h);
}
END_TEST

START_TEST(evict_after_the_connection_is_gone_does_nothing)
{
	harness *h = told(MODERN);
	int calls;

	h_closed(h);
	calls = h->notify_calls;
	ck_assert_int_eq(gqlws_session_evict(h->s, reason), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(gqlws_session_evict(NULL, reason), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(h->notify_calls, calls);
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_evict");
	TCase *tc = h_tcase("evict");

	tcase_add_test(tc, every_change_of_the_queue_heap_is_told_when_asked);
	tcase_add_test(tc, the_queue_heap_is_not_told_unless_asked);
	tcase_add_test(tc, evict_drops_the_queue_at_once_and_closes_1008_with_the_reason);
	tcase_add_test(tc, evict_never_stops_an_operation_inside_a_callback);
	tcase_add_test(tc, evict_from_its_own_on_notify_is_told_by_a_second_notification);
	tcase_add_test(tc, evict_of_a_closing_session_drops_its_queue_and_keeps_its_close);
	tcase_add_test(tc, evict_after_the_connection_is_gone_does_nothing);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
