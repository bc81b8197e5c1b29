/*
 * session_legacy.c - one Check test per `graphql-ws` (subscriptions-transport-ws)
 * row of lib/PROTOCOL.md, including every bad input, asserting exact frames (as parsed
 * JSON), close codes and reasons, and the executor's start/stop calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY

/* A legacy session whose init was accepted and acknowledged. */
static harness *legacy_ready(const gqlws_options *opts)
{
	harness *h = harness_new(LEGACY, opts, INIT_ACCEPT);
	ck_assert_int_eq(h_send(h, "{'type':'connection_init','payload':{}}"), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	return h;
}

static harness *legacy_with_op(const char *start_json)
{
	harness *h = legacy_ready(NULL);
	ck_assert_int_eq(h_send(h, start_json), GQLWS_OK);
	ck_assert_uint_eq(h_started(h), 1);
	return h;
}

/* ------------------------------------------------------ connection_init */

START_TEST(legacy_init_accepted_sends_ack)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	ck_assert(!gqlws_session_acknowledged(h->s));
	h_send(h, "{'type':'connection_init','payload':{'token':'abc'}}");
	ck_assert_int_eq(h->init_calls, 1);
	ck_assert(h_json_matches("{'token':'abc'}", h->last_init_payload));
	ck_assert_int_eq(h->init_answer_status, GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert(gqlws_session_acknowledged(h->s));
	ck_assert(h_json_matches("{'token':'abc'}", h_session_init_payload(h)));
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_without_payload_accepted)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h->init_calls, 1);
	ck_assert(!h->last_init_had_payload);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_null_payload_accepted)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload':null}");
	ck_assert_int_eq(h->init_calls, 1);
	ck_assert(!h->last_init_had_payload);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_with_id_acked_without_id)
{
	/* The origin echoed the init's id; Apollo's server never does, and
	 * lib/PROTOCOL.md shows the ack without one. */
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_send(h, "{'id':1,'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_ack_carries_hook_payload)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT_PAYLOAD);
	h->ack_payload = h_json("{'server':'lws','limits':[1,2]}");
	h_send(h, "{'type':'connection_init','payload':{}}");
	h_expect(h, "{'type':'connection_ack','payload':{'server':'lws','limits':[1,2]}}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_without_hook_accepted)
{
	harness *h = harness_new(LEGACY, NULL, INIT_NO_HOOK);
	h_send(h, "{'type':'connection_init','payload':{'a':1}}");
	h_expect(h, "{'type':'connection_ack'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert(h_json_matches("{'a':1}", h_live(h, "1")->init_payload));
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_rejected_gets_connection_error_then_close_1011)
{
	harness *h = harness_new(LEGACY, NULL, INIT_REJECT);
	h->init_message = "Prohibited connection!";
	h_send(h, "{'type':'connection_init','payload':{}}");
	ck_assert_int_eq(h->init_answer_status, GQLWS_OK);
	ck_assert(gqlws_session_closing(h->s));
	/* The close waits for the connection_error queued before it. */
	ck_assert(!gqlws_session_close_due(h->s, NULL, NULL, NULL));
	h_expect(h, "{'type':'connection_error','payload':{'message':'Prohibited connection!'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	ck_assert(!gqlws_session_acknowledged(h->s));
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_hook_failure_is_rejection)
{
	harness *h = harness_new(LEGACY, NULL, INIT_FAIL);
	h->init_message = "auth backend down";
	h_send(h, "{'type':'connection_init'}");
	ck_assert(!gqlws_session_close_due(h->s, NULL, NULL, NULL));
	h_expect(h, "{'type':'connection_error','payload':{'message':'auth backend down'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_payload_not_object_gets_connection_error_then_close_4400)
{
	static const char *const inits[] = {
		"{'type':'connection_init','payload':5}",
		"{'type':'connection_init','payload':'token'}",
		"{'type':'connection_init','payload':[1,2]}",
		"{'type':'connection_init','payload':true}",
	};
	for (size_t i = 0; i < sizeof inits / sizeof *inits; i++) {
		harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
		h_send(h, inits[i]);
		/* The hook only ever sees an object or nothing. */
		ck_assert_int_eq(h->init_calls, 0);
		ck_assert(!gqlws_session_close_due(h->s, NULL, NULL, NULL));
		h_expect(h, "{'type':'connection_error','payload':{'message':'<string>'}}");
		h_expect_no_frame(h);
		h_expect_close(h, 4400, NULL);
		harness_free(h);
	}
}
END_TEST

START_TEST(legacy_second_init_gets_connection_error_then_close_4429)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'type':'connection_init','payload':{}}");
	ck_assert_int_eq(h->init_calls, 1);
	h_expect(h, "{'type':'connection_error','payload':{'message':'Too many initialisation requests'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 4429, NULL);
	h_closed(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

START_TEST(legacy_second_init_while_pending_closes_4429)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{}}");
	h_send(h, "{'type':'connection_init','payload':{}}");
	ck_assert_int_eq(h->init_calls, 1);
	h_expect(h, "{'type':'connection_error','payload':{'message':'Too many initialisation requests'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 4429, NULL);
	/* The late answer of the hook changes nothing. */
	ck_assert_int_ne(h_accept(h, NULL), GQLWS_OK);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_accept_without_pending_init_is_state_error)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_ERR_STATE);
	ck_assert_int_eq(gqlws_session_reject_init(h->s, "no"), GQLWS_ERR_STATE);
	h_send(h, "{'type':'connection_init'}");
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_ERR_STATE);
	ck_assert_int_eq(gqlws_session_fail_init(h->s, "no"), GQLWS_ERR_STATE);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* ---------------------------------------------------------------- start */

START_TEST(legacy_start_runs_operation_and_streams_data_then_complete)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'subscription S($n: Int) { counter(limit: $n) { value } }',"
		  "'variables':{'n':3},'operationName':'S','extensions':{'trace':true}}}");
	fake_op *op = h_live(h, "1");
	ck_assert_str_eq(op->query, "subscription S($n: Int) { counter(limit: $n) { value } }");
	ck_assert_str_eq(op->operation_name, "S");
	ck_assert(h_json_matches("{'n':3}", op->variables));
	ck_assert(h_json_matches("{}", op->init_payload));
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 1);
	h_expect_no_frame(h);

	ck_assert_int_eq(h_next(h, "1", "{'data':{'counter':{'value':0}}}"), GQLWS_OK);
	ck_assert_int_eq(h_next(h, "1", "{'data':{'counter':null},'errors':[{'message':'boom','path':['counter']}]}"),
			 GQLWS_OK);
	ck_assert_int_eq(h_complete(h, "1"), GQLWS_OK);
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'counter':{'value':0}}}}");
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'counter':null},'errors':[{'message':'boom','path':['counter']}]}}");
	h_expect(h, "{'type':'complete','id':'1'}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	h_expect_not_stopped(h, "1");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_without_optional_fields_passes_nulls)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ hello }'}}");
	fake_op *op = h_live(h, "1");
	ck_assert_ptr_null(op->operation_name);
	ck_assert_ptr_null(op->variables);
	ck_assert_ptr_null(op->extensions);
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ hello }','variables':null,'operationName':null}}");
	op = h_live(h, "2");
	ck_assert_ptr_null(op->operation_name);
	ck_assert_ptr_null(op->variables);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_number_id_echoed_as_number)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':7,'type':'start','payload':{'query':'{ a }'}}");
	ck_assert_str_eq(h_live(h, "7")->id, "7");
	h_next(h, "7", "{'data':{'a':1}}");
	h_complete(h, "7");
	h_expect(h, "{'type':'data','id':7,'payload':{'data':{'a':1}}}");
	h_expect(h, "{'type':'complete','id':7}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_id_zero_echoed_as_number)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':0,'type':'start','payload':{'query':'{ a }'}}");
	h_next(h, "0", "{'data':{'a':1}}");
	h_fail(h, "0", "gone");
	h_expect(h, "{'type':'data','id':0,'payload':{'data':{'a':1}}}");
	h_expect(h, "{'type':'error','id':0,'payload':{'message':'gone'}}");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_string_id_echoed_as_string)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':'42','type':'start','payload':{'query':'{ a }'}}");
	h_next(h, "42", "{'data':{'a':1}}");
	h_complete(h, "42");
	h_expect(h, "{'type':'data','id':'42','payload':{'data':{'a':1}}}");
	h_expect(h, "{'type':'complete','id':'42'}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_before_init_gets_error)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':2,'type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	h_expect(h, "{'type':'error','id':'1','payload':{'message':'<string>'}}");
	h_expect(h, "{'type':'error','id':2,'payload':{'message':'<string>'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	/* The connection stays usable: an init then a start works. */
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 1);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_after_rejected_init_never_runs)
{
	harness *h = harness_new(LEGACY, NULL, INIT_REJECT);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	h_expect(h, "{'type':'connection_error','payload':{'message':'Prohibited connection!'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_during_pending_init_is_held_then_started_in_order)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{'token':'t'}}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ first }'}}");
	h_send(h, "{'id':2,'type':'start','payload':{'query':'{ second }','variables':{'v':2}}}");
	h_send(h, "{'id':'3','type':'start','payload':{'query':'{ third }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 3);
	h_expect_no_frame(h);
	h_expect_open(h);

	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	h_expect(h, "{'type':'connection_ack'}");
	ck_assert_uint_eq(h_started(h), 3);
	ck_assert_str_eq(h->ops[0].id, "1");
	ck_assert_str_eq(h->ops[0].query, "{ first }");
	ck_assert_str_eq(h->ops[1].id, "2");
	ck_assert_str_eq(h->ops[1].query, "{ second }");
	ck_assert(h_json_matches("{'v':2}", h->ops[1].variables));
	ck_assert_str_eq(h->ops[2].query, "{ third }");
	ck_assert(h_json_matches("{'token':'t'}", h->ops[2].init_payload));

	h_next(h, "2", "{'data':{'second':true}}");
	h_expect(h, "{'type':'data','id':2,'payload':{'data':{'second':true}}}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_during_pending_init_dropped_on_rejection)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{}}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ b }'}}");
	ck_assert_int_eq(gqlws_session_reject_init(h->s, "Bad token"), GQLWS_OK);
	ck_assert_uint_eq(h_started(h), 0);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	ck_assert(!gqlws_session_close_due(h->s, NULL, NULL, NULL));
	h_expect(h, "{'type':'connection_error','payload':{'message':'Bad token'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_during_pending_init_dropped_on_hook_failure)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{}}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_int_eq(gqlws_session_fail_init(h->s, "auth backend down"), GQLWS_OK);
	ck_assert_uint_eq(h_started(h), 0);
	h_expect(h, "{'type':'connection_error','payload':{'message':'auth backend down'}}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_without_id_gets_error_without_id)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	h_expect(h, "{'type':'error','payload':{'message':'<string>'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_with_payload_of_wrong_type_gets_error_with_id)
{
	static const char *const starts[] = {
		"{'id':'1','type':'start'}",
		"{'id':'1','type':'start','payload':null}",
		"{'id':'1','type':'start','payload':'{ a }'}",
		"{'id':'1','type':'start','payload':5}",
		"{'id':'1','type':'start','payload':[{'query':'{ a }'}]}",
	};
	harness *h = legacy_ready(NULL);
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		h_send(h, starts[i]);
		h_expect(h, "{'type':'error','id':'1','payload':{'message':'<string>'}}");
	}
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_with_query_of_wrong_type_gets_error_with_id)
{
	static const char *const starts[] = {
		"{'id':3,'type':'start','payload':{}}",
		"{'id':3,'type':'start','payload':{'query':null}}",
		"{'id':3,'type':'start','payload':{'query':5}}",
		"{'id':3,'type':'start','payload':{'query':{'kind':'Document'}}}",
		"{'id':3,'type':'start','payload':{'query':['{ a }']}}",
	};
	harness *h = legacy_ready(NULL);
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		h_send(h, starts[i]);
		h_expect(h, "{'type':'error','id':3,'payload':{'message':'<string>'}}");
	}
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_with_variables_or_operation_name_of_wrong_type_gets_error)
{
	/* lib/PROTOCOL.md names the payload and the query; the request promises the
	 * executor an object or nothing for variables, and a string or nothing
	 * for the operation name, so anything else is refused the same way. */
	static const char *const starts[] = {
		"{'id':'1','type':'start','payload':{'query':'{ a }','variables':'x'}}",
		"{'id':'1','type':'start','payload':{'query':'{ a }','variables':[1]}}",
		"{'id':'1','type':'start','payload':{'query':'{ a }','operationName':5}}",
		"{'id':'1','type':'start','payload':{'query':'{ a }','operationName':{}}}",
	};
	harness *h = legacy_ready(NULL);
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		h_send(h, starts[i]);
		h_expect(h, "{'type':'error','id':'1','payload':{'message':'<string>'}}");
	}
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_with_id_of_wrong_type_is_not_started)
{
	/* An id that is neither a string nor a number cannot be echoed with
	 * its type; the start is answered with an error and never runs. */
	static const char *const starts[] = {
		"{'id':true,'type':'start','payload':{'query':'{ a }'}}",
		"{'id':{'a':1},'type':'start','payload':{'query':'{ a }'}}",
		"{'id':[1],'type':'start','payload':{'query':'{ a }'}}",
	};
	harness *h = legacy_ready(NULL);
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		h_send(h, starts[i]);
		const cJSON *frame = h_take(h);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(frame, "type")->valuestring, "error");
		ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(frame, "payload"), "message")));
	}
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_refused_gets_data_errors_then_complete)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a'}}");
	ck_assert_int_eq(h_refuse(h, "1", "[{'message':'Syntax Error: Expected Name, found <EOF>.',"
					  "'locations':[{'line':1,'column':4}]}]"),
			 GQLWS_OK);
	h_expect(h, "{'type':'data','id':'1','payload':{'errors':[{'message':'Syntax Error: Expected Name, found <EOF>.',"
		    "'locations':[{'line':1,'column':4}]}]}}");
	h_expect(h, "{'type':'complete','id':'1'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	harness_free(h);
}
END_TEST

static void refuse_unknown_field(harness *h, fake_op *op)
{
	ck_assert_int_eq(h_refuse(h, op->id, "[{'message':'Cannot query field \\\"nope\\\" on type \\\"Query\\\".'}]"),
			 GQLWS_OK);
}

START_TEST(legacy_refuse_inside_op_start_gets_data_errors_then_complete)
{
	harness *h = legacy_ready(NULL);
	h->on_start = refuse_unknown_field;
	h_send(h, "{'id':5,'type':'start','payload':{'query':'{ nope }'}}");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	h_expect(h, "{'type':'data','id':5,'payload':{'errors':[{'message':'Cannot query field \\\"nope\\\" on type \\\"Query\\\".'}]}}");
	h_expect(h, "{'type':'complete','id':5}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_refuse_after_a_result_is_state_error)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_next(h, "1", "{'data':{'a':1}}");
	ck_assert_int_eq(h_refuse(h, "1", "[{'message':'late'}]"), GQLWS_ERR_STATE);
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'a':1}}}");
	h_expect_no_frame(h);
	ck_assert(h_live(h, "1")->live);
	harness_free(h);
}
END_TEST

START_TEST(legacy_refuse_with_no_errors_is_invalid)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_int_eq(h_refuse(h, "1", "[]"), GQLWS_ERR_INVALID);
	ck_assert_int_eq(h_refuse(h, "1", "{'message':'x'}"), GQLWS_ERR_INVALID);
	h_expect_no_frame(h);
	/* Still running: it can refuse properly now. */
	ck_assert_int_eq(h_refuse(h, "1", "[{'message':'x'}]"), GQLWS_OK);
	h_expect(h, "{'type':'data','id':'1','payload':{'errors':[{'message':'x'}]}}");
	h_expect(h, "{'type':'complete','id':'1'}");
	harness_free(h);
}
END_TEST

/* Apollo's server answers a start whose query does not parse with an
 * error message (its client hands it to the observer's error) and no
 * complete; the connection stays and the id is free again. */
START_TEST(legacy_start_that_does_not_parse_gets_error_without_complete)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a'}}");
	ck_assert_int_eq(h_refuse_syntax(h, "1", "[{'message':'Syntax Error: Expected Name, found <EOF>.',"
						 "'locations':[{'line':1,'column':4}]}]"),
			 GQLWS_OK);
	h_expect(h, "{'type':'error','id':'1','payload':{'message':'Syntax Error: Expected Name, found <EOF>.',"
		    "'locations':[{'line':1,'column':4}]}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	h_expect_not_stopped(h, "1");

	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert(h_live(h, "1")->live);
	harness_free(h);
}
END_TEST

static void refuse_as_syntax(harness *h, fake_op *op)
{
	ck_assert_int_eq(h_refuse_syntax(h, op->id, "[{'message':'Document exceeds max-document-tokens (3).',"
						    "'locations':[{'line':1,'column':7}]}]"),
			 GQLWS_OK);
}

START_TEST(legacy_syntax_refusal_inside_op_start_echoes_a_number_id)
{
	harness *h = legacy_ready(NULL);
	h->on_start = refuse_as_syntax;
	h_send(h, "{'id':5,'type':'start','payload':{'query':'{ a b c }'}}");
	h_expect(h, "{'type':'error','id':5,'payload':{'message':'Document exceeds max-document-tokens (3).',"
		    "'locations':[{'line':1,'column':7}]}}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	harness_free(h);
}
END_TEST

START_TEST(legacy_syntax_refusal_follows_the_refuse_rules)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_int_eq(h_refuse_syntax(h, "1", "[]"), GQLWS_ERR_INVALID);
	ck_assert_int_eq(h_refuse_syntax(h, "1", "{'message':'x'}"), GQLWS_ERR_INVALID);
	h_next(h, "1", "{'data':{'a':1}}");
	ck_assert_int_eq(h_refuse_syntax(h, "1", "[{'message':'late'}]"), GQLWS_ERR_STATE);
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'a':1}}}");
	h_expect_no_frame(h);
	ck_assert(h_live(h, "1")->live);
	harness_free(h);
}
END_TEST

START_TEST(legacy_running_op_failure_gets_error_without_complete)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'subscription { s }'}}");
	h_next(h, "1", "{'data':{'s':1}}");
	ck_assert_int_eq(h_fail(h, "1", "stream kaboom"), GQLWS_OK);
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'s':1}}}");
	h_expect(h, "{'type':'error','id':'1','payload':{'message':'stream kaboom'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	h_expect_not_stopped(h, "1");
	/* The id is free again. */
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	harness_free(h);
}
END_TEST

START_TEST(legacy_op_start_failing_gets_internal_error)
{
	harness *h = legacy_ready(NULL);
	h->op_start_return = -1;
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 1);
	h_expect(h, "{'type':'error','id':'1','payload':{'message':'Internal error'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	harness_free(h);
}
END_TEST

START_TEST(legacy_completed_op_is_gone)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	uint64_t serial = h_live(h, "1")->serial;
	ck_assert_ptr_eq(gqlws_session_find_op(h->s, serial), h_live(h, "1")->op);
	h_complete(h, "1");
	ck_assert_ptr_null(gqlws_session_find_op(h->s, serial));
	h_expect(h, "{'type':'complete','id':'1'}");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_same_id_replaces_running_op_silently)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'subscription { old }'}}");
	fake_op *old = h_live(h, "1");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'subscription { new }'}}");
	ck_assert_int_eq(old->stop_calls, 1);
	ck_assert(!old->live);
	ck_assert_uint_eq(h_started(h), 2);
	fake_op *fresh = h_live(h, "1");
	ck_assert_ptr_ne(fresh, old);
	ck_assert_str_eq(fresh->query, "subscription { new }");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 1);
	h_expect_no_frame(h); /* silently: no complete for the old one */
	h_next(h, "1", "{'data':{'new':1}}");
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'new':1}}}");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_beyond_max_operations_gets_error)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_operations = 2;
	harness *h = legacy_ready(&opts);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'3','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':4,'type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	h_expect(h, "{'type':'error','id':'3','payload':{'message':'<string>'}}");
	h_expect(h, "{'type':'error','id':4,'payload':{'message':'<string>'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	/* The running ones are untouched; once one ends there is room again. */
	h_expect_not_stopped(h, "1");
	h_complete(h, "1");
	h_expect(h, "{'type':'complete','id':'1'}");
	h_send(h, "{'id':'3','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 3);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_start_replacing_an_id_at_max_operations_is_allowed)
{
	/* Apollo's client re-sends its starts with the same ids after a
	 * reconnect; a replacement does not add an operation. */
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_operations = 1;
	harness *h = legacy_ready(&opts);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ b }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	ck_assert_str_eq(h_live(h, "1")->query, "{ b }");
	ck_assert_int_eq(h->ops[0].stop_calls, 1);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_id_longer_than_max_id_bytes_is_invalid)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_id_bytes = 8;
	harness *h = legacy_ready(&opts);
	h_send(h, "{'id':'123456789','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':123456789,'type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 0);
	for (int i = 0; i < 2; i++) {
		const cJSON *frame = h_take(h);
		ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(frame, "type")->valuestring, "error");
	}
	h_expect_no_frame(h);
	h_expect_open(h);
	/* Exactly max-id-bytes is fine, as a string and as a number. */
	h_send(h, "{'id':'12345678','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':87654321,'type':'start','payload':{'query':'{ a }'}}");
	ck_assert_uint_eq(h_started(h), 2);
	h_next(h, "87654321", "{'data':{}}");
	h_expect(h, "{'type':'data','id':87654321,'payload':{'data':{}}}");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_stop_of_long_id_is_harmless)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_id_bytes = 4;
	harness *h = legacy_ready(&opts);
	h_send(h, "{'id':'abcd','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'abcdefgh','type':'stop'}");
	h_expect_not_stopped(h, "abcd");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* ----------------------------------------------------------------- stop */

START_TEST(legacy_stop_of_running_op_stops_then_completes)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'subscription { s }'}}");
	uint64_t serial = h_live(h, "1")->serial;
	h_next(h, "1", "{'data':{'s':1}}");
	h_send(h, "{'id':'1','type':'stop'}");
	h_expect_stopped(h, "1");
	ck_assert_ptr_null(gqlws_session_find_op(h->s, serial));
	h_expect(h, "{'type':'data','id':'1','payload':{'data':{'s':1}}}");
	h_expect(h, "{'type':'complete','id':'1'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	/* A second stop of the same id is an unknown id now. */
	h_send(h, "{'id':'1','type':'stop'}");
	h_expect_no_frame(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

START_TEST(legacy_stop_of_number_id_completes_with_number)
{
	harness *h = legacy_with_op("{'id':9,'type':'start','payload':{'query':'subscription { s }'}}");
	h_send(h, "{'id':9,'type':'stop'}");
	h_expect_stopped(h, "9");
	h_expect(h, "{'type':'complete','id':9}");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_stop_of_unknown_id_does_nothing)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'2','type':'stop'}");
	h_send(h, "{'id':2,'type':'stop'}");
	h_send(h, "{'id':'toString','type':'stop'}");
	h_expect_no_frame(h);
	h_expect_not_stopped(h, "1");
	/* An op that ended by itself is unknown too: no op_stop for it. */
	h_complete(h, "1");
	h_expect(h, "{'type':'complete','id':'1'}");
	h_send(h, "{'id':'1','type':'stop'}");
	h_expect_no_frame(h);
	h_expect_not_stopped(h, "1");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_stop_of_held_start_never_starts_it)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ b }'}}");
	h_send(h, "{'id':'1','type':'stop'}");
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	ck_assert_uint_eq(h_started(h), 1);
	ck_assert_str_eq(h->ops[0].id, "2");
	harness_free(h);
}
END_TEST

START_TEST(legacy_stop_without_id_stops_nothing)
{
	harness *h = legacy_with_op("{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'type':'stop'}");
	h_send(h, "{'type':'stop','id':null}");
	h_send(h, "{'type':'stop','id':{'id':'1'}}");
	h_drain(h);
	h->checked = h->n_frames; /* an error or nothing: lib/PROTOCOL.md leaves it open */
	h_expect_not_stopped(h, "1");
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_held_starts_count_toward_max_operations)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_operations = 2;
	harness *h = harness_new(LEGACY, &opts, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'2','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'id':'3','type':'start','payload':{'query':'{ a }'}}");
	h_expect(h, "{'type':'error','id':'3','payload':{'message':'<string>'}}");
	h_accept(h, NULL);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(h_started(h), 2);
	harness_free(h);
}
END_TEST

START_TEST(legacy_held_start_replaced_by_same_id)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ old }'}}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ new }'}}");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 1);
	h_accept(h, NULL);
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(h_started(h), 1);
	ck_assert_str_eq(h->ops[0].query, "{ new }");
	harness_free(h);
}
END_TEST

/* ------------------------------------------------- connection_terminate */

START_TEST(legacy_connection_terminate_stops_every_op_and_closes_1011)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'subscription { a }'}}");
	h_send(h, "{'id':2,'type':'start','payload':{'query':'subscription { b }'}}");
	h_send(h, "{'id':'3','type':'start','payload':{'query':'{ c }'}}");
	h_complete(h, "3");
	h_send(h, "{'type':'connection_terminate'}");
	h_expect_stopped(h, "1");
	h_expect_stopped(h, "2");
	h_expect_not_stopped(h, "3");
	ck_assert_uint_eq(gqlws_session_op_count(h->s), 0);
	h_expect(h, "{'type':'complete','id':'3'}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(legacy_connection_terminate_before_init_closes_1011)
{
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_send(h, "{'type':'connection_terminate'}");
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

START_TEST(legacy_connection_terminate_drops_held_starts)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_send(h, "{'type':'connection_terminate'}");
	h_expect_close(h, 1011, NULL);
	ck_assert_int_ne(h_accept(h, NULL), GQLWS_OK);
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

/* ------------------------------------------------------------ bad input */

START_TEST(legacy_text_not_json_gets_connection_error_and_stays_usable)
{
	static const char *const texts[] = {"HI", "", "{", "{\"type\":", "{'type':'start'}", "nul", "\xff\xfe"};
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		ck_assert_int_eq(h_recv(h, texts[i]), GQLWS_OK);
		h_expect(h, "{'type':'connection_error','payload':{'message':'<string>'}}");
		h_expect_open(h);
	}
	ck_assert_int_eq(h->init_calls, 0);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_recv(h, "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}} trailing");
	h_expect(h, "{'type':'connection_error','payload':{'message':'<string>'}}");
	ck_assert_uint_eq(h_started(h), 0);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_json_not_object_gets_connection_error)
{
	static const char *const texts[] = {"[1,2]", "5", "\"connection_init\"", "null", "true", "[]"};
	harness *h = legacy_ready(NULL);
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		ck_assert_int_eq(h_recv(h, texts[i]), GQLWS_OK);
		h_expect(h, "{'type':'connection_error','payload':{'message':'<string>'}}");
	}
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_binary_frame_gets_connection_error)
{
	static const char init[] = "{\"type\":\"connection_init\"}";
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	ck_assert_int_eq(h_recv_binary(h, init, strlen(init)), GQLWS_OK);
	ck_assert_int_eq(h->init_calls, 0);
	h_expect(h, "{'type':'connection_error','payload':{'message':'<string>'}}");
	static const unsigned char junk[] = {0x00, 0x01, 0xff, 0x7b};
	ck_assert_int_eq(h_recv_binary(h, junk, sizeof junk), GQLWS_OK);
	h_expect(h, "{'type':'connection_error','payload':{'message':'<string>'}}");
	h_expect_open(h);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_text_with_nul_byte_is_not_json)
{
	static const char text[] = "{\"type\":\"connection_init\"}\0garbage";
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	gqlws_session_receive(h->s, text, sizeof text - 1, false, h->now);
	const cJSON *frame = h_take(h);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(frame, "type")->valuestring, "connection_error");
	ck_assert_int_eq(h->init_calls, 0);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_missing_type_gets_unknown_message_type_error)
{
	harness *h = legacy_ready(NULL);
	h_send(h, "{}");
	h_expect(h, "{'type':'error','payload':{'message':'Unknown message type'}}");
	h_send(h, "{'id':'3','payload':{'query':'{ a }'}}");
	h_expect(h, "{'type':'error','id':'3','payload':{'message':'Unknown message type'}}");
	h_send(h, "{'id':3}");
	h_expect(h, "{'type':'error','id':3,'payload':{'message':'Unknown message type'}}");
	h_send(h, "{'type':null,'id':'4'}");
	h_expect(h, "{'type':'error','id':'4','payload':{'message':'Unknown message type'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(h_started(h), 0);
	harness_free(h);
}
END_TEST

START_TEST(legacy_unknown_type_gets_unknown_message_type_error)
{
	static const char *const types[] = {"foo", "ka", "subscribe", "next", "ping", "pong", "data",
					    "connection_ack", "complete", "START", "", "start "};
	harness *h = legacy_ready(NULL);
	char text[128];
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		snprintf(text, sizeof text, "{\"type\":\"%s\"}", types[i]);
		h_recv(h, text);
		h_expect(h, "{'type':'error','payload':{'message':'Unknown message type'}}");
		snprintf(text, sizeof text, "{\"id\":\"7\",\"type\":\"%s\",\"payload\":{\"query\":\"{ a }\"}}", types[i]);
		h_recv(h, text);
		h_expect(h, "{'type':'error','id':'7','payload':{'message':'Unknown message type'}}");
	}
	h_send(h, "{'type':5,'id':8}");
	h_expect(h, "{'type':'error','id':8,'payload':{'message':'Unknown message type'}}");
	h_send(h, "{'type':['start'],'id':'8'}");
	h_expect(h, "{'type':'error','id':'8','payload':{'message':'Unknown message type'}}");
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(h_started(h), 0);
	harness_free(h);
}
END_TEST

/* ------------------------------------------------------------ keep-alive */

START_TEST(legacy_keepalive_ka_right_after_ack_then_every_interval)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 10000;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_expect(h, "{'type':'ka'}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 1000 + 10000);
	h_advance(h, 9999);
	h_expect_no_frame(h);
	h_advance(h, 1);
	h_expect(h, "{'type':'ka'}");
	h_expect_no_frame(h);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 1000 + 20000);
	h_advance(h, 10000);
	h_expect(h, "{'type':'ka'}");
	h_advance(h, 10000);
	h_expect(h, "{'type':'ka'}");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_keepalive_late_tick_sends_one_ka)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 1000;
	harness *h = legacy_ready(&opts);
	h_expect(h, "{'type':'ka'}");
	h_advance(h, 5500); /* a transport that was busy: one ka, not five */
	h_expect(h, "{'type':'ka'}");
	h_expect_no_frame(h);
	ck_assert_uint_gt(gqlws_session_next_deadline(h->s), h->now);
	harness_free(h);
}
END_TEST

START_TEST(legacy_keepalive_after_asynchronous_accept)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 500;
	harness *h = harness_new(LEGACY, &opts, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_advance(h, 2000);
	h_expect_no_frame(h); /* never a ka before the ack */
	h_accept(h, "{'welcome':true}");
	h_expect(h, "{'type':'connection_ack','payload':{'welcome':true}}");
	h_expect(h, "{'type':'ka'}");
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), h->now + 500);
	h_advance(h, 500);
	h_expect(h, "{'type':'ka'}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_keepalive_zero_sends_no_ka)
{
	harness *h = legacy_ready(NULL); /* quiet options: keepalive 0 */
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	h_advance(h, 100000);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_no_ka_before_init)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 100;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	h_advance(h, 1000);
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_ka_stops_after_close)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 100;
	harness *h = legacy_ready(&opts);
	h_expect(h, "{'type':'ka'}");
	h_send(h, "{'type':'connection_terminate'}");
	h_advance(h, 1000);
	h_expect_no_frame(h);
	h_expect_close(h, 1011, NULL);
	harness_free(h);
}
END_TEST

/* ----------------------------------------------------------- init timeout */

START_TEST(legacy_init_timeout_closes_4408)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 1000 + 3000);
	h_advance(h, 2999);
	h_expect_open(h);
	h_advance(h, 1);
	h_expect_no_frame(h);
	h_expect_close(h, 4408, "Connection initialisation timeout");
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_in_time_disarms_timeout)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	h_advance(h, 2000);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	h_advance(h, 5000);
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_pending_init_does_not_time_out)
{
	/* The timeout is about the client sending its init; a slow hook is
	 * the server's own doing (graphql-ws behaves the same). */
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(LEGACY, &opts, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_advance(h, 10000);
	h_expect_open(h);
	h_accept(h, NULL);
	h_expect(h, "{'type':'connection_ack'}");
	harness_free(h);
}
END_TEST

START_TEST(legacy_invalid_messages_do_not_disarm_init_timeout)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	h_recv(h, "HI");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	h_drain(h);
	h->checked = h->n_frames;
	h_advance(h, 3000);
	h_expect_close(h, 4408, "Connection initialisation timeout");
	harness_free(h);
}
END_TEST

START_TEST(legacy_keepalive_and_init_timeout_share_the_deadline)
{
	gqlws_options opts;
	gqlws_options_init(&opts);
	opts.keepalive_ms = 10000;
	opts.init_timeout_ms = 3000;
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 4000);
	h_advance(h, 1000);
	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	h_expect(h, "{'type':'ka'}");
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 2000 + 10000);
	h_advance(h, 2000); /* past the old init deadline: nothing happens */
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* ------------------------------------------------------ after the close */

START_TEST(legacy_nothing_sent_after_close)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.keepalive_ms = 100;
	harness *h = legacy_ready(&opts);
	h_expect(h, "{'type':'ka'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'subscription { a }'}}");
	h_send(h, "{'type':'connection_terminate'}");
	h_expect_close(h, 1011, NULL);
	ck_assert_int_eq(h_send(h, "{'id':'2','type':'start','payload':{'query':'{ a }'}}"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(h_recv(h, "HI"), GQLWS_ERR_CLOSED);
	ck_assert_int_eq(h_send(h, "{'type':'connection_init'}"), GQLWS_ERR_CLOSED);
	h_advance(h, 1000);
	ck_assert_uint_eq(h_started(h), 1);
	h_expect_no_frame(h);
	ck_assert_uint_eq(gqlws_session_queued_bytes(h->s), 0);
	ck_assert_uint_eq(gqlws_session_next_deadline(h->s), 0);
	h_closed(h);
	h_expect_no_frame(h);
	h_expect_stopped(h, "1");
	harness_free(h);
}
END_TEST

START_TEST(legacy_send_queue_overflow_closes_1008)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.send_queue_bytes = 1024;
	harness *h = legacy_ready(&opts);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'subscription { a }'}}");
	h_send(h, "{'id':'2','type':'start','payload':{'query':'subscription { b }'}}");
	/* A client that never reads: results pile up until the bound. */
	int sent = 0;
	for (; sent < 100 && !gqlws_session_closing(h->s); sent++) {
		int status = h_next(h, "1", "{'data':{'a':'0123456789012345678901234567890123456789012345678901234567890123456789'}}");
		ck_assert(status == GQLWS_OK || status == GQLWS_ERR_CLOSED);
		ck_assert_uint_le(gqlws_session_queued_bytes(h->s), 1024);
	}
	/* The queue counts what frames take from the heap: each of these
	 * (payload under 256 bytes) takes 288, so 3 fit and the 4th overflows. */
	ck_assert(gqlws_session_closing(h->s));
	ck_assert_int_eq(sent, 4);
	/* Operations still alive can no longer send. */
	fake_op *other = h_op(h, "2");
	if (gqlws_session_find_op(h->s, other->serial)) {
		ck_assert_int_eq(h_next(h, "2", "{'data':{}}"), GQLWS_ERR_CLOSED);
	}
	h_drain(h);
	while (h->checked < h->n_frames)
		ck_assert(h_json_matches("{'type':'data','id':'1','payload':'<any>'}", h_take(h)));
	h_expect_close(h, 1008, "Send queue limit exceeded");
	h_closed(h);
	h_expect_stopped(h, "1");
	h_expect_stopped(h, "2");
	h_expect_no_frame(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_reading_client_never_overflows)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.send_queue_bytes = 1024; /* the option's minimum: 3 small frames */
	harness *h = legacy_ready(&opts);
	h_send(h, "{'id':'1','type':'start','payload':{'query':'subscription { a }'}}");
	for (int i = 0; i < 1000; i++) {
		ck_assert_int_eq(h_next(h, "1", "{'data':{'a':'0123456789012345678901234567890123456789'}}"), GQLWS_OK);
		h_expect(h, "{'type':'data','id':'1','payload':{'data':{'a':'0123456789012345678901234567890123456789'}}}");
	}
	h_expect_open(h);
	harness_free(h);
}
END_TEST

/* ---------------------------------------------------------- strict JSON */

/* {"type":<type>,"id":"nope","payload":{"a":[[...]]}} nested depth levels. */
static char *nested_message(const char *type, size_t depth)
{
	size_t arrays = depth - 2, n = 0;
	char *text = malloc(2 * arrays + strlen(type) + 64);
	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "{\"type\":\"%s\",\"id\":\"nope\",\"payload\":{\"a\":", type);
	memset(text + n, '[', arrays);
	memset(text + n + arrays, ']', arrays);
	n += 2 * arrays;
	strcpy(text + n, "}}");
	return text;
}

/* Asserts the next frame is connection_error with exactly this message. */
static void expect_connection_error(harness *h, const char *message)
{
	const cJSON *frame = h_take(h);
	ck_assert(h_json_matches("{'type':'connection_error','payload':{'message':'<string>'}}", frame));
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(frame, "payload");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(payload, "message")->valuestring, message);
}

/* Feeds len bytes as they are to a ready session: connection_error with that
 * message, nothing started, and the connection stays usable. */
static void expect_refused_bytes(const char *text, size_t len, const char *message)
{
	harness *h = legacy_ready(NULL);
	ck_assert_int_eq(gqlws_session_receive(h->s, text, len, false, h->now), GQLWS_OK);
	expect_connection_error(h, message);
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(h_started(h), 0);
	h_send(h, "{'id':'ok','type':'start','payload':{'query':'{ a }'}}");
	h_live(h, "ok");
	harness_free(h);
}

static void expect_refused(const char *text, const char *message)
{
	expect_refused_bytes(text, strlen(text), message);
}

#define NUL_MESSAGE "Invalid message received: \\u0000 in a string is not supported"
#define CONTROL_MESSAGE "Invalid message received: not JSON: unescaped control character in a string"

START_TEST(legacy_ids_that_differ_after_an_escaped_nul_are_refused)
{
	/* cJSON would read both as "a": the second would replace the first. */
	harness *h = legacy_ready(NULL);
	h_recv(h, "{\"id\":\"a\\u0000b\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}}");
	h_recv(h, "{\"id\":\"a\\u0000c\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}}");
	expect_connection_error(h, NUL_MESSAGE);
	expect_connection_error(h, NUL_MESSAGE);
	h_expect_no_frame(h);
	h_expect_open(h);
	ck_assert_uint_eq(h_started(h), 0);
	harness_free(h);
}
END_TEST

START_TEST(legacy_type_with_an_escaped_nul_is_refused)
{
	/* cJSON would read "connection_init" and acknowledge it. */
	harness *h = harness_new(LEGACY, NULL, INIT_ACCEPT);
	h_recv(h, "{\"type\":\"connection_init\\u0000x\"}");
	expect_connection_error(h, NUL_MESSAGE);
	h_expect_no_frame(h);
	ck_assert_int_eq(h->init_calls, 0);
	ck_assert(!gqlws_session_acknowledged(h->s));
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_query_with_an_escaped_nul_is_never_run)
{
	expect_refused("{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{ hello }\\u0000 {{{\"}}", NUL_MESSAGE);
	expect_refused("{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\",\"operationName\":\"A\\u0000\"}}",
		       NUL_MESSAGE);
}
END_TEST

START_TEST(legacy_raw_control_characters_in_strings_are_refused)
{
	static const char nul[] = "{\"id\":\"a\0b\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}}";
	expect_refused("{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{\na }\"}}", CONTROL_MESSAGE);
	expect_refused("{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{\ta }\"}}", CONTROL_MESSAGE);
	expect_refused_bytes(nul, sizeof nul - 1, CONTROL_MESSAGE);
}
END_TEST

START_TEST(legacy_text_that_is_not_utf8_is_refused)
{
	expect_refused("{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{ a } #\xff\"}}",
		       "Invalid message received: not UTF-8");
	expect_refused("{\"id\":\"\\udc00\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}}",
		       "Invalid message received: unpaired UTF-16 surrogate escape in a string");
}
END_TEST

START_TEST(legacy_json_nested_past_the_parser_limit_is_refused_saying_so)
{
	char *at_limit = nested_message("stop", 1000);
	char *past_limit = nested_message("stop", 1001);
	harness *h = legacy_ready(NULL);
	h_recv(h, at_limit); /* a stop of an unknown id: nothing */
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
	expect_refused(past_limit, "Invalid message received: JSON nested too deeply (limit 1000)");
	free(at_limit);
	free(past_limit);
}
END_TEST

START_TEST(legacy_message_over_max_message_values_is_refused)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_message_values = 16;
	harness *h = legacy_ready(&opts);
	/* object, "stop", "x", payload object, array and 11 numbers: 16 values */
	h_send(h, "{'type':'stop','id':'x','payload':{'a':[1,2,3,4,5,6,7,8,9,10,11]}}");
	h_expect_no_frame(h);
	h_send(h, "{'type':'stop','id':'x','payload':{'a':[1,2,3,4,5,6,7,8,9,10,11,12]}}");
	expect_connection_error(h, "Invalid message received: more than 16 JSON values (max-message-values)");
	h_expect_no_frame(h);
	h_expect_open(h);
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_payload_over_max_init_payload_bytes_gets_connection_error_then_close_4400)
{
	gqlws_options opts;
	harness_quiet_options(&opts);
	opts.max_init_payload_bytes = 22;
	/* {"token":"0123456789"}: 22 bytes, however it is spaced. */
	harness *h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload':{ 'token' :\t'0123456789' }}");
	h_expect(h, "{'type':'connection_ack'}");
	h_expect_open(h);
	harness_free(h);

	h = harness_new(LEGACY, &opts, INIT_ACCEPT);
	h_send(h, "{'type':'connection_init','payload':{'token':'0123456789X'}}");
	ck_assert_int_eq(h->init_calls, 0);
	expect_connection_error(h, "Invalid connection_init payload: larger than 22 bytes (max-init-payload-bytes)");
	h_expect_no_frame(h);
	h_expect_close(h, 4400, "Invalid connection_init payload: too large");
	harness_free(h);
}
END_TEST

START_TEST(legacy_init_payload_is_kept_as_compact_text_and_pending_hooks_can_read_it)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init','payload':{ 'a' : [ 1, 2.5, true ], 'b' : { } }}");
	ck_assert(h_json_matches("{'a':[1,2.5,true],'b':{}}", h->last_init_payload));
	size_t len = 0;
	const char *text = gqlws_session_init_payload_json(h->s, &len);
	ck_assert_str_eq(text, "{\"a\":[1,2.5,true],\"b\":{}}");
	ck_assert_uint_eq(len, strlen(text));
	h_send(h, "{'id':'1','type':'start','payload':{'query':'{ a }'}}");
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	ck_assert(h_json_matches("{'a':[1,2.5,true],'b':{}}", h_live(h, "1")->init_payload));
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_legacy");
	TCase *tc = h_tcase("graphql-ws");
	tcase_add_test(tc, legacy_init_accepted_sends_ack);
	tcase_add_test(tc, legacy_init_without_payload_accepted);
	tcase_add_test(tc, legacy_init_null_payload_accepted);
	tcase_add_test(tc, legacy_init_with_id_acked_without_id);
	tcase_add_test(tc, legacy_init_ack_carries_hook_payload);
	tcase_add_test(tc, legacy_init_without_hook_accepted);
	tcase_add_test(tc, legacy_init_rejected_gets_connection_error_then_close_1011);
	tcase_add_test(tc, legacy_init_hook_failure_is_rejection);
	tcase_add_test(tc, legacy_init_payload_not_object_gets_connection_error_then_close_4400);
	tcase_add_test(tc, legacy_second_init_gets_connection_error_then_close_4429);
	tcase_add_test(tc, legacy_second_init_while_pending_closes_4429);
	tcase_add_test(tc, legacy_accept_without_pending_init_is_state_error);
	tcase_add_test(tc, legacy_start_runs_operation_and_streams_data_then_complete);
	tcase_add_test(tc, legacy_start_without_optional_fields_passes_nulls);
	tcase_add_test(tc, legacy_start_number_id_echoed_as_number);
	tcase_add_test(tc, legacy_start_id_zero_echoed_as_number);
	tcase_add_test(tc, legacy_start_string_id_echoed_as_string);
	tcase_add_test(tc, legacy_start_before_init_gets_error);
	tcase_add_test(tc, legacy_start_after_rejected_init_never_runs);
	tcase_add_test(tc, legacy_start_during_pending_init_is_held_then_started_in_order);
	tcase_add_test(tc, legacy_start_during_pending_init_dropped_on_rejection);
	tcase_add_test(tc, legacy_start_during_pending_init_dropped_on_hook_failure);
	tcase_add_test(tc, legacy_start_without_id_gets_error_without_id);
	tcase_add_test(tc, legacy_start_with_payload_of_wrong_type_gets_error_with_id);
	tcase_add_test(tc, legacy_start_with_query_of_wrong_type_gets_error_with_id);
	tcase_add_test(tc, legacy_start_with_variables_or_operation_name_of_wrong_type_gets_error);
	tcase_add_test(tc, legacy_start_with_id_of_wrong_type_is_not_started);
	tcase_add_test(tc, legacy_start_refused_gets_data_errors_then_complete);
	tcase_add_test(tc, legacy_refuse_inside_op_start_gets_data_errors_then_complete);
	tcase_add_test(tc, legacy_refuse_after_a_result_is_state_error);
	tcase_add_test(tc, legacy_refuse_with_no_errors_is_invalid);
	tcase_add_test(tc, legacy_start_that_does_not_parse_gets_error_without_complete);
	tcase_add_test(tc, legacy_syntax_refusal_inside_op_start_echoes_a_number_id);
	tcase_add_test(tc, legacy_syntax_refusal_follows_the_refuse_rules);
	tcase_add_test(tc, legacy_running_op_failure_gets_error_without_complete);
	tcase_add_test(tc, legacy_op_start_failing_gets_internal_error);
	tcase_add_test(tc, legacy_completed_op_is_gone);
	tcase_add_test(tc, legacy_start_same_id_replaces_running_op_silently);
	tcase_add_test(tc, legacy_start_beyond_max_operations_gets_error);
	tcase_add_test(tc, legacy_start_replacing_an_id_at_max_operations_is_allowed);
	tcase_add_test(tc, legacy_id_longer_than_max_id_bytes_is_invalid);
	tcase_add_test(tc, legacy_stop_of_long_id_is_harmless);
	tcase_add_test(tc, legacy_stop_of_running_op_stops_then_completes);
	tcase_add_test(tc, legacy_stop_of_number_id_completes_with_number);
	tcase_add_test(tc, legacy_stop_of_unknown_id_does_nothing);
	tcase_add_test(tc, legacy_stop_of_held_start_never_starts_it);
	tcase_add_test(tc, legacy_stop_without_id_stops_nothing);
	tcase_add_test(tc, legacy_held_starts_count_toward_max_operations);
	tcase_add_test(tc, legacy_held_start_replaced_by_same_id);
	tcase_add_test(tc, legacy_connection_terminate_stops_every_op_and_closes_1011);
	tcase_add_test(tc, legacy_connection_terminate_before_init_closes_1011);
	tcase_add_test(tc, legacy_connection_terminate_drops_held_starts);
	tcase_add_test(tc, legacy_text_not_json_gets_connection_error_and_stays_usable);
	tcase_add_test(tc, legacy_json_not_object_gets_connection_error);
	tcase_add_test(tc, legacy_binary_frame_gets_connection_error);
	tcase_add_test(tc, legacy_text_with_nul_byte_is_not_json);
	tcase_add_test(tc, legacy_missing_type_gets_unknown_message_type_error);
	tcase_add_test(tc, legacy_unknown_type_gets_unknown_message_type_error);
	tcase_add_test(tc, legacy_keepalive_ka_right_after_ack_then_every_interval);
	tcase_add_test(tc, legacy_keepalive_late_tick_sends_one_ka);
	tcase_add_test(tc, legacy_keepalive_after_asynchronous_accept);
	tcase_add_test(tc, legacy_keepalive_zero_sends_no_ka);
	tcase_add_test(tc, legacy_no_ka_before_init);
	tcase_add_test(tc, legacy_ka_stops_after_close);
	tcase_add_test(tc, legacy_init_timeout_closes_4408);
	tcase_add_test(tc, legacy_init_in_time_disarms_timeout);
	tcase_add_test(tc, legacy_pending_init_does_not_time_out);
	tcase_add_test(tc, legacy_invalid_messages_do_not_disarm_init_timeout);
	tcase_add_test(tc, legacy_keepalive_and_init_timeout_share_the_deadline);
	tcase_add_test(tc, legacy_nothing_sent_after_close);
	tcase_add_test(tc, legacy_send_queue_overflow_closes_1008);
	tcase_add_test(tc, legacy_reading_client_never_overflows);
	tcase_add_test(tc, legacy_ids_that_differ_after_an_escaped_nul_are_refused);
	tcase_add_test(tc, legacy_type_with_an_escaped_nul_is_refused);
	tcase_add_test(tc, legacy_query_with_an_escaped_nul_is_never_run);
	tcase_add_test(tc, legacy_raw_control_characters_in_strings_are_refused);
	tcase_add_test(tc, legacy_text_that_is_not_utf8_is_refused);
	tcase_add_test(tc, legacy_json_nested_past_the_parser_limit_is_refused_saying_so);
	tcase_add_test(tc, legacy_message_over_max_message_values_is_refused);
	tcase_add_test(tc, legacy_init_payload_over_max_init_payload_bytes_gets_connection_error_then_close_4400);
	tcase_add_test(tc, legacy_init_payload_is_kept_as_compact_text_and_pending_hooks_can_read_it);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
