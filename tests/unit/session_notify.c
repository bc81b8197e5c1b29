/*
 * The notifications a session gives its transport (gqlws.h, "notifications
 * to the transport"): one on_notify per outermost call that changed
 * something, none otherwise; a write asked for whenever something waits for
 * one; a close announced once; a moved deadline delivered with its value.
 * The harness's fake transport also checks, in every other test, that what
 * it was told is enough (a frame never waits without a write asked for, and
 * the deadline it knows is the session's).
 */
#include <stdio.h>

#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

static void subscribe(harness *h, const char *id)
{
	ck_assert_int_eq(h_start_subscription(h, id), GQLWS_OK);
}

/* Takes one frame as a transport does at one write. */
static void take_one_frame(harness *h)
{
	size_t len;
	ck_assert_ptr_nonnull(gqlws_session_peek_frame(h->s, &len));
	h->write_wanted = false;
	gqlws_session_frame_sent(h->s);
}

START_TEST(nothing_is_notified_by_new_or_by_calls_that_change_nothing)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	ck_assert_int_eq(h->notify_calls, 0);
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h->notify_calls, 1);
	h_expect(h, "{'type':'connection_ack'}");
	int calls = h->notify_calls;
	/* A pong needs no answer; an empty queue has nothing to drain; no
	 * timer is due; a subscription that has not published yet. */
	ck_assert_int_eq(h_send(h, "{'type':'pong'}"), GQLWS_OK);
	gqlws_session_poll_drained(h->s);
	h_advance(h, 50);
	subscribe(h, "1");
	ck_assert_int_eq(h->notify_calls, calls);
	/* The first result is news; a second one behind it is not. */
	h_next(h, "1", "{'data':{'v':1}}");
	ck_assert_int_eq(h->notify_calls, calls + 1);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE);
	h_next(h, "1", "{'data':{'v':2}}");
	ck_assert_int_eq(h->notify_calls, calls + 1);
	harness_free(h);
}
END_TEST

static void publish_three_then_complete(harness *h, fake_op *op)
{
	int calls = h->notify_calls;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(h_next(h, op->id, "{'data':{'v':1}}"), GQLWS_OK);
	ck_assert_int_eq(h_complete(h, op->id), GQLWS_OK);
	/* Calls made inside a callback add to the outer call's notification. */
	ck_assert_int_eq(h->notify_calls, calls);
}

START_TEST(one_notification_for_a_call_whose_callbacks_queue_many_frames)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, NULL);
		int calls = h->notify_calls;
		h->on_start = publish_three_then_complete;
		subscribe(h, "1");
		ck_assert_int_eq(h->notify_calls, calls + 1);
		ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE);
		harness_free(h);
	}
}
END_TEST

START_TEST(each_frame_taken_asks_for_the_next_write_while_frames_are_left)
{
	harness *h = harness_acknowledged(LEGACY, NULL);
	subscribe(h, "1");
	for (int i = 0; i < 3; i++)
		h_next(h, "1", "{'data':{'v':1}}");
	int calls = h->notify_calls;
	take_one_frame(h);
	ck_assert_int_eq(h->notify_calls, calls + 1);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE);
	take_one_frame(h);
	ck_assert_int_eq(h->notify_calls, calls + 2);
	take_one_frame(h);
	/* The queue is empty and the session open: nothing to write. */
	ck_assert_int_eq(h->notify_calls, calls + 2);
	ck_assert(!h->write_wanted);
	harness_free(h);
}
END_TEST

START_TEST(a_close_is_notified_once_then_a_write_when_it_falls_due)
{
	/* graphql-ws refuses an init with connection_error, then close 1011. */
	harness *h = harness_new(LEGACY, NULL, INIT_REJECT);
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h->notify_calls, 1);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_CLOSE);
	/* The frame waits before the close; taking it leaves the close due. */
	take_one_frame(h);
	ck_assert_int_eq(h->notify_calls, 2);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE);
	/* A closing session ignores what still comes, and says nothing. */
	ck_assert_int_eq(h_send(h, "{'type':'connection_init'}"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(gqlws_session_message_size(h->s, 1u << 30), GQLWS_ERR_CLOSED);
	gqlws_session_shutdown(h->s);
	h_advance(h, 100000);
	ck_assert_int_eq(h->notify_calls, 2);
	ck_assert_int_eq(h->close_notices, 1);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(a_close_with_nothing_queued_is_notified_with_its_write)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	int calls = h->notify_calls;
	h_send(h, "{'type':'oops'}");
	ck_assert_int_eq(h->notify_calls, calls + 1);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_CLOSE);
	h_expect_close(h, 4400, NULL);
	harness_free(h);
}
END_TEST

START_TEST(a_moved_deadline_is_notified_with_its_new_value)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	opts.init_timeout_ms = 3000;
	opts.keepalive_ms = 10000;
	harness *h = harness_new(MODERN, &opts, INIT_ACCEPT);
	/* The first deadline is read after new, not notified. */
	ck_assert_uint_eq(h->known_deadline, 1000 + 3000);
	ck_assert_int_eq(h->notify_calls, 0);
	h_advance(h, 500); /* before the deadline: nothing */
	ck_assert_int_eq(h->notify_calls, 0);
	/* The ack ends the init timeout and starts the keep-alive. */
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h->notify_calls, 1);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_DEADLINE);
	ck_assert_uint_eq(h->known_deadline, 1500 + 10000);
	h_expect(h, "{'type':'connection_ack'}");
	/* The ping moves the keep-alive on. */
	h_advance(h, 10000);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_DEADLINE);
	ck_assert_uint_eq(h->known_deadline, 11500 + 10000);
	h_expect(h, "{'type':'ping'}");
	/* A close leaves no timer. */
	h_send(h, "{'type':'oops'}");
	ck_assert_uint_eq(h->last_changes,
			  GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_CLOSE | GQLWS_NOTIFY_DEADLINE);
	ck_assert_uint_eq(h->known_deadline, 0);
	harness_free(h);
}
END_TEST

START_TEST(an_init_timeout_is_notified_as_a_close_and_no_deadline)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_new((gqlws_subprotocol)proto, &opts, INIT_ACCEPT);
		ck_assert_uint_eq(h->known_deadline, 4000);
		h_advance(h, 3000);
		ck_assert_int_eq(h->notify_calls, 1);
		ck_assert_uint_eq(h->last_changes,
				  GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_CLOSE | GQLWS_NOTIFY_DEADLINE);
		ck_assert_uint_eq(h->known_deadline, 0);
		h_expect_close(h, 4408, "Connection initialisation timeout");
		harness_free(h);
	}
}
END_TEST

START_TEST(nothing_is_notified_after_the_transport_closed)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	subscribe(h, "1");
	h_next(h, "1", "{'data':{'v':1}}");
	int calls = h->notify_calls;
	/* The queue is dropped and the op stopped, all without a word. */
	h_closed(h);
	h_expect_stopped(h, "1");
	ck_assert_int_eq(h_send(h, "{'type':'ping'}"), GQLWS_ERR_CLOSED);
	gqlws_session_shutdown(h->s);
	gqlws_session_poll_drained(h->s);
	ck_assert_int_eq(h->notify_calls, calls);
	harness_free(h);
}
END_TEST

START_TEST(an_init_answered_later_is_its_own_notification)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h->notify_calls, 0);
	subscribe(h, "1"); /* held until the init is answered */
	ck_assert_int_eq(h->notify_calls, 0);
	h->on_start = publish_three_then_complete;
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	/* The ack and the held start's frames: one notification. */
	ck_assert_int_eq(h->notify_calls, 1);
	ck_assert_uint_eq(h->last_changes, GQLWS_NOTIFY_WRITE);
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_notify");
	TCase *tc = h_tcase("notify");
	tcase_add_test(tc, nothing_is_notified_by_new_or_by_calls_that_change_nothing);
	tcase_add_test(tc, one_notification_for_a_call_whose_callbacks_queue_many_frames);
	tcase_add_test(tc, each_frame_taken_asks_for_the_next_write_while_frames_are_left);
	tcase_add_test(tc, a_close_is_notified_once_then_a_write_when_it_falls_due);
	tcase_add_test(tc, a_close_with_nothing_queued_is_notified_with_its_write);
	tcase_add_test(tc, a_moved_deadline_is_notified_with_its_new_value);
	tcase_add_test(tc, an_init_timeout_is_notified_as_a_close_and_no_deadline);
	tcase_add_test(tc, nothing_is_notified_after_the_transport_closed);
	tcase_add_test(tc, an_init_answered_later_is_its_own_notification);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
