/*
 * session_modern.c - one Check test per `graphql-transport-ws` (graphql-ws) row
 * of lib/PROTOCOL.md: exact frames (as parsed JSON), close codes and reasons for every
 * protocol violation, and the executor's start/stop calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_harness.h"

#define MODERN GQLWS_SUBPROTOCOL_MODERN

/* A modern session whose init was accepted and acknowledged. */
static harness *modern_ready(const gqlws_options *opts)
{
	harness *h = harness_new(MODERN, opts, INIT_ACCEPT);
	ck_assert_int_eq(h_send(h, "{'type':'connection_init','payload':{}}"), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	return h;
}

static harness *modern_with_op(const char *id)
{
	harness *h = modern_ready(NULL);
	char text[512];
	snprintf(text, sizeof text, "{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { s }\"}}", id);
	ck_assert_int_eq(h_recv(h, text), GQLWS_OK);
	h_live(h, id);
	return h;
}

/* Valid UTF-8 (a close reason must be, or browsers fail the connection). */
static bool valid_utf8(const unsigned char *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		size_t extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : 9;
		if (extra > 3 || len - i <= extra)
			return false;
		for (size_t k = 1; k <= extra; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += extra + 1;
	}
	return true;
}

/* A ready session with a running operation gets `message`: close 4400 with
 * a short reason, nothing sent, and the operation stopped once. */
static void expect_invalid_text(const char *message, bool binary)
{
	harness *h = modern_with_op("live");
	int status = binary ? h_recv_binary(h, message, strlen(message)) : h_send(h, message);
	ck_assert_int_eq(status, GQLWS_OK);
	h_expect_no_frame(h);
	size_t len = 0;
	h_expect_close(h, 4400, NULL);
	const char *reason = h_close_reason(h, &len);
	ck_assert_msg(len > 0 && len <= 123, "reason of %zu bytes for %s", len, message);
	ck_assert(valid_utf8((const unsigned char *)reason, len));
	h_closed(h);
	h_expect_stopped(h, "live");
	ck_assert_uint_eq(h_started(h), 1);
	harness_free(h);
}

static void expect_invalid(const char *message)
{
	expect_invalid_text(message, false);
}

/* ------------------------------------------------------ connection_init */

START_TEST(modern_init_accepted_sends_ack)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload':{'token':'abc'}}");
	ck_assert_int_eq(h->init_calls, 1);
	ck_assert(h_json_matches("{'token':'abc'}", h->last_init_payload));
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert(gqlws_session_acknowledged(h->s));
	harness_free(h);
}
END_TEST

START_TEST(modern_init_null_or_absent_payload_accepted)
{
	static const char *const inits[] = {"{'type':'connection_init'}", "{'type':'connection_init','payload':null}"};
	for (size_t i = 0; i < 2; i++) {
		harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
		h_send(h, inits[i]);
		ck_assert_int_eq(h->init_calls, 1);
		ck_assert(!h->last_init_had_payload);
		h_expect(h, "{'type':'connection_ack'}");
		h_expect_open(h);
		harness_free(h);
	}
}
END_TEST

START_TEST(modern_init_ack_carries_hook_payload)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT_PAYLOAD);
	h->ack_payload = h_json("{'hello':'there'}");
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack','payload':{'hello':'there'}}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_init_without_hook_accepted)
{
	harness *h = harness_new(MODERN, NULL, INIT_NO_HOOK);
	h_send(h, "{'type':'connection_init','payload':{'a':1}}");
	h_expect(h, "{'type':'connection_ack'}");
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert(h_json_matches("{'a':1}", h_live(h, "1")->init_payload));
	harness_free(h);
}
END_TEST

START_TEST(modern_init_accepted_asynchronously)
{
	harness *h = harness_new(MODERN, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{'token':'t'}}");
	h_expect_no_frame(h);
	ck_assert(!gqlws_session_acknowledged(h->s));
	ck_assert_int_eq(h_accept(h, "{'user':'ann'}"), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack','payload':{'user':'ann'}}");
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert(h_json_matches("{'token':'t'}", h_live(h, "1")->init_payload));
	harness_free(h);
}
END_TEST

START_TEST(modern_init_rejected_closes_4403_forbidden)
{
	harness *h = harness_new(MODERN, NULL, INIT_REJECT);
	h->init_message = "bad token";
	h_send(h, "{'type':'connection_init','payload':{}}");
	ck_assert_int_eq(h->init_answer_status, GQLWS_OK);
	h_expect_no_frame(h);
	h_expect_close(h, 4403, "Forbidden");
	harness_free(h);
}
END_TEST

START_TEST(modern_init_rejected_asynchronously_closes_4403_forbidden)
{
	harness *h = harness_new(MODERN, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{}}");
	h_send(h, "{'type':'ping'}");
	h_expect(h, "{'type':'pong'}");
	ck_assert_int_eq(gqlws_session_reject_init(h->s, "bad token"), GQLWS_OK);
	h_expect_no_frame(h);
	h_expect_close(h, 4403, "Forbidden");
	harness_free(h);
}
END_TEST

START_TEST(modern_init_hook_failure_closes_4500)
{
	harness *h = harness_new(MODERN, NULL, INIT_FAIL);
	h->init_message = "auth backend down";
	h_send(h, "{'type':'connection_init'}");
	h_expect_no_frame(h);
	h_expect_close(h, 4500, "auth backend down");
	harness_free(h);
}
END_TEST

START_TEST(modern_init_hook_failure_reason_bounded_to_123_bytes)
{
	char message[301];
	memset(message, 'x', 300);
	message[300] = '\0';
	harness *h = harness_new(MODERN, NULL, INIT_FAIL);
	h->init_message = message;
	h_send(h, "{'type':'connection_init'}");
	h_expect_close(h, 4500, NULL);
	size_t len = 0;
	const char *reason = h_close_reason(h, &len);
	ck_assert_uint_le(len, 123);
	ck_assert_uint_gt(len, 0);
	ck_assert(strncmp(reason, message, len) == 0);
	harness_free(h);
}
END_TEST

START_TEST(modern_close_reason_cut_on_a_character_boundary)
{
	/* 2-byte characters: cutting at 123 bytes would split one. */
	char message[301];
	for (int i = 0; i < 150; i++) {
		message[2 * i] = (char)0xc3;
		message[2 * i + 1] = (char)0xa9; /* U+00E9 */
	}
	message[300] = '\0';
	harness *h = harness_new(MODERN, NULL, INIT_FAIL);
	h->init_message = message;
	h_send(h, "{'type':'connection_init'}");
	h_expect_close(h, 4500, NULL);
	size_t len = 0;
	const char *reason = h_close_reason(h, &len);
	ck_assert_uint_le(len, 123);
	ck_assert_msg(valid_utf8((const unsigned char *)reason, len), "reason of %zu bytes is not UTF-8", len);
	harness_free(h);
}
END_TEST

START_TEST(modern_second_init_closes_4429)
{
	harness *h = modern_with_op("1");
	h_send(h, "{'type':'connection_init','payload':{}}");
	ck_assert_int_eq(h->init_calls, 1);
	h_expect_no_frame(h);
	h_expect_close(h, 4429, "Too many initialisation requests");
	h_closed(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

START_TEST(modern_second_init_while_pending_closes_4429)
{
	harness *h = harness_new(MODERN, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h->init_calls, 1);
	h_expect_no_frame(h);
	h_expect_close(h, 4429, "Too many initialisation requests");
	ck_assert_int_ne(h_accept(h, NULL), GQLWS_OK);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_init_payload_not_object_closes_4400)
{
	static const char *const inits[] = {
		"{'type':'connection_init','payload':5}",
		"{'type':'connection_init','payload':'token'}",
		"{'type':'connection_init','payload':[]}",
		"{'type':'connection_init','payload':false}",
	};
	for (size_t i = 0; i < sizeof inits / sizeof *inits; i++) {
		harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
		h_send(h, inits[i]);
		ck_assert_int_eq(h->init_calls, 0);
		h_expect_no_frame(h);
		h_expect_close(h, 4400, NULL);
		harness_free(h);
	}
}
END_TEST

/* ------------------------------------------------------------ ping/pong */

START_TEST(modern_ping_before_init_gets_pong)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'ping'}");
	h_expect(h, "{'type':'pong'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_int_eq(h->init_calls, 0);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_send(h, "{'type':'ping'}");
	h_expect(h, "{'type':'pong'}");
	harness_free(h);
}
END_TEST

START_TEST(modern_ping_payload_echoed_in_pong)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'ping','payload':{'a':1,'nested':{'b':[1,'x',null]}}}");
	h_expect(h, "{'type':'pong','payload':{'a':1,'nested':{'b':[1,'x',null]}}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_ping_with_payload_not_object_closes_4400)
{
	/* graphql-ws validates ping/pong payloads as objects. */
	expect_invalid("{'type':'ping','payload':5}");
	expect_invalid("{'type':'ping','payload':'hi'}");
	expect_invalid("{'type':'pong','payload':[1]}");
}
END_TEST

START_TEST(modern_pong_gets_nothing)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'pong'}");
	h_send(h, "{'type':'pong','payload':{'t':1}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_send(h, "{'type':'pong'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* ------------------------------------------------------------ subscribe */

START_TEST(modern_subscribe_before_ack_closes_4401)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	h_expect_close(h, 4401, "Unauthorized");
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_while_init_pending_closes_4401)
{
	harness *h = harness_new(MODERN, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	h_expect_close(h, 4401, "Unauthorized");
	ck_assert_int_ne(h_accept(h, NULL), GQLWS_OK);
	h_expect_no_frame(h);
	ck_assert_uint_eq(h_started(h), 0);
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_runs_operation_and_streams_next_then_complete)
{
	harness *h = modern_ready(NULL);
	h_send(h, "{'id':'a-1','type':'subscribe','payload':{'query':'subscription S { counter { value } }',"
		  "'operationName':'S','variables':{'limit':2},'extensions':{'persisted':{'v':1}}}}");
	fake_op *op = h_live(h, "a-1");
	ck_assert_str_eq(op->query, "subscription S { counter { value } }");
	ck_assert_str_eq(op->operation_name, "S");
	ck_assert(h_json_matches("{'limit':2}", op->variables));
	ck_assert(h_json_matches("{'persisted':{'v':1}}", op->extensions));
	ck_assert(h_json_matches("{}", op->init_payload));
	h_expect_no_frame(h);
	ck_assert_int_eq(h_next(h, "a-1", "{'data':{'counter':{'value':0}}}"), GQLWS_OK);
	ck_assert_int_eq(h_next(h, "a-1", "{'data':{'counter':{'value':1}},'errors':[{'message':'slow','path':['counter']}]}"),
			 GQLWS_OK);
	ck_assert_int_eq(h_complete(h, "a-1"), GQLWS_OK);
	h_expect(h, "{'id':'a-1','type':'next','payload':{'data':{'counter':{'value':0}}}}");
	h_expect(h, "{'id':'a-1','type':'next','payload':{'data':{'counter':{'value':1}},'errors':[{'message':'slow','path':['counter']}]}}");
	h_expect(h, "{'id':'a-1','type':'complete'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	h_expect_not_stopped(h, "a-1");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_with_null_optional_fields_runs)
{
	harness *h = modern_ready(NULL);
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }','operationName':null,'variables':null,'extensions':null}}");
	fake_op *op = h_live(h, "1");
	ck_assert_ptr_null(op->operation_name);
	ck_assert_ptr_null(op->variables);
	ck_assert_ptr_null(op->extensions);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_refused_gets_error_array)
{
	harness *h = modern_with_op("1");
	ck_assert_int_eq(h_refuse(h, "1", "[{'message':'Syntax Error: Expected Name, found <EOF>.','locations':[{'line':1,'column':4}]}]"),
			 GQLWS_OK);
	h_expect(h, "{'id':'1','type':'error','payload':[{'message':'Syntax Error: Expected Name, found <EOF>.','locations':[{'line':1,'column':4}]}]}");
	h_expect_no_frame(h);
	h_expect_open(h);
	h_expect_not_stopped(h, "1");
	/* The connection stays and the id is free again. */
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* graphql-transport-ws has one answer for every refusal: the error array. */
START_TEST(modern_syntax_refusal_is_the_same_error_array)
{
	harness *h = modern_with_op("1");
	ck_assert_int_eq(h_refuse_syntax(h, "1", "[{'message':'Syntax Error: Expected Name, found <EOF>.','locations':[{'line':1,'column':4}]}]"),
			 GQLWS_OK);
	h_expect(h, "{'id':'1','type':'error','payload':[{'message':'Syntax Error: Expected Name, found <EOF>.','locations':[{'line':1,'column':4}]}]}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	harness_free(h);
}
END_TEST

static void refuse_at_start(harness *h, fake_op *op)
{
	ck_assert_int_eq(h_refuse(h, op->id, "[{'message':'first'},{'message':'second'}]"), GQLWS_OK);
}

START_TEST(modern_subscribe_refused_inside_op_start_gets_error_array)
{
	harness *h = modern_ready(NULL);
	h->on_start = refuse_at_start;
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ nope }'}}");
	h_expect(h, "{'id':'1','type':'error','payload':[{'message':'first'},{'message':'second'}]}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	harness_free(h);
}
END_TEST

START_TEST(modern_running_op_failure_gets_error_array_without_complete)
{
	harness *h = modern_with_op("1");
	h_next(h, "1", "{'data':{'s':1}}");
	ck_assert_int_eq(h_fail(h, "1", "stream kaboom"), GQLWS_OK);
	h_expect(h, "{'id':'1','type':'next','payload':{'data':{'s':1}}}");
	h_expect(h, "{'id':'1','type':'error','payload':[{'message':'stream kaboom'}]}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_op_start_failing_gets_internal_error_array)
{
	harness *h = modern_ready(NULL);
	h->op_start_return = 1;
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	h_expect(h, "{'id':'1','type':'error','payload':[{'message':'Internal error'}]}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_duplicate_running_id_closes_4409)
{
	harness *h = modern_with_op("abc");
	h_send(h, "{'id':'other','type':'subscribe','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'abc','type':'subscribe','payload':{'query':'{ b }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	h_expect_no_frame(h);
	h_expect_close(h, 4409, "Subscriber for abc already exists");
	h_closed(h);
	h_expect_stopped(h, "abc");
	h_expect_stopped(h, "other");
	harness_free(h);
}
END_TEST

START_TEST(modern_duplicate_id_close_reason_bounded)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_id_bytes = 200;
	harness *h = modern_ready(&opts);
	char id[201], text[512];
	memset(id, 'i', 200);
	id[200] = '\0';
	snprintf(text, sizeof text, "{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}", id);
	h_recv(h, text);
	ck_assert_uint_eq(h_started(h), 1);
	h_recv(h, text);
	h_expect_close(h, 4409, NULL);
	size_t len = 0;
	const char *reason = h_close_reason(h, &len);
	ck_assert_uint_le(len, 123);
	ck_assert(strncmp(reason, "Subscriber for iii", 18) == 0);
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_id_reusable_after_complete)
{
	harness *h = modern_with_op("1");
	h_complete(h, "1");
	h_expect(h, "{'id':'1','type':'complete'}");
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ again }'}}");
	ck_assert_str_eq(h_live(h, "1")->query, "{ again }");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_subscribe_beyond_max_operations_gets_error)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_operations = 2;
	harness *h = modern_ready(&opts);
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'2','type':'subscribe','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'3','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	h_expect(h, "{'id':'3','type':'error','payload':[{'message':'<string>'}]}");
	h_expect_no_frame(h);
	h_expect_open(h);
	h_expect_not_stopped(h, "1");
	h_complete(h, "2");
	h_expect(h, "{'id':'2','type':'complete'}");
	/* Id 3 was never running: it may come back once there is room. */
	h_send(h, "{'id':'3','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 3);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_complete_of_running_op_stops_it_without_reply)
{
	harness *h = modern_with_op("1");
	uint64_t serial = h_live(h, "1")->serial;
	h_next(h, "1", "{'data':{}}");
	h_send(h, "{'id':'1','type':'complete'}");
	h_expect_stopped(h, "1");
	ck_assert_ptr_null(gqlws_session_find_op(h->s, serial));
	h_expect(h, "{'id':'1','type':'next','payload':{'data':{}}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	/* The id is free for a new subscribe. */
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_complete_of_unknown_id_does_nothing)
{
	harness *h = modern_with_op("1");
	h_send(h, "{'id':'2','type':'complete'}");
	h_send(h, "{'id':'toString','type':'complete'}");
	h_expect_no_frame(h);
	h_expect_not_stopped(h, "1");
	h_complete(h, "1");
	h_expect(h, "{'id':'1','type':'complete'}");
	/* The client's complete racing the server's: ignored, no op_stop. */
	h_send(h, "{'id':'1','type':'complete'}");
	h_expect_no_frame(h);
	h_expect_not_stopped(h, "1");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_complete_before_ack_of_unknown_id_does_nothing)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'id':'1','type':'complete'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* ---------------------------------------------------------- invalid: 4400 */

START_TEST(modern_text_not_json_closes_4400)
{
	expect_invalid("HI");
	expect_invalid("");
	expect_invalid("{");
	expect_invalid("{\"type\":\"ping\"} trailing");
	expect_invalid("\xff\xfe");
}
END_TEST

START_TEST(modern_json_not_object_closes_4400)
{
	expect_invalid("[1,2]");
	expect_invalid("5");
	expect_invalid("'ping'");
	expect_invalid("null");
	expect_invalid("true");
}
END_TEST

START_TEST(modern_binary_frame_closes_4400)
{
	expect_invalid_text("{\"type\":\"ping\"}", true);
	expect_invalid_text("\x01\x02", true);
}
END_TEST

START_TEST(modern_missing_or_non_string_type_closes_4400)
{
	expect_invalid("{}");
	expect_invalid("{'id':'1','payload':{'query':'{ a }'}}");
	expect_invalid("{'type':null}");
	expect_invalid("{'type':5}");
	expect_invalid("{'type':['ping']}");
	expect_invalid("{'type':{'name':'ping'}}");
}
END_TEST

START_TEST(modern_unknown_type_closes_4400)
{
	expect_invalid("{'type':'foo'}");
	expect_invalid("{'type':''}");
	expect_invalid("{'type':'PING'}");
	expect_invalid("{'type':'subscribe '}");
}
END_TEST

START_TEST(modern_server_only_types_close_4400)
{
	expect_invalid("{'type':'connection_ack'}");
	expect_invalid("{'id':'live','type':'next','payload':{'data':{}}}");
	expect_invalid("{'id':'live','type':'error','payload':[{'message':'x'}]}");
}
END_TEST

START_TEST(modern_legacy_types_close_4400)
{
	expect_invalid("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	expect_invalid("{'id':'live','type':'stop'}");
	expect_invalid("{'type':'connection_terminate'}");
	expect_invalid("{'type':'ka'}");
	expect_invalid("{'id':'1','type':'data','payload':{}}");
	expect_invalid("{'type':'connection_error','payload':{'message':'x'}}");
}
END_TEST

START_TEST(modern_subscribe_with_bad_id_closes_4400)
{
	expect_invalid("{'type':'subscribe','payload':{'query':'{ a }'}}");
	expect_invalid("{'id':null,'type':'subscribe','payload':{'query':'{ a }'}}");
	expect_invalid("{'id':1,'type':'subscribe','payload':{'query':'{ a }'}}");
	expect_invalid("{'id':'','type':'subscribe','payload':{'query':'{ a }'}}");
	expect_invalid("{'id':['1'],'type':'subscribe','payload':{'query':'{ a }'}}");
}
END_TEST

START_TEST(modern_subscribe_with_over_long_id_closes_4400)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_id_bytes = 8;
	harness *h = modern_ready(&opts);
	h_send(h, "{'id':'12345678','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 1);
	h_send(h, "{'id':'123456789','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 1);
	h_expect_no_frame(h);
	h_expect_close(h, 4400, NULL);
	harness_free(h);

	/* The default bound is 128 bytes. */
	char id[130], text[512];
	memset(id, '7', 129);
	id[129] = '\0';
	snprintf(text, sizeof text, "{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}", id);
	expect_invalid(text);
}
END_TEST

START_TEST(modern_subscribe_with_bad_payload_closes_4400)
{
	static const char *const messages[] = {
		"{'id':'1','type':'subscribe'}",
		"{'id':'1','type':'subscribe','payload':null}",
		"{'id':'1','type':'subscribe','payload':'{ a }'}",
		"{'id':'1','type':'subscribe','payload':[]}",
		"{'id':'1','type':'subscribe','payload':{}}",
		"{'id':'1','type':'subscribe','payload':{'query':null}}",
		"{'id':'1','type':'subscribe','payload':{'query':5}}",
		"{'id':'1','type':'subscribe','payload':{'query':{}}}",
		"{'id':'1','type':'subscribe','payload':{'query':'{ a }','variables':'x'}}",
		"{'id':'1','type':'subscribe','payload':{'query':'{ a }','variables':[1]}}",
		"{'id':'1','type':'subscribe','payload':{'query':'{ a }','operationName':5}}",
		"{'id':'1','type':'subscribe','payload':{'query':'{ a }','operationName':{}}}",
		"{'id':'1','type':'subscribe','payload':{'query':'{ a }','extensions':'x'}}",
		"{'id':'1','type':'subscribe','payload':{'query':'{ a }','extensions':[]}}",
	};
	for (size_t i = 0; i < sizeof messages / sizeof *messages; i++)
		expect_invalid(messages[i]);
}
END_TEST

START_TEST(modern_complete_with_bad_id_closes_4400)
{
	expect_invalid("{'type':'complete'}");
	expect_invalid("{'id':1,'type':'complete'}");
	expect_invalid("{'id':'','type':'complete'}");
	expect_invalid("{'id':null,'type':'complete'}");
}
END_TEST

/* ------------------------------------------------------------ keep-alive */

START_TEST(modern_keepalive_ping_only_after_ack)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 1000;
	harness *h = harness_new(MODERN, &opts, INIT_PENDING);
	h_advance(h, 5000);
	h_expect_no_frame(h);
	h_send(h, "{'type':'connection_init'}");
	h_advance(h, 5000);
	h_expect_no_frame(h); /* pending: no ack yet, so no ping */
	h_accept(h, NULL);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), h->now + 1000);
	h_advance(h, 999);
	h_expect_no_frame(h);
	h_advance(h, 1);
	h_expect(h, "{'type':'ping'}");
	h_expect_no_frame(h);
	h_advance(h, 1000);
	h_expect(h, "{'type':'ping'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_keepalive_never_sends_ka)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 10;
	harness *h = modern_ready(&opts);
	for (int i = 0; i < 20; i++) {
		h_advance(h, 10);
		h_expect(h, "{'type':'ping'}");
	}
	harness_free(h);
}
END_TEST

START_TEST(modern_keepalive_zero_sends_no_ping)
{
	harness *h = modern_ready(NULL);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	h_advance(h, 100000);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

/* ----------------------------------------------------------- init timeout */

START_TEST(modern_init_timeout_closes_4408)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(MODERN, &opts, INIT_ACCEPT);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 4000);
	h_send(h, "{'type':'ping'}");
	h_expect(h, "{'type':'pong'}");
	h_advance(h, 2999);
	h_expect_open(h);
	h_advance(h, 1);
	h_expect_no_frame(h);
	h_expect_close(h, 4408, "Connection initialisation timeout");
	harness_free(h);
}
END_TEST

START_TEST(modern_init_received_disarms_timeout_even_while_pending)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(MODERN, &opts, INIT_PENDING);
	h_advance(h, 1000);
	h_send(h, "{'type':'connection_init'}");
	h_advance(h, 10000);
	h_expect_open(h);
	h_accept(h, NULL);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_init_timeout_late_tick_still_closes)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(MODERN, &opts, INIT_ACCEPT);
	h_advance(h, 100000);
	h_expect_close(h, 4408, "Connection initialisation timeout");
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	harness_free(h);
}
END_TEST

/* ----------------------------------------------------------- after close */

START_TEST(modern_nothing_sent_after_close)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 100;
	harness *h = modern_ready(&opts);
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	h_recv(h, "not json");
	h_expect_close(h, 4400, NULL);
	ck_assert_int_eq(h_send(h, "{'type':'ping'}"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(h_send(h, "{'id':'2','type':'subscribe','payload':{'query':'{ a }'}}"), GQLWS_ERR_CLOSED);
	h_advance(h, 1000);
	fake_op *op = h_op(h, "1");
	if (gqlws_session_find_op(h->s, op->serial))
		ck_assert_int_eq(h_next(h, "1", "{'data':{}}"), GQLWS_ERR_CLOSED);
	h_expect_no_frame(h);
	ck_assert_uint_eq(h_started(h), 1);
	h_closed(h);
	h_expect_stopped(h, "1");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(modern_send_queue_overflow_closes_1008)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.send_queue_bytes = 2048;
	harness *h = modern_ready(&opts);
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'subscription { a }'}}");
	int sent = 0;
	for (; sent < 1000 && !gqlws_session_closing(h->s); sent++) {
		int status = h_next(h, "1", "{'data':{'a':'0123456789012345678901234567890123456789012345678901234567890123456789'}}");
		ck_assert(status == GQLWS_OK || status == GQLWS_ERR_CLOSED);
		ck_assert_uint_le(gqlws_session_queued_bytes(h->s), 2048);
	}
	/* Counted at their heap cost (288 bytes each): 7 fit, the 8th overflows. */
	ck_assert(gqlws_session_closing(h->s));
	ck_assert_int_eq(sent, 8);
	h_drain(h);
	while (h->checked < h->n_frames)
		ck_assert(h_json_matches("{'id':'1','type':'next','payload':'<any>'}", h_take(h)));
	h_expect_close(h, 1008, "Send queue limit exceeded");
	h_closed(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

/* ---------------------------------------------------------- strict JSON */

/* {"type":<type>,"payload":{"a":[[...]]}} nested depth levels in all. */
static char *nested_message(const char *type, size_t depth)
{
	size_t arrays = depth - 2, n = 0;
	char *text = malloc(2 * arrays + strlen(type) + 64);
	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "{\"type\":\"%s\",\"payload\":{\"a\":", type);
	memset(text + n, '[', arrays);
	memset(text + n + arrays, ']', arrays);
	n += 2 * arrays;
	strcpy(text + n, "}}");
	return text;
}

/* Feeds len bytes as they are (they may hold NUL) to a session with a running
 * op "live" and expects close 4400 with that reason; nothing answered. */
static void expect_refused_bytes(const char *text, size_t len, const char *reason)
{
	harness *h = modern_with_op("live");
	ck_assert_int_eq(gqlws_session_receive(h->s, text, len, false, h->now), GQLWS_OK);
	h_expect_no_frame(h);
	h_expect_close(h, 4400, reason);
	ck_assert_uint_eq(h_started(h), 1);
	h_closed(h);
	h_expect_stopped(h, "live");
	harness_free(h);
}

static void expect_refused(const char *text, const char *reason)
{
	expect_refused_bytes(text, strlen(text), reason);
}

#define NUL_REASON "Invalid message received: \\u0000 in a string is not supported"
#define CONTROL_REASON "Invalid message received: not JSON: unescaped control character in a string"

START_TEST(modern_ids_that_differ_after_an_escaped_nul_close_4400)
{
	/* cJSON would read both as "a": the second would close 4409. */
	harness *h = modern_ready(NULL);
	h_recv(h, "{\"id\":\"a\\u0000b\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}");
	h_expect_no_frame(h);
	h_expect_close(h, 4400, NUL_REASON);
	ck_assert_uint_eq(h_started(h), 0);
	harness_free(h);
}
END_TEST

START_TEST(modern_ping_with_an_escaped_nul_in_its_type_closes_4400)
{
	/* cJSON would read "ping" and answer pong. */
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_recv(h, "{\"type\":\"ping\\u0000x\"}");
	h_expect_no_frame(h);
	h_expect_close(h, 4400, NUL_REASON);
	harness_free(h);
}
END_TEST

START_TEST(modern_query_with_an_escaped_nul_is_never_run)
{
	expect_refused("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello }\\u0000 {{{\"}}",
		       NUL_REASON);
	expect_refused("{\"type\":\"ping\",\"payload\":{\"k\\u0000\":1}}", NUL_REASON);
}
END_TEST

START_TEST(modern_raw_control_characters_in_strings_close_4400)
{
	static const char nul[] = "{\"type\":\"ping\",\"payload\":{\"a\":\"x\0y\"}}";
	expect_refused("{\"type\":\"ping\",\"payload\":{\"a\":\"x\ny\"}}", CONTROL_REASON);
	expect_refused("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{\ta }\"}}", CONTROL_REASON);
	expect_refused("{\"id\":\"1\r\",\"type\":\"complete\"}", CONTROL_REASON);
	expect_refused_bytes(nul, sizeof nul - 1, CONTROL_REASON);
}
END_TEST

START_TEST(modern_text_that_is_not_utf8_closes_4400)
{
	expect_refused("{\"type\":\"ping\",\"payload\":{\"a\":\"\xc0\x80\"}}", "Invalid message received: not UTF-8");
	expect_refused("{\"type\":\"ping\",\"payload\":{\"a\":\"\xed\xa0\x80\"}}", "Invalid message received: not UTF-8");
	expect_refused("{\"type\":\"ping\",\"payload\":{\"a\":\"\\ud800\"}}",
		       "Invalid message received: unpaired UTF-16 surrogate escape in a string");
}
END_TEST

START_TEST(modern_json_nested_past_the_parser_limit_closes_4400_saying_so)
{
	char *at_limit = nested_message("pong", 1000);
	char *past_limit = nested_message("pong", 1001);
	harness *h = modern_ready(NULL);
	h_recv(h, at_limit);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
	expect_refused(past_limit, "Invalid message received: JSON nested too deeply (limit 1000)");
	free(at_limit);
	free(past_limit);
}
END_TEST

START_TEST(modern_message_over_max_message_values_closes_4400)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-message-values", "16", NULL), GQLWS_OK);
	harness *h = modern_ready(&opts);
	/* object, "pong", payload object, array and 12 numbers: 16 values */
	h_send(h, "{'type':'pong','payload':{'a':[1,2,3,4,5,6,7,8,9,10,11,12]}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	h_send(h, "{'type':'pong','payload':{'a':[1,2,3,4,5,6,7,8,9,10,11,12,13]}}");
	h_expect_no_frame(h);
	h_expect_close(h, 4400, "Invalid message received: more than 16 JSON values (max-message-values)");
	harness_free(h);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-message-values", "15", NULL), GQLWS_ERR_INVALID);
	gqlws_options_init(&opts);
	ck_assert_uint_eq(opts.max_message_values, 16384);
}
END_TEST

START_TEST(modern_init_payload_over_max_init_payload_bytes_closes_4400)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	ck_assert_int_eq(gqlws_options_set(&opts, "max-init-payload-bytes", "22", NULL), GQLWS_OK);
	/* {"token":"0123456789"}: 22 bytes, however it is spaced. */
	harness *h = harness_new(MODERN, &opts, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload': { 'token' : '0123456789' } }");
	h_expect(h, "{'type':'connection_ack'}");
	size_t len = 0;
	const char *kept = gqlws_session_init_payload_json(h->s, &len);
	ck_assert_str_eq(kept, "{\"token\":\"0123456789\"}");
	ck_assert_uint_eq(len, 22);
	harness_free(h);

	h = harness_new(MODERN, &opts, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload':{'token':'0123456789X'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 4400, "Invalid message received: connection_init payload over max-init-payload-bytes");
	ck_assert_int_eq(h->init_calls, 0);
	ck_assert_ptr_null(gqlws_session_init_payload_json(h->s, NULL));
	harness_free(h);

	gqlws_options_init(&opts);
	ck_assert_uint_eq(opts.max_init_payload_bytes, 65536);
}
END_TEST

START_TEST(modern_large_init_payload_is_refused_without_a_large_print)
{
	/* 200 KiB of small numbers against the default 64 KiB: refused, and
	 * under valgrind/ASan nothing leaks on the way. */
	size_t count = 100 * 1024, n = 0;
	char *text = malloc(2 * count + 64);
	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "{\"type\":\"connection_init\",\"payload\":{\"a\":[");
	for (size_t i = 0; i < count; i++)
		text[n++] = '0', text[n++] = ',';
	strcpy(text + n - 1, "]}}");
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_message_values = count + 8;
	harness *h = harness_new(MODERN, &opts, INIT_ACCEPT);
	h_recv(h, text);
	h_expect_close(h, 4400, "Invalid message received: connection_init payload over max-init-payload-bytes");
	ck_assert_int_eq(h->init_calls, 0);
	harness_free(h);
	free(text);
}
END_TEST

START_TEST(modern_operation_sees_init_payload_as_compact_text)
{
	harness *h = harness_new(MODERN, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload':{ 'a' : [ 1 , 2 ] , 'b' : 'caf\\u00e9' }}");
	h_expect(h, "{'type':'connection_ack'}");
	h_send(h, "{'id':'1','type':'subscribe','payload':{'query':'{ a }'}}");
	ck_assert(h_json_matches("{'a':[1,2],'b':'caf\xc3\xa9'}", h_live(h, "1")->init_payload));
	size_t len = 0;
	ck_assert_str_eq(gqlws_session_init_payload_json(h->s, &len), "{\"a\":[1,2],\"b\":\"caf\xc3\xa9\"}");
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_modern");
	TCase *tc = h_tcase("graphql-transport-ws");
	tcase_add_test(tc, modern_init_accepted_sends_ack);
	tcase_add_test(tc, modern_init_null_or_absent_payload_accepted);
	tcase_add_test(tc, modern_init_ack_carries_hook_payload);
	tcase_add_test(tc, modern_init_without_hook_accepted);
	tcase_add_test(tc, modern_init_accepted_asynchronously);
	tcase_add_test(tc, modern_init_rejected_closes_4403_forbidden);
	tcase_add_test(tc, modern_init_rejected_asynchronously_closes_4403_forbidden);
	tcase_add_test(tc, modern_init_hook_failure_closes_4500);
	tcase_add_test(tc, modern_init_hook_failure_reason_bounded_to_123_bytes);
	tcase_add_test(tc, modern_close_reason_cut_on_a_character_boundary);
	tcase_add_test(tc, modern_second_init_closes_4429);
	tcase_add_test(tc, modern_second_init_while_pending_closes_4429);
	tcase_add_test(tc, modern_init_payload_not_object_closes_4400);
	tcase_add_test(tc, modern_ping_before_init_gets_pong);
	tcase_add_test(tc, modern_ping_payload_echoed_in_pong);
	tcase_add_test(tc, modern_ping_with_payload_not_object_closes_4400);
	tcase_add_test(tc, modern_pong_gets_nothing);
	tcase_add_test(tc, modern_subscribe_before_ack_closes_4401);
	tcase_add_test(tc, modern_subscribe_while_init_pending_closes_4401);
	tcase_add_test(tc, modern_subscribe_runs_operation_and_streams_next_then_complete);
	tcase_add_test(tc, modern_subscribe_with_null_optional_fields_runs);
	tcase_add_test(tc, modern_subscribe_refused_gets_error_array);
	tcase_add_test(tc, modern_syntax_refusal_is_the_same_error_array);
	tcase_add_test(tc, modern_subscribe_refused_inside_op_start_gets_error_array);
	tcase_add_test(tc, modern_running_op_failure_gets_error_array_without_complete);
	tcase_add_test(tc, modern_op_start_failing_gets_internal_error_array);
	tcase_add_test(tc, modern_subscribe_duplicate_running_id_closes_4409);
	tcase_add_test(tc, modern_duplicate_id_close_reason_bounded);
	tcase_add_test(tc, modern_subscribe_id_reusable_after_complete);
	tcase_add_test(tc, modern_subscribe_beyond_max_operations_gets_error);
	tcase_add_test(tc, modern_complete_of_running_op_stops_it_without_reply);
	tcase_add_test(tc, modern_complete_of_unknown_id_does_nothing);
	tcase_add_test(tc, modern_complete_before_ack_of_unknown_id_does_nothing);
	tcase_add_test(tc, modern_text_not_json_closes_4400);
	tcase_add_test(tc, modern_json_not_object_closes_4400);
	tcase_add_test(tc, modern_binary_frame_closes_4400);
	tcase_add_test(tc, modern_missing_or_non_string_type_closes_4400);
	tcase_add_test(tc, modern_unknown_type_closes_4400);
	tcase_add_test(tc, modern_server_only_types_close_4400);
	tcase_add_test(tc, modern_legacy_types_close_4400);
	tcase_add_test(tc, modern_subscribe_with_bad_id_closes_4400);
	tcase_add_test(tc, modern_subscribe_with_over_long_id_closes_4400);
	tcase_add_test(tc, modern_subscribe_with_bad_payload_closes_4400);
	tcase_add_test(tc, modern_complete_with_bad_id_closes_4400);
	tcase_add_test(tc, modern_keepalive_ping_only_after_ack);
	tcase_add_test(tc, modern_keepalive_never_sends_ka);
	tcase_add_test(tc, modern_keepalive_zero_sends_no_ping);
	tcase_add_test(tc, modern_init_timeout_closes_4408);
	tcase_add_test(tc, modern_init_received_disarms_timeout_even_while_pending);
	tcase_add_test(tc, modern_init_timeout_late_tick_still_closes);
	tcase_add_test(tc, modern_nothing_sent_after_close);
	tcase_add_test(tc, modern_send_queue_overflow_closes_1008);
	tcase_add_test(tc, modern_ids_that_differ_after_an_escaped_nul_close_4400);
	tcase_add_test(tc, modern_ping_with_an_escaped_nul_in_its_type_closes_4400);
	tcase_add_test(tc, modern_query_with_an_escaped_nul_is_never_run);
	tcase_add_test(tc, modern_raw_control_characters_in_strings_close_4400);
	tcase_add_test(tc, modern_text_that_is_not_utf8_closes_4400);
	tcase_add_test(tc, modern_json_nested_past_the_parser_limit_closes_4400_saying_so);
	tcase_add_test(tc, modern_message_over_max_message_values_closes_4400);
	tcase_add_test(tc, modern_init_payload_over_max_init_payload_bytes_closes_4400);
	tcase_add_test(tc, modern_large_init_payload_is_refused_without_a_large_print);
	tcase_add_test(tc, modern_operation_sees_init_payload_as_compact_text);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
