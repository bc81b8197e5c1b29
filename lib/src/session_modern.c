/*
 * The graphql-transport-ws (graphql-ws) wire: every message is validated
 * first (4400 on any violation, with a short reason), then handled as
 * lib/PROTOCOL.md's graphql-transport-ws table says; each frame it sends is
 * written by exactly one function. The table at the end (modern_wire) is all
 * the engine knows of it.
 */
#include <stdio.h>
#include <string.h>

#include "json_text.h"
#include "session_internal.h"

/* ------------------------------------------------------------ frames */

/* {"type":T[,"payload":P]}; without a payload, no allocation. */
static int send_typed(gqlws_session *s, const char *type, const cJSON *payload)
{
	struct gqlws_piece bare[3] = {
		PIECE_LIT("{\"type\":\""),
		{type, strlen(type)},
		PIECE_LIT("\"}"),
	};
	struct json_text t;
	int rc;

	if (!payload)
		return session_send(s, bare, 3);
	jt_init(&t);
	jt_append_str(&t, "{\"type\":\"");
	jt_append_str(&t, type);
	jt_append_str(&t, "\",\"payload\":");
	jt_append_json(&t, payload);
	jt_append_str(&t, "}");
	rc = t.failed ? GQLWS_ERR_NOMEM : session_send_text(s, t.data, t.len);
	jt_free(&t);
	return rc;
}

/* {"id":ID,"type":"error","payload":P}: P is [{"message":M}], or the array
 * `errors` when it is not NULL. Returns GQLWS_ERR_NOMEM, having queued
 * nothing, if the text could not be built. */
static int send_error(gqlws_session *s, const struct echo_id *id, const char *message,
		      const cJSON *errors)
{
	struct json_text t;
	int rc;

	jt_init(&t);
	jt_append_str(&t, "{\"id\":");
	jt_append_echo_id(&t, id);
	jt_append_str(&t, ",\"type\":\"error\",\"payload\":");
	if (errors) {
		jt_append_json(&t, errors);
	} else {
		jt_append_str(&t, "[{\"message\":");
		jt_append_quoted(&t, message, strlen(message));
		jt_append_str(&t, "}]");
	}
	jt_append_str(&t, "}");
	rc = t.failed ? GQLWS_ERR_NOMEM : session_send_text(s, t.data, t.len);
	jt_free(&t);
	return rc;
}

/* {"id":ID,"type":"complete"} */
static int send_complete(gqlws_session *s, const gqlws_op *op)
{
	struct gqlws_piece pieces[3] = {
		PIECE_LIT("{\"id\":"),
		{op->id_json, op->id_json_len},
		PIECE_LIT(",\"type\":\"complete\"}"),
	};

	return session_send(s, pieces, 3);
}

/* {"id":ID,"type":"next","payload":P}, P being JSON text: no allocation. */
static int send_result(gqlws_session *s, const gqlws_op *op, const char *json, size_t len)
{
	struct gqlws_piece pieces[5] = {
		PIECE_LIT("{\"id\":"),
		{op->id_json, op->id_json_len},
		PIECE_LIT(",\"type\":\"next\",\"payload\":"),
		{json, len},
		PIECE_LIT("}"),
	};

	return session_send(s, pieces, 5);
}

static int send_ack(gqlws_session *s, const cJSON *payload)
{
	return send_typed(s, "connection_ack", payload);
}

static int send_keepalive(gqlws_session *s)
{
	return send_typed(s, "ping", NULL);
}

/* ------------------------------------------------------ client messages */

static void invalid(gqlws_session *s, const char *reason)
{
	session_close(s, 4400, reason);
}

/* The id of subscribe/complete: a non-empty string within max-id-bytes. */
static const cJSON *valid_id(gqlws_session *s, const cJSON *msg)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");

	if (!cJSON_IsString(id) || !id->valuestring[0]) {
		invalid(s, "Invalid message received: id must be a non-empty string");
		return NULL;
	}
	if (strlen(id->valuestring) > s->opt.max_id_bytes) {
		invalid(s, "Invalid message received: id is too long");
		return NULL;
	}
	return id;
}

static void on_connection_init(gqlws_session *s, const cJSON *msg)
{
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(msg, "payload");

	if (!json_is_optional_object(payload)) {
		invalid(s, "Invalid message received: payload must be an object");
		return;
	}
	if (s->init != INIT_NONE) {
		session_close(s, 4429, "Too many initialisation requests");
		return;
	}
	if (!session_begin_init(s, payload))
		invalid(s, "Invalid message received: connection_init payload over "
			   "max-init-payload-bytes");
}

static void on_ping(gqlws_session *s, const cJSON *msg)
{
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(msg, "payload");

	if (!json_is_optional_object(payload)) {
		invalid(s, "Invalid message received: payload must be an object");
		return;
	}
	send_typed(s, "pong", cJSON_IsObject(payload) ? payload : NULL);
}

static void on_pong(gqlws_session *s, const cJSON *msg)
{
	if (!json_is_optional_object(cJSON_GetObjectItemCaseSensitive(msg, "payload")))
		invalid(s, "Invalid message received: payload must be an object");
}

static const char *subscribe_payload_problem(const cJSON *payload)
{
	if (!cJSON_IsObject(payload))
		return "Invalid message received: payload must be an object";
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(payload, "query")))
		return "Invalid message received: query must be a string";
	if (!json_is_optional_string(cJSON_GetObjectItemCaseSensitive(payload, "operationName")))
		return "Invalid message received: operationName must be a string or null";
	if (!json_is_optional_object(cJSON_GetObjectItemCaseSensitive(payload, "variables")))
		return "Invalid message received: variables must be an object or null";
	if (!json_is_optional_object(cJSON_GetObjectItemCaseSensitive(payload, "extensions")))
		return "Invalid message received: extensions must be an object or null";
	return NULL;
}

/* The error for a subscribe that never became an operation. */
static void send_subscribe_error(gqlws_session *s, const char *id, size_t id_len,
				 const char *message)
{
	struct echo_id echo = {id, id_len, true};

	send_error(s, &echo, message, NULL);
}

static void on_subscribe(gqlws_session *s, const cJSON *msg)
{
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(msg, "payload");
	const cJSON *id = valid_id(s, msg);
	const char *problem;
	bool over_limit;
	size_t id_len;
	gqlws_op *op;

	if (!id)
		return;
	problem = subscribe_payload_problem(payload);
	if (problem) {
		invalid(s, problem);
		return;
	}
	if (!s->acked) {
		session_close(s, 4401, "Unauthorized");
		return;
	}
	id_len = strlen(id->valuestring);
	if (ops_find(s, id->valuestring, id_len, true)) {
		struct json_text reason;

		jt_init(&reason);
		jt_append_str(&reason, "Subscriber for ");
		jt_append(&reason, id->valuestring, id_len);
		jt_append_str(&reason, " already exists");
		session_close(s, 4409, reason.failed ? "Subscriber already exists" : reason.data);
		jt_free(&reason);
		return;
	}
	if (s->op_count >= s->opt.max_operations) {
		send_subscribe_error(s, id->valuestring, id_len, "Too many operations on this connection");
		return;
	}
	op = ops_create(s, id->valuestring, id_len, true, &over_limit);
	if (!op) {
		if (over_limit)
			send_subscribe_error(s, id->valuestring, id_len, GQLWS_MEMORY_LIMIT_MESSAGE);
		else
			session_close_internal_error(s);
		return;
	}
	session_start_op(s, op, payload);
}

static void on_complete(gqlws_session *s, const cJSON *msg)
{
	const cJSON *id = valid_id(s, msg);
	gqlws_op *op;

	if (!id)
		return;
	op = ops_find(s, id->valuestring, strlen(id->valuestring), true);
	if (op)
		session_stop_op(s, op);
}

static void receive(gqlws_session *s, const cJSON *msg)
{
	static const char *const server_only[] = {"connection_ack", "next", "error"};
	static const char *const legacy_only[] = {"start",   "stop", "connection_terminate",
						   "ka",      "data", "connection_error"};
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(msg, "type");
	const char *t;

	if (!cJSON_IsString(type)) {
		invalid(s, "Invalid message received: type must be a string");
		return;
	}
	t = type->valuestring;
	if (!strcmp(t, "connection_init"))
		on_connection_init(s, msg);
	else if (!strcmp(t, "ping"))
		on_ping(s, msg);
	else if (!strcmp(t, "pong"))
		on_pong(s, msg);
	else if (!strcmp(t, "subscribe"))
		on_subscribe(s, msg);
	else if (!strcmp(t, "complete"))
		on_complete(s, msg);
	else {
		for (size_t i = 0; i < sizeof(server_only) / sizeof(server_only[0]); i++)
			if (!strcmp(t, server_only[i])) {
				invalid(s, "Invalid message received: only servers send this type");
				return;
			}
		for (size_t i = 0; i < sizeof(legacy_only) / sizeof(legacy_only[0]); i++)
			if (!strcmp(t, legacy_only[i])) {
				invalid(s, "Invalid message received: graphql-ws message on "
					   "graphql-transport-ws");
				return;
			}
		invalid(s, "Invalid message received: unknown type");
	}
}

/* ------------------------------------------------------ server decisions */

static void refuse_init(gqlws_session *s, const char *message, bool hook_failed)
{
	if (hook_failed)
		session_close(s, 4500, message);
	else
		session_close(s, 4403, "Forbidden");
}

static int send_failure(gqlws_session *s, const gqlws_op *op, const char *message)
{
	struct echo_id id = op_echo_id(op);

	/* An array of one error, where graphql-ws sends the object alone. */
	return send_error(s, &id, message, NULL);
}

static int send_refusal(gqlws_session *s, const gqlws_op *op, const cJSON *errors)
{
	struct echo_id id = op_echo_id(op);

	return send_error(s, &id, NULL, errors);
}

const struct gqlws_wire modern_wire = {
	.proto = GQLWS_SUBPROTOCOL_MODERN,
	.receive = receive,
	.invalid = invalid,
	.send_ack = send_ack,
	.send_keepalive = send_keepalive,
	/* The first ping goes a full interval after the ack. */
	.keepalive_with_ack = false,
	.refuse_init = refuse_init,
	.internal_error_code = 4500,
	.send_result = send_result,
	.send_complete = send_complete,
	.send_failure = send_failure,
	.send_refusal = send_refusal,
	/* A document that does not parse is refused like any other. */
	.send_syntax_refusal = send_refusal,
};
