/*
 * doc_request.c - gqlws_doc_request_new: a request is parsed, its operation
 * selected and planned against the root type of its kind, and its root
 * fields checked against a table, each refusal worded as graphql-js words it
 * and told apart as a syntax error or an invalid request.
 */
#define _POSIX_C_SOURCE 200809L /* strdup under -std=c11 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws_doc.h"

static const char *const from_arg[] = {"from", "Int!", NULL};
static const char *const greet_args[] = {"name", "String", NULL};
static const gqlws_doc_root_field schema[] = {
	{GQLWS_DOC_QUERY, "hello", "String!", greet_args},
	{GQLWS_DOC_QUERY, "me", "User", NULL},
	{GQLWS_DOC_SUBSCRIPTION, "countdown", "Int!", from_arg},
	{GQLWS_DOC_SUBSCRIPTION, "other", "Int", NULL},
	{0, NULL, NULL, NULL},
};

/* Runs the request; returns its errors as compact JSON text ("" when it was
 * accepted, caller frees), with the status in *status. */
static char *errors_of(const char *query, const char *operation_name, const char *variables,
		       gqlws_doc_status *status, gqlws_doc_request **out)
{
	cJSON *vars = variables ? cJSON_Parse(variables) : NULL;
	gqlws_request req = {.id = "1", .query = query, .query_len = strlen(query),
			     .operation_name = operation_name, .variables = vars};
	cJSON *errors = (cJSON *)1; /* must be overwritten */
	gqlws_doc_request *r = gqlws_doc_request_new(&req, schema, NULL, &errors, status);
	char *text;

	cJSON_Delete(vars);
	if (r) {
		ck_assert_ptr_null(errors);
		ck_assert_int_eq(*status, GQLWS_DOC_OK);
		text = strdup("");
	} else {
		ck_assert_ptr_nonnull(errors);
		text = cJSON_PrintUnformatted(errors);
		cJSON_Delete(errors);
	}
	if (out)
		*out = r;
	else
		gqlws_doc_request_free(r);
	return text;
}

static void assert_refused(const char *query, const char *variables, gqlws_doc_status want,
			   const char *want_errors)
{
	gqlws_doc_status status;
	char *text = errors_of(query, NULL, variables, &status, NULL);

	ck_assert_int_eq(status, want);
	ck_assert_str_eq(text, want_errors);
	free(text);
}

START_TEST(request_query_is_planned_with_its_root_fields_and_arguments)
{
	gqlws_doc_status status;
	gqlws_doc_request *r;
	char *text = errors_of("query Q($n: String) { a: hello(name: $n) __typename me { id } }", "Q",
			       "{\"n\":\"ada\"}", &status, &r);
	const gqlws_doc_plan *plan = gqlws_doc_request_plan(r);

	ck_assert_str_eq(text, "");
	ck_assert_int_eq(gqlws_doc_request_op_type(r), GQLWS_DOC_QUERY);
	ck_assert_uint_eq(gqlws_doc_plan_field_count(plan), 3);
	ck_assert_str_eq(gqlws_doc_field_key(gqlws_doc_plan_field(plan, 0)), "a");
	ck_assert_str_eq(gqlws_doc_field_arg(gqlws_doc_plan_field(plan, 0), "name")->valuestring, "ada");
	ck_assert_uint_gt(gqlws_doc_request_bytes(r), 0);
	gqlws_doc_request_free(r);
	free(text);
}
END_TEST

START_TEST(request_subscription_gets_its_int_argument)
{
	gqlws_doc_status status;
	gqlws_doc_request *r;
	char *text = errors_of("subscription S($f: Int!) { c: countdown(from: $f) }", NULL,
			       "{\"f\":3}", &status, &r);
	const gqlws_doc_field *f = gqlws_doc_plan_field(gqlws_doc_request_plan(r), 0);

	ck_assert_str_eq(text, "");
	ck_assert_int_eq(gqlws_doc_request_op_type(r), GQLWS_DOC_SUBSCRIPTION);
	ck_assert_str_eq(gqlws_doc_field_name(f), "countdown");
	ck_assert_int_eq(gqlws_doc_field_arg(f, "from")->valueint, 3);
	gqlws_doc_request_free(r);
	free(text);
}
END_TEST

START_TEST(request_arg_gives_a_root_fields_argument_with_variables_substituted)
{
	gqlws_doc_status status;
	gqlws_doc_request *r;
	char *text = errors_of("query Q($n: String) { a: hello b: hello(name: $n) }", NULL,
			       "{\"n\":\"Ada\"}", &status, &r);

	ck_assert_str_eq(text, "");
	ck_assert_str_eq(gqlws_doc_request_arg(r, 1, "name")->valuestring, "Ada");
	ck_assert_ptr_null(gqlws_doc_request_arg(r, 0, "name")); /* hello takes none */
	ck_assert_ptr_null(gqlws_doc_request_arg(r, 2, "name")); /* no third field */
	ck_assert_ptr_null(gqlws_doc_request_arg(NULL, 0, "name"));
	gqlws_doc_request_free(r);
	free(text);
}
END_TEST

START_TEST(request_syntax_error_is_a_syntax_refusal)
{
	assert_refused("{ hello", NULL, GQLWS_DOC_SYNTAX,
		       "[{\"message\":\"Syntax Error: Expected Name, found <EOF>.\","
		       "\"locations\":[{\"line\":1,\"column\":8}]}]");
}
END_TEST

START_TEST(request_unknown_root_field_is_refused_with_its_location)
{
	assert_refused("{ hello\n  nope }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Query\\\".\","
		       "\"locations\":[{\"line\":2,\"column\":3}]}]");
	/* A subscription field is not a query field. */
	assert_refused("{ countdown(from: 1) }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Cannot query field \\\"countdown\\\" on type \\\"Query\\\".\","
		       "\"locations\":[{\"line\":1,\"column\":3}]}]");
}
END_TEST

START_TEST(request_unknown_argument_is_refused)
{
	assert_refused("{ hello(nme: \"x\") }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Unknown argument \\\"nme\\\" on field \\\"Query.hello\\\".\","
		       "\"locations\":[{\"line\":1,\"column\":9}]}]");
}
END_TEST

START_TEST(request_declared_arguments_are_type_checked)
{
	assert_refused("subscription { countdown }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Field \\\"countdown\\\" argument \\\"from\\\" of type "
		       "\\\"Int!\\\" is required, but it was not provided.\","
		       "\"locations\":[{\"line\":1,\"column\":16}]}]");
	assert_refused("subscription { countdown(from: \"3\") }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Int cannot represent non-integer value: \\\"3\\\"\","
		       "\"locations\":[{\"line\":1,\"column\":32}]}]");
}
END_TEST

START_TEST(request_leaf_and_object_selections_are_checked)
{
	assert_refused("{ hello { x } }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Field \\\"hello\\\" must not have a selection since type "
		       "\\\"String!\\\" has no subfields.\",\"locations\":[{\"line\":1,\"column\":9}]}]");
	assert_refused("{ me }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Field \\\"me\\\" of type \\\"User\\\" must have a selection of "
		       "subfields. Did you mean \\\"me { ... }\\\"?\",\"locations\":[{\"line\":1,\"column\":3}]}]");
}
END_TEST

START_TEST(request_kind_without_root_fields_is_not_configured)
{
	assert_refused("mutation M { hello }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Schema is not configured to execute mutation operation.\","
		       "\"locations\":[{\"line\":1,\"column\":1}]}]");
}
END_TEST

START_TEST(request_subscription_selects_exactly_one_non_introspection_field)
{
	assert_refused("subscription { countdown(from: 1) other x: other }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Anonymous Subscription must select only one top level field.\","
		       "\"locations\":[{\"line\":1,\"column\":35},{\"line\":1,\"column\":41}]}]");
	assert_refused("subscription S { __typename }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Subscription \\\"S\\\" must not select an introspection top "
		       "level field.\",\"locations\":[{\"line\":1,\"column\":18}]}]");
	assert_refused("subscription S { other @skip(if: true) }", NULL, GQLWS_DOC_INVALID,
		       "[{\"message\":\"Subscription \\\"S\\\" must select only one top level field.\","
		       "\"locations\":[{\"line\":1,\"column\":1}]}]");
}
END_TEST

START_TEST(request_operation_and_variable_errors_are_invalid_requests)
{
	gqlws_doc_status status;
	char *text = errors_of("query A { hello } query B { hello }", "C", NULL, &status, NULL);

	ck_assert_int_eq(status, GQLWS_DOC_INVALID);
	ck_assert_str_eq(text, "[{\"message\":\"Unknown operation named \\\"C\\\".\"}]");
	free(text);
	assert_refused("subscription ($f: Int!) { countdown(from: $f) }", "{\"f\":\"x\"}",
		       GQLWS_DOC_INVALID,
		       "[{\"message\":\"Variable \\\"$f\\\" got invalid value \\\"x\\\"; Int cannot "
		       "represent non-integer value: \\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":15}]}]");
}
END_TEST

START_TEST(request_null_arguments_are_refused)
{
	gqlws_doc_status status = GQLWS_DOC_OK;
	cJSON *errors = (cJSON *)1;

	ck_assert_ptr_null(gqlws_doc_request_new(NULL, schema, NULL, &errors, &status));
	ck_assert_ptr_null(errors);
	ck_assert_int_eq(status, GQLWS_DOC_NOMEM);
	gqlws_doc_request_free(NULL);
	ck_assert_ptr_null(gqlws_doc_request_plan(NULL));
	ck_assert_uint_eq(gqlws_doc_request_bytes(NULL), 0);
}
END_TEST

/* ------------------------------------------------ start and next, on a session */

/* What the fake executor's op_start does with each request it gets. */
static const char *next_root_json;
static gqlws_doc_request *kept_request;
static size_t memory_at_start; /* the connection's, as op_start began */

static int start_with_request(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	gqlws_doc_request *r;

	(void)user;
	memory_at_start = gqlws_session_memory_bytes(s);
	r = gqlws_doc_request_start(op, req, schema, NULL);
	if (!r)
		return 0;
	if (next_root_json) {
		ck_assert_int_eq(gqlws_doc_request_next(r, op, next_root_json), GQLWS_OK);
		ck_assert_int_eq(gqlws_doc_request_next(r, op, "[1]"), GQLWS_ERR_INVALID);
		ck_assert_int_eq(gqlws_op_complete(op), GQLWS_OK);
		gqlws_doc_request_free(r);
	} else {
		kept_request = r; /* freed by the test */
	}
	return 0;
}

static void stop_nothing(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

/* Feeds one subscribe (graphql-transport-ws) after an init, and returns every
 * frame after the ack, joined by newlines (caller frees). */
static char *frames_after(const char *subscribe, const gqlws_options *opts)
{
	static const gqlws_callbacks cb = {.op_start = start_with_request, .op_stop = stop_nothing};
	static const char init[] = "{\"type\":\"connection_init\"}";
	gqlws_options defaults;
	gqlws_session *s;
	char *out = calloc(1, 1);
	size_t out_len = 0, len;
	unsigned char *frame;

	gqlws_options_init(&defaults);
	s = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, opts ? opts : &defaults, NULL, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(gqlws_session_receive(s, init, strlen(init), false, 0), GQLWS_OK);
	ck_assert_ptr_nonnull(gqlws_session_peek_frame(s, &len));
	gqlws_session_frame_sent(s);
	ck_assert_int_eq(gqlws_session_receive(s, subscribe, strlen(subscribe), false, 0), GQLWS_OK);
	while ((frame = gqlws_session_peek_frame(s, &len))) {
		out = realloc(out, out_len + len + 2);
		memcpy(out + out_len, frame, len);
		out_len += len;
		out[out_len++] = '\n';
		out[out_len] = '\0';
		gqlws_session_frame_sent(s);
	}
	gqlws_session_destroy(s);
	return out;
}

START_TEST(request_next_projects_the_root_value_through_aliases_and_typename)
{
	char *frames;

	next_root_json = "{\"hello\":\"world\",\"countdown\":3,\"unused\":true}";
	frames = frames_after("{\"id\":\"q\",\"type\":\"subscribe\",\"payload\":{\"query\":"
			      "\"{ a: hello __typename hello me { id name } }\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"q\",\"type\":\"next\",\"payload\":{\"data\":{\"a\":\"world\","
				 "\"__typename\":\"Query\",\"hello\":\"world\",\"me\":null}}}\n"
				 "{\"id\":\"q\",\"type\":\"complete\"}\n");
	free(frames);
	next_root_json = "{\"countdown\":3,\"me\":{\"id\":1,\"name\":\"ada\",\"secret\":2}}";
	frames = frames_after("{\"id\":\"q\",\"type\":\"subscribe\",\"payload\":{\"query\":"
			      "\"{ me { name __typename } }\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"q\",\"type\":\"next\",\"payload\":{\"data\":{\"me\":"
				 "{\"name\":\"ada\",\"__typename\":\"User\"}}}}\n"
				 "{\"id\":\"q\",\"type\":\"complete\"}\n");
	free(frames);
}
END_TEST

START_TEST(request_start_refuses_syntax_and_invalid_requests_itself)
{
	char *frames;

	next_root_json = "{}";
	frames = frames_after("{\"id\":\"s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"s\",\"type\":\"error\",\"payload\":[{\"message\":\"Syntax "
				 "Error: Expected Name, found <EOF>.\",\"locations\":[{\"line\":1,\"column\":8}]}]}\n");
	free(frames);
	frames = frames_after("{\"id\":\"u\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ nope }\"}}", NULL);
	ck_assert_str_eq(frames, "{\"id\":\"u\",\"type\":\"error\",\"payload\":[{\"message\":\"Cannot "
				 "query field \\\"nope\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,"
				 "\"column\":3}]}]}\n");
	free(frames);
}
END_TEST

START_TEST(request_start_charges_the_request_to_the_connection)
{
	gqlws_options opts;
	char *frames;

	/* Within the budget: the request is kept, and charged. */
	next_root_json = NULL;
	kept_request = NULL;
	frames = frames_after("{\"id\":\"k\",\"type\":\"subscribe\",\"payload\":{\"query\":"
			      "\"subscription { countdown(from: 2) }\"}}", NULL);
	ck_assert_ptr_nonnull(kept_request);
	ck_assert_str_eq(frames, "");
	ck_assert_uint_gt(gqlws_doc_request_bytes(kept_request), 1000);
	gqlws_doc_request_free(kept_request);
	free(frames);

	/* Room for the operation and its error frame, not for the request. */
	gqlws_options_init(&opts);
	opts.max_connection_bytes = memory_at_start + 600;
	kept_request = NULL;
	frames = frames_after("{\"id\":\"m\",\"type\":\"subscribe\",\"payload\":{\"query\":"
			      "\"subscription { countdown(from: 2) }\"}}", &opts);
	ck_assert_ptr_null(kept_request);
	ck_assert_str_eq(frames, "{\"id\":\"m\",\"type\":\"error\",\"payload\":[{\"message\":\""
				 GQLWS_MEMORY_LIMIT_MESSAGE "\"}]}\n");
	free(frames);
}
END_TEST

static Suite *request_suite(void)
{
	Suite *s = suite_create("doc_request");
	TCase *tc = tcase_create("request");

	tcase_add_test(tc, request_query_is_planned_with_its_root_fields_and_arguments);
	tcase_add_test(tc, request_subscription_gets_its_int_argument);
	tcase_add_test(tc, request_arg_gives_a_root_fields_argument_with_variables_substituted);
	tcase_add_test(tc, request_syntax_error_is_a_syntax_refusal);
	tcase_add_test(tc, request_unknown_root_field_is_refused_with_its_location);
	tcase_add_test(tc, request_unknown_argument_is_refused);
	tcase_add_test(tc, request_declared_arguments_are_type_checked);
	tcase_add_test(tc, request_leaf_and_object_selections_are_checked);
	tcase_add_test(tc, request_kind_without_root_fields_is_not_configured);
	tcase_add_test(tc, request_subscription_selects_exactly_one_non_introspection_field);
	tcase_add_test(tc, request_operation_and_variable_errors_are_invalid_requests);
	tcase_add_test(tc, request_null_arguments_are_refused);
	tcase_add_test(tc, request_next_projects_the_root_value_through_aliases_and_typename);
	tcase_add_test(tc, request_start_refuses_syntax_and_invalid_requests_itself);
	tcase_add_test(tc, request_start_charges_the_request_to_the_connection);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(request_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
