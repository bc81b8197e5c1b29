/*
 * session_lifecycle.c - everything around the protocol rows: options parsing,
 * names and status texts, teardown (destroy, closed, shutdown, too large),
 * re-entrant callbacks, drain pacing, serials, raw results and frame headroom.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

static void start_op(harness *h, const char *id)
{
	ck_assert_int_eq(h_start_subscription(h, id), GQLWS_OK);
	h_live(h, id);
}

/* --------------------------------------------------------------- options */

START_TEST(options_defaults)
{
	gqlws_options opts;
	memset(&opts, 0x5a, sizeof opts);
	gqlws_options_init(&opts);
	ck_assert_uint_eq(opts.keepalive_ms, 10000);
	ck_assert_uint_eq(opts.init_timeout_ms, 3000);
	ck_assert_uint_eq(opts.max_message_bytes, 1048576);
	ck_assert_uint_eq(opts.max_operations, 100);
	ck_assert_uint_eq(opts.max_id_bytes, 128);
	ck_assert_uint_eq(opts.send_queue_bytes, 1048576);
	ck_assert_uint_eq(opts.frame_headroom, 0);
}
END_TEST

START_TEST(options_set_every_name)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	const char *why = "untouched";
	ck_assert_int_eq(gqlws_options_set(&opts, "keepalive-ms", "2500", &why), GQLWS_OK);
	ck_assert_int_eq(gqlws_options_set(&opts, "init-timeout-ms", "700", &why), GQLWS_OK);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-message-bytes", "65536", &why), GQLWS_OK);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-operations", "7", &why), GQLWS_OK);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-id-bytes", "32", &why), GQLWS_OK);
	ck_assert_int_eq(gqlws_options_set(&opts, "send-queue-bytes", "4096", NULL), GQLWS_OK);
	ck_assert_uint_eq(opts.keepalive_ms, 2500);
	ck_assert_uint_eq(opts.init_timeout_ms, 700);
	ck_assert_uint_eq(opts.max_message_bytes, 65536);
	ck_assert_uint_eq(opts.max_operations, 7);
	ck_assert_uint_eq(opts.max_id_bytes, 32);
	ck_assert_uint_eq(opts.send_queue_bytes, 4096);
	ck_assert_uint_eq(opts.frame_headroom, 0);
}
END_TEST

START_TEST(options_zero_turns_timers_off)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	ck_assert_int_eq(gqlws_options_set(&opts, "keepalive-ms", "0", NULL), GQLWS_OK);
	ck_assert_int_eq(gqlws_options_set(&opts, "init-timeout-ms", "0", NULL), GQLWS_OK);
	ck_assert_uint_eq(opts.keepalive_ms, 0);
	ck_assert_uint_eq(opts.init_timeout_ms, 0);
	harness *h = harness_new(MODERN, &opts, INIT_ACCEPT);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	h_advance(h, 1000000);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(options_known_names)
{
	static const char *const names[] = {"keepalive-ms", "init-timeout-ms", "max-message-bytes",
					    "max-operations", "max-id-bytes", "send-queue-bytes"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		ck_assert_msg(gqlws_options_known(names[i]), "%s", names[i]);
	ck_assert(!gqlws_options_known("keepalive"));
	ck_assert(!gqlws_options_known("KEEPALIVE-MS"));
	ck_assert(!gqlws_options_known("frame-headroom"));
	ck_assert(!gqlws_options_known(""));
	ck_assert(!gqlws_options_known("tick-ms"));
}
END_TEST

START_TEST(options_set_unknown_name_is_reported)
{
	gqlws_options opts, before;
	gqlws_options_init(&opts);
	before = opts;
	const char *why = NULL;
	ck_assert_int_eq(gqlws_options_set(&opts, "keepalive", "5", &why), GQLWS_ERR_INVALID);
	ck_assert_ptr_nonnull(why);
	ck_assert_uint_gt(strlen(why), 0);
	ck_assert_int_eq(gqlws_options_set(&opts, "frame-headroom", "16", NULL), GQLWS_ERR_INVALID);
	ck_assert_int_eq(gqlws_options_set(&opts, "Keepalive-Ms", "5", NULL), GQLWS_ERR_INVALID);
	ck_assert(memcmp(&opts, &before, sizeof opts) == 0);
}
END_TEST

START_TEST(options_set_bad_values_are_rejected_and_change_nothing)
{
	static const char *const values[] = {"", "abc", "12abc", "-1", "1.5", "0x10", "1e3", "5 ms",
					     "99999999999999999999999999"};
	static const char *const names[] = {"keepalive-ms", "init-timeout-ms", "max-message-bytes",
					    "max-operations", "max-id-bytes", "send-queue-bytes"};
	for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
		for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
			gqlws_options opts, before;
			gqlws_options_init(&opts);
			before = opts;
			const char *why = NULL;
			ck_assert_msg(gqlws_options_set(&opts, names[n], values[v], &why) == GQLWS_ERR_INVALID,
				      "%s=\"%s\" accepted", names[n], values[v]);
			ck_assert_ptr_nonnull(why);
			ck_assert_msg(memcmp(&opts, &before, sizeof opts) == 0, "%s=\"%s\" changed the options",
				      names[n], values[v]);
		}
	}
}
END_TEST

START_TEST(options_set_value_beyond_32_bits_rejected_for_32_bit_options)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	ck_assert_int_eq(gqlws_options_set(&opts, "keepalive-ms", "4294967296", NULL), GQLWS_ERR_INVALID);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-operations", "4294967296", NULL), GQLWS_ERR_INVALID);
	ck_assert_uint_eq(opts.keepalive_ms, 10000);
	ck_assert_uint_eq(opts.max_operations, 100);
}
END_TEST

START_TEST(options_are_copied_at_session_creation)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_operations = 3;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	h->opts.max_operations = 1; /* the harness's copy, not the session's */
	ck_assert_uint_eq(gqlws_session_options(h->s)->max_operations, 3);
	harness_free(h);
}
END_TEST

/* ------------------------------------------------------ names and status */

START_TEST(subprotocol_names_round_trip)
{
	ck_assert_str_eq(gqlws_subprotocol_name(LEGACY), "graphql-ws");
	ck_assert_str_eq(gqlws_subprotocol_name(MODERN), "graphql-transport-ws");
	ck_assert_int_eq(gqlws_subprotocol_from_name("graphql-ws"), LEGACY);
	ck_assert_int_eq(gqlws_subprotocol_from_name("graphql-transport-ws"), MODERN);
	ck_assert_int_eq(gqlws_subprotocol_from_name("GRAPHQL-WS"), 0);
	ck_assert_int_eq(gqlws_subprotocol_from_name("graphql-subscriptions"), 0);
	ck_assert_int_eq(gqlws_subprotocol_from_name("graphql-ws "), 0);
	ck_assert_int_eq(gqlws_subprotocol_from_name(""), 0);
}
END_TEST

START_TEST(strerror_describes_every_status)
{
	static const int codes[] = {GQLWS_OK, GQLWS_ERR_NOMEM, GQLWS_ERR_CLOSED, GQLWS_ERR_STATE,
				    GQLWS_ERR_INVALID, 42, -100};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		const char *text = gqlws_strerror(codes[i]);
		ck_assert_ptr_nonnull(text);
		ck_assert_uint_gt(strlen(text), 0);
	}
	ck_assert_str_ne(gqlws_strerror(GQLWS_ERR_CLOSED), gqlws_strerror(GQLWS_ERR_STATE));
}
END_TEST

/* ----------------------------------------------------------- the session */

static int never_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)op, (void)req;
	return 0;
}

static void never_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

START_TEST(session_new_needs_op_start_and_op_stop)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	gqlws_callbacks only_start = {.op_start = never_start};
	gqlws_callbacks only_stop = {.op_stop = never_stop};
	gqlws_callbacks both = {.op_start = never_start, .op_stop = never_stop};
	ck_assert_ptr_null(gqlws_session_new(LEGACY, &only_start, &opts, NULL, 1));
	ck_assert_ptr_null(gqlws_session_new(MODERN, &only_stop, &opts, NULL, 1));
	int user = 0;
	gqlws_session *s = gqlws_session_new(MODERN, &both, &opts, &user, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(gqlws_session_subprotocol(s), MODERN);
	ck_assert_ptr_eq(gqlws_session_user(s), &user);
	ck_assert(!gqlws_session_acknowledged(s));
	ck_assert_ptr_null(gqlws_session_init_payload_json(s, NULL));
	ck_assert_uint_eq(gqlws_session_op_count(s), 0);
	ck_assert_uint_eq(gqlws_session_queued_bytes(s), 0);
	ck_assert_ptr_null(gqlws_session_peek_frame(s, NULL));
	ck_assert(!gqlws_session_closing(s));
	gqlws_session_destroy(s);
	gqlws_session_destroy(NULL);
}
END_TEST

/* ------------------------------------------- gqlws_op_on_end cleanups */

/* What the cleanups of these tests record: the order they ran in. */
static char cleanup_log[64];

static void log_cleanup(void *arg)
{
	strncat(cleanup_log, arg, sizeof(cleanup_log) - strlen(cleanup_log) - 1);
}

static harness *with_cleanups(gqlws_subprotocol proto, const char *id)
{
	harness *h = harness_acknowledged(proto, NULL);

	cleanup_log[0] = '\0';
	start_op(h, id);
	ck_assert_int_eq(gqlws_op_on_end(h_live(h, id)->op, log_cleanup, "a"), GQLWS_OK);
	ck_assert_int_eq(gqlws_op_on_end(h_live(h, id)->op, log_cleanup, "b"), GQLWS_OK);
	ck_assert_str_eq(cleanup_log, ""); /* nothing runs while the op lives */
	return h;
}

START_TEST(on_end_cleanups_run_once_newest_first_when_the_op_completes)
{
	harness *h = with_cleanups(MODERN, "1");

	ck_assert_int_eq(h_complete(h, "1"), GQLWS_OK);
	ck_assert_str_eq(cleanup_log, "ba");
	harness_free(h);
	ck_assert_str_eq(cleanup_log, "ba");
}
END_TEST

START_TEST(on_end_cleanups_run_after_op_stop_when_the_client_stops_it)
{
	harness *h = with_cleanups(LEGACY, "1");

	h_send(h, "{'id':'1','type':'stop'}");
	h_expect_stopped(h, "1");
	ck_assert_str_eq(cleanup_log, "ba");
	harness_free(h);
	ck_assert_str_eq(cleanup_log, "ba");
}
END_TEST

START_TEST(on_end_cleanups_run_when_the_session_is_destroyed)
{
	harness *h = with_cleanups(MODERN, "1");

	harness_free(h);
	ck_assert_str_eq(cleanup_log, "ba");
}
END_TEST

START_TEST(on_end_cleanups_are_charged_to_the_connection_until_the_op_ends)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	size_t before;

	start_op(h, "1");
	before = gqlws_session_memory_bytes(h->s);
	cleanup_log[0] = '\0';
	ck_assert_int_eq(gqlws_op_on_end(h_live(h, "1")->op, log_cleanup, "a"), GQLWS_OK);
	ck_assert_uint_gt(gqlws_session_memory_bytes(h->s), before);
	ck_assert_int_eq(h_complete(h, "1"), GQLWS_OK);
	ck_assert_uint_lt(gqlws_session_memory_bytes(h->s), before);
	harness_free(h);
}
END_TEST

START_TEST(on_end_that_cannot_register_runs_the_cleanup_at_once)
{
	harness *h = harness_acknowledged(MODERN, NULL);

	cleanup_log[0] = '\0';
	ck_assert_int_eq(gqlws_op_on_end(NULL, log_cleanup, "n"), GQLWS_ERR_INVALID);
	ck_assert_str_eq(cleanup_log, "n");
	start_op(h, "1");
	ck_assert_int_eq(gqlws_op_on_end(h_live(h, "1")->op, NULL, "x"), GQLWS_ERR_INVALID);
	/* over max-connection-bytes: refused, and the state is freed there */
	ck_assert_int_eq(gqlws_op_charge(h_live(h, "1")->op, h->opts.max_connection_bytes -
					gqlws_session_memory_bytes(h->s)), GQLWS_OK);
	ck_assert_int_eq(gqlws_op_on_end(h_live(h, "1")->op, log_cleanup, "l"), GQLWS_ERR_LIMIT);
	ck_assert_str_eq(cleanup_log, "nl");
	harness_free(h);
	ck_assert_str_eq(cleanup_log, "nl");
}
END_TEST

START_TEST(destroy_with_running_ops_stops_each_once)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, NULL);
		start_op(h, "1");
		start_op(h, "2");
		start_op(h, "3");
		h_complete(h, "2");
		h_next(h, "3", "{'data':{'queued':'but never taken'}}");
		ck_assert_uint_eq(gqlws_session_op_count(h->s), 2);
		/* harness_free destroys, then checks: 1 and 3 stopped once,
		 * 2 (ended by itself) never; valgrind/ASan check the frees. */
		harness_free(h);
	}
}
END_TEST

START_TEST(destroy_with_held_starts_and_pending_init_frees_them)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{'big':[1,2,3]}}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }','variables':{'x':1}}}");
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ b }'}}");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 2);
	harness_free(h); /* never started: no op_stop, nothing leaked */
}
END_TEST

START_TEST(closed_stops_every_op_once_and_is_idempotent)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	start_op(h, "1");
	start_op(h, "2");
	h_closed(h);
	h_expect_stopped(h, "1");
	h_expect_stopped(h, "2");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	h_closed(h);
	h_closed(h);
	h_expect_stopped(h, "1");
	h_expect_stopped(h, "2");
	ck_assert_int_eq(h_send(h, "{'type':'ping'}"), GQLWS_ERR_CLOSED);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(closed_before_anything_then_destroy)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_closed(h);
	h_closed(h);
	ck_assert_int_eq(h_send(h, "{'type':'connection_init'}"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(h->init_calls, 0);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(closed_with_held_starts_never_starts_them)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_closed(h);
	ck_assert_int_ne(h_accept(h, NULL), GQLWS_OK);
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(shutdown_stops_ops_drops_frames_and_closes_1001)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, NULL);
		start_op(h, "1");
		start_op(h, "2");
		h_next(h, "1", "{'data':{'not':'taken'}}");
		h_next(h, "2", "{'data':{'not':'taken'}}");
		ck_assert_uint_gt(gqlws_session_queued_bytes(h->s), 0);
		gqlws_session_shutdown(h->s);
		h_expect_stopped(h, "1");
		h_expect_stopped(h, "2");
		/* Frames not yet taken are dropped: the close is due at once. */
		ck_assert_ptr_null(gqlws_session_peek_frame(h->s, NULL));
		ck_assert_uint_eq(gqlws_session_queued_bytes(h->s), 0);
		h_expect_close(h, 1001, NULL);
		ck_assert_int_eq(h_send(h, "{'type':'connection_init'}"), GQLWS_ERR_CLOSED);
		h_expect_no_frame(h);
		harness_free(h);
	}
}
END_TEST

START_TEST(message_size_over_the_limit_stops_ops_and_closes_1009)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_message_bytes = 100;
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, &opts);
		start_op(h, "1");
		/* A message growing piece by piece, up to the limit exactly. */
		ck_assert_int_eq(gqlws_session_message_size(h->s, 60), GQLWS_OK);
		ck_assert_int_eq(gqlws_session_message_size(h->s, 100), GQLWS_OK);
		h_expect_open(h);
		ck_assert_int_eq(gqlws_session_message_size(h->s, 101), GQLWS_ERR_LIMIT);
		h_expect_stopped(h, "1");
		h_expect_no_frame(h);
		h_expect_close(h, 1009, "Message too large");
		/* The rest of it, and what follows, is dropped. */
		ck_assert_int_eq(gqlws_session_message_size(h->s, 150), GQLWS_ERR_CLOSED);
		ck_assert_int_eq(gqlws_session_message_size(NULL, 1), GQLWS_ERR_INVALID);
		harness_free(h);
	}
}
END_TEST

START_TEST(whole_message_over_the_limit_closes_1009_even_when_binary)
{
	/* The size is decided before anything else about the message, as a
	 * transport decides it before it has the rest of the message. */
	static const char big[101] = {0};
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_message_bytes = 100;
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, &opts);
		ck_assert_int_eq(h_recv_binary(h, big, sizeof big), GQLWS_OK);
		h_expect_no_frame(h);
		h_expect_close(h, 1009, "Message too large");
		harness_free(h);
	}
}
END_TEST

START_TEST(op_next_after_close_returns_closed_and_queues_nothing)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.send_queue_bytes = 512;
	harness *h = harness_acknowledged(MODERN, &opts);
	start_op(h, "1");
	fake_op *op = h_live(h, "1");
	/* A client that stopped reading: the op's own result overflows the
	 * queue, which requests the close from inside gqlws_op_next. The op
	 * is still the executor's until op_stop (which follows later). */
	while (!gqlws_session_closing(h->s))
		h_next(h, "1", "{'data':{'text':'0123456789012345678901234567890123456789'}}");
	ck_assert_ptr_eq(gqlws_session_find_op(h->s, op->serial), op->op);
	size_t queued = gqlws_session_queued_bytes(h->s);
	ck_assert_int_eq(h_next(h, "1", "{'data':{}}"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(gqlws_op_next_raw(op->op, "{}", 2), GQLWS_ERR_CLOSED);
	ck_assert_uint_eq(gqlws_session_queued_bytes(h->s), queued);
	h_drain(h);
	h->checked = h->n_frames;
	h_expect_close(h, 1008, "Send queue limit exceeded");
	h_closed(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

START_TEST(complete_after_close_sends_nothing)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.send_queue_bytes = 512;
	harness *h = harness_acknowledged(LEGACY, &opts);
	start_op(h, "1");
	fake_op *op = h_live(h, "1");
	while (!gqlws_session_closing(h->s))
		h_next(h, "1", "{'data':{'text':'0123456789012345678901234567890123456789'}}");
	size_t queued = gqlws_session_queued_bytes(h->s);
	int status = gqlws_op_complete(op->op);
	ck_assert(status == GQLWS_ERR_CLOSED || status == GQLWS_OK);
	if (status == GQLWS_OK) {
		op->live = false;
		op->ended_by_itself = true;
	}
	ck_assert_uint_eq(gqlws_session_queued_bytes(h->s), queued);
	h_closed(h);
	harness_free(h);
}
END_TEST

/* ----------------------------------------------------------- re-entrancy */

static void answer_at_once(harness *h, fake_op *op)
{
	ck_assert_int_eq(h_next(h, op->id, "{'data':{'hello':'world'}}"), GQLWS_OK);
	ck_assert_int_eq(h_complete(h, op->id), GQLWS_OK);
}

START_TEST(executor_completing_inside_op_start)
{
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, NULL);
		h->on_start = answer_at_once;
		h_send(h, proto == LEGACY ? "{'id':'q','type':'start','payload':{'query':'{ hello }'}}"
					 : "{'id':'q','type':'subscribe','payload':{'query':'{ hello }'}}");
		if (proto == LEGACY) {
			h_expect(h, "{'type':'data','id':'q','payload':{'data':{'hello':'world'}}}");
			h_expect(h, "{'type':'complete','id':'q'}");
		} else {
			h_expect(h, "{'id':'q','type':'next','payload':{'data':{'hello':'world'}}}");
			h_expect(h, "{'id':'q','type':'complete'}");
		}
		h_expect_no_frame(h);
		h_expect_not_stopped(h, "q");
		ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
		/* The same id again works: the first one is really gone. */
		h_send(h, proto == LEGACY ? "{'id':'q','type':'start','payload':{'query':'{ hello }'}}"
					 : "{'id':'q','type':'subscribe','payload':{'query':'{ hello }'}}");
		ck_assert_uint_eq(h_started(h), 2);
		h_expect_open(h);
		harness_free(h);
	}
}
END_TEST

static void fail_at_once(harness *h, fake_op *op)
{
	ck_assert_int_eq(h_fail(h, op->id, "no backend"), GQLWS_OK);
}

START_TEST(executor_failing_inside_op_start_then_returning_error)
{
	harness *h = harness_acknowledged(LEGACY, NULL);
	h->on_start = fail_at_once;
	h->op_start_return = -1; /* already ended: no second error */
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_expect(h, "{'type':'error','id':'1','payload':{'message':'no backend'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

static void publish_to_every_live_op(harness *h, fake_op *started)
{
	(void)started;
	/* A fan-out executor publishes to all its ops from inside a start. */
	for (size_t i = 0; i < h->n_ops; i++)
		if (h->ops[i].live)
			ck_assert_int_eq(h_next(h, h->ops[i].id, "{'data':{'tick':1}}"), GQLWS_OK);
}

START_TEST(executor_publishing_to_other_ops_inside_op_start)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	start_op(h, "a");
	h->on_start = publish_to_every_live_op;
	start_op(h, "b");
	h_expect(h, "{'id':'a','type':'next','payload':{'data':{'tick':1}}}");
	h_expect(h, "{'id':'b','type':'next','payload':{'data':{'tick':1}}}");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

static void overflow_inside_start(harness *h, fake_op *op)
{
	/* The send queue overflows while the executor is on the stack: op_stop
	 * must wait until no gqlws_op_* call is running. */
	while (!gqlws_session_closing(h->s))
		h_next(h, op->id, "{'data':{'text':'0123456789012345678901234567890123456789'}}");
	for (size_t i = 0; i < h->n_ops; i++)
		ck_assert_int_eq(h->ops[i].stop_calls, 0);
}

START_TEST(op_stop_never_runs_inside_an_executor_call)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.send_queue_bytes = 600;
	harness *h = harness_acknowledged(LEGACY, &opts);
	start_op(h, "other");
	h->on_start = overflow_inside_start;
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ a }'}}");
	ck_assert(gqlws_session_closing(h->s));
	h_drain(h);
	h->checked = h->n_frames;
	h_expect_close(h, 1008, "Send queue limit exceeded");
	h_closed(h);
	h_expect_stopped(h, "other");
	h_expect_stopped(h, "2");
	ck_assert_int_eq(h->stops_inside_op_call, 0);
	harness_free(h);
}
END_TEST

START_TEST(init_hook_answering_inside_on_init)
{
	/* INIT_ACCEPT answers from inside on_init; a start in the same breath
	 * (Apollo's client sends it right behind the init) runs at once. */
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT_PAYLOAD);
	h->ack_payload = h_json("{'v':1}");
	h_send(h, "{'type':'connection_init','payload':{'k':'v'}}");
	ck_assert_int_eq(h->init_answer_status, GQLWS_OK);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_expect(h, "{'type':'connection_ack','payload':{'v':1}}");
	ck_assert_uint_eq(h_started(h), 1);
	ck_assert(h_json_matches("{'k':'v'}", h_session_init_payload(h)));
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

/* --------------------------------------------------------- drain pacing */

START_TEST(op_drained_once_when_queue_empties)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	start_op(h, "1");
	fake_op *op = h_live(h, "1");
	h_next(h, "1", "{'data':{'v':1}}");
	h_next(h, "1", "{'data':{'v':2}}");
	gqlws_op_request_drain(op->op);
	size_t len;
	ck_assert_ptr_nonnull(gqlws_session_peek_frame(h->s, &len));
	gqlws_session_frame_sent(h->s);
	ck_assert_int_eq(op->drained_calls, 0); /* one frame still queued */
	ck_assert_ptr_nonnull(gqlws_session_peek_frame(h->s, &len));
	gqlws_session_frame_sent(h->s);
	ck_assert_int_eq(op->drained_calls, 1);
	gqlws_session_poll_drained(h->s);
	ck_assert_int_eq(op->drained_calls, 1); /* once per request */
	harness_free(h);
}
END_TEST

START_TEST(op_drained_on_poll_when_queue_already_empty)
{
	harness *h = harness_acknowledged(LEGACY, NULL);
	start_op(h, "1");
	fake_op *op = h_live(h, "1");
	gqlws_op_request_drain(op->op);
	ck_assert_int_eq(op->drained_calls, 0); /* never from inside the request */
	gqlws_session_poll_drained(h->s);
	ck_assert_int_eq(op->drained_calls, 1);
	gqlws_session_poll_drained(h->s);
	ck_assert_int_eq(op->drained_calls, 1);
	harness_free(h);
}
END_TEST

START_TEST(op_drained_never_for_an_ended_op)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	start_op(h, "1");
	start_op(h, "2");
	gqlws_op_request_drain(h_live(h, "1")->op);
	gqlws_op_request_drain(h_live(h, "2")->op);
	h_complete(h, "1");
	h_send(h, "{'id':'2','type':'complete'}");
	h_drain(h);
	gqlws_session_poll_drained(h->s);
	ck_assert_int_eq(h_op(h, "1")->drained_calls, 0);
	ck_assert_int_eq(h_op(h, "2")->drained_calls, 0);
	ck_assert_int_eq(h->stray_stops, 0);
	harness_free(h);
}
END_TEST

/* ------------------------------------------------------ serials, raw, user */

START_TEST(find_op_by_serial_after_the_op_ended_is_null)
{
	harness *a = harness_acknowledged(LEGACY, NULL);
	harness *b = harness_acknowledged(MODERN, NULL);
	start_op(a, "1");
	start_op(a, "2");
	start_op(b, "1");
	uint64_t s1 = h_live(a, "1")->serial, s2 = h_live(a, "2")->serial, s3 = h_live(b, "1")->serial;
	ck_assert_uint_ne(s1, s2);
	ck_assert_uint_ne(s1, s3);
	ck_assert_uint_ne(s2, s3);
	ck_assert_ptr_eq(gqlws_session_find_op(a->s, s1), h_live(a, "1")->op);
	ck_assert_ptr_null(gqlws_session_find_op(a->s, s3)); /* another session's */
	h_complete(a, "1");
	ck_assert_ptr_null(gqlws_session_find_op(a->s, s1));
	h_send(a, "{'id':'2','type':'stop'}");
	ck_assert_ptr_null(gqlws_session_find_op(a->s, s2));
	/* A new op under a reused id gets a new serial. */
	start_op(a, "1");
	ck_assert_uint_ne(h_live(a, "1")->serial, s1);
	ck_assert_ptr_null(gqlws_session_find_op(a->s, s1));
	ck_assert_ptr_null(gqlws_session_find_op(a->s, 0));
	harness_free(a);
	harness_free(b);
}
END_TEST

START_TEST(op_user_pointer_round_trips)
{
	harness *h = harness_acknowledged(MODERN, NULL);
	start_op(h, "1");
	gqlws_op *op = h_live(h, "1")->op;
	ck_assert_ptr_null(gqlws_op_user(op));
	int mine = 7;
	gqlws_op_set_user(op, &mine);
	ck_assert_ptr_eq(gqlws_op_user(op), &mine);
	ck_assert_str_eq(gqlws_op_id(op), "1");
	ck_assert_ptr_eq(gqlws_op_session(op), h->s);
	harness_free(h);
}
END_TEST

START_TEST(next_raw_sends_the_text_as_payload)
{
	static const char shared[] = "{\"data\":{\"ticks\":{\"seq\":3,\"at\":1.5}}}TRAILING";
	size_t len = strlen(shared) - strlen("TRAILING");
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_acknowledged((gqlws_subprotocol)proto, NULL);
		start_op(h, "1");
		start_op(h, "2");
		ck_assert_int_eq(gqlws_op_next_raw(h_live(h, "1")->op, shared, len), GQLWS_OK);
		ck_assert_int_eq(gqlws_op_next_raw(h_live(h, "2")->op, shared, len), GQLWS_OK);
		if (proto == LEGACY) {
			h_expect(h, "{'type':'data','id':'1','payload':{'data':{'ticks':{'seq':3,'at':1.5}}}}");
			h_expect(h, "{'type':'data','id':'2','payload':{'data':{'ticks':{'seq':3,'at':1.5}}}}");
		} else {
			h_expect(h, "{'id':'1','type':'next','payload':{'data':{'ticks':{'seq':3,'at':1.5}}}}");
			h_expect(h, "{'id':'2','type':'next','payload':{'data':{'ticks':{'seq':3,'at':1.5}}}}");
		}
		h_expect_no_frame(h);
		harness_free(h);
	}
}
END_TEST

START_TEST(refuse_after_a_result_or_without_errors_keeps_op_running)
{
	/* A refusal that cannot be one (no errors, or after a result) is
	 * turned down and the op runs on; find_op sees it until it ends. */
	harness *h = harness_acknowledged(LEGACY, NULL);
	start_op(h, "1");
	fake_op *op = h_live(h, "1");
	ck_assert_int_eq(gqlws_op_refuse(op->op, NULL), GQLWS_ERR_INVALID);
	ck_assert_int_eq(h_next(h, "1", "{'data':{}}"), GQLWS_OK);
	ck_assert_int_eq(h_refuse(h, "1", "[{'message':'x'}]"), GQLWS_ERR_STATE);
	ck_assert_ptr_eq(gqlws_session_find_op(h->s, op->serial), op->op);
	h_complete(h, "1");
	ck_assert_ptr_null(gqlws_session_find_op(h->s, op->serial));
	harness_free(h);
}
END_TEST

/* --------------------------------------------------------- frame headroom */

START_TEST(frame_headroom_is_writable)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.frame_headroom = 16; /* LWS_PRE on this platform */
	opts.keepalive_ms = 100;
	for (int proto = LEGACY; proto <= MODERN; proto++) {
		harness *h = harness_new((gqlws_subprotocol)proto, &opts, INIT_ACCEPT);
		h_send(h, "{'type':'connection_init'}");
		start_op(h, "1");
		h_next(h, "1", "{'data':{'v':'x'}}");
		h_advance(h, 100);
		int frames = 0;
		size_t len = 0;
		unsigned char *frame;
		while ((frame = gqlws_session_peek_frame(h->s, &len)) != NULL) {
			/* What lws does: write its header into the bytes in
			 * front; ASan reports it if they are not ours. */
			memset(frame - opts.frame_headroom, 0xa5, opts.frame_headroom);
			cJSON *parsed = cJSON_ParseWithLength((const char *)frame, len);
			ck_assert_ptr_nonnull(parsed);
			cJSON_Delete(parsed);
			gqlws_session_frame_sent(h->s);
			frames++;
		}
		ck_assert_int_ge(frames, 3);
		harness_free(h);
	}
}
END_TEST

/* -------------------------------------------------------- the harness itself */

START_TEST(harness_matcher_is_strict)
{
	cJSON *actual = h_json("{'type':'data','id':1,'payload':{'a':[1,2]}}");
	ck_assert(h_json_matches("{'id':1,'payload':{'a':[1,2]},'type':'data'}", actual));
	ck_assert(!h_json_matches("{'type':'data','id':'1','payload':{'a':[1,2]}}", actual));
	ck_assert(!h_json_matches("{'type':'data','id':1}", actual));
	ck_assert(!h_json_matches("{'type':'data','id':1,'payload':{'a':[1,2]},'x':null}", actual));
	ck_assert(!h_json_matches("{'type':'data','id':1,'payload':{'a':[2,1]}}", actual));
	ck_assert(h_json_matches("{'type':'data','id':'<any>','payload':'<any>'}", actual));
	ck_assert(!h_json_matches("{'type':'data','id':'<string>','payload':'<any>'}", actual));
	ck_assert(!h_json_matches("{'type':'data','id':1,'payload':'<any>','extra':'<any>'}", actual));
	cJSON_Delete(actual);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_lifecycle");
	TCase *tc = h_tcase("lifecycle");
	tcase_add_test(tc, options_defaults);
	tcase_add_test(tc, options_set_every_name);
	tcase_add_test(tc, options_zero_turns_timers_off);
	tcase_add_test(tc, options_known_names);
	tcase_add_test(tc, options_set_unknown_name_is_reported);
	tcase_add_test(tc, options_set_bad_values_are_rejected_and_change_nothing);
	tcase_add_test(tc, options_set_value_beyond_32_bits_rejected_for_32_bit_options);
	tcase_add_test(tc, options_are_copied_at_session_creation);
	tcase_add_test(tc, subprotocol_names_round_trip);
	tcase_add_test(tc, strerror_describes_every_status);
	tcase_add_test(tc, session_new_needs_op_start_and_op_stop);
	tcase_add_test(tc, destroy_with_running_ops_stops_each_once);
	tcase_add_test(tc, on_end_cleanups_run_once_newest_first_when_the_op_completes);
	tcase_add_test(tc, on_end_cleanups_run_after_op_stop_when_the_client_stops_it);
	tcase_add_test(tc, on_end_cleanups_run_when_the_session_is_destroyed);
	tcase_add_test(tc, on_end_cleanups_are_charged_to_the_connection_until_the_op_ends);
	tcase_add_test(tc, on_end_that_cannot_register_runs_the_cleanup_at_once);
	tcase_add_test(tc, destroy_with_held_starts_and_pending_init_frees_them);
	tcase_add_test(tc, closed_stops_every_op_once_and_is_idempotent);
	tcase_add_test(tc, closed_before_anything_then_destroy);
	tcase_add_test(tc, closed_with_held_starts_never_starts_them);
	tcase_add_test(tc, shutdown_stops_ops_drops_frames_and_closes_1001);
	tcase_add_test(tc, message_size_over_the_limit_stops_ops_and_closes_1009);
	tcase_add_test(tc, whole_message_over_the_limit_closes_1009_even_when_binary);
	tcase_add_test(tc, op_next_after_close_returns_closed_and_queues_nothing);
	tcase_add_test(tc, complete_after_close_sends_nothing);
	tcase_add_test(tc, executor_completing_inside_op_start);
	tcase_add_test(tc, executor_failing_inside_op_start_then_returning_error);
	tcase_add_test(tc, executor_publishing_to_other_ops_inside_op_start);
	tcase_add_test(tc, op_stop_never_runs_inside_an_executor_call);
	tcase_add_test(tc, init_hook_answering_inside_on_init);
	tcase_add_test(tc, op_drained_once_when_queue_empties);
	tcase_add_test(tc, op_drained_on_poll_when_queue_already_empty);
	tcase_add_test(tc, op_drained_never_for_an_ended_op);
	tcase_add_test(tc, find_op_by_serial_after_the_op_ended_is_null);
	tcase_add_test(tc, op_user_pointer_round_trips);
	tcase_add_test(tc, next_raw_sends_the_text_as_payload);
	tcase_add_test(tc, refuse_after_a_result_or_without_errors_keeps_op_running);
	tcase_add_test(tc, frame_headroom_is_writable);
	tcase_add_test(tc, harness_matcher_is_strict);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
