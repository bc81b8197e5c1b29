/*
 * The graphql-transport-ws (graphql-ws) state machine: every message is
 * validated first (4400 on any violation, with a short reason), then handled
 * as lib/PROTOCOL.md's graphql-transport-ws table says.
 */
#include <stdio.h>
#include <string.h>

#include "json_text.h"
#include "session_internal.h"

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
	struct json_text t;

	if (!json_is_optional_object(payload)) {
		invalid(s, "Invalid message received: payload must be an object");
		return;
	}
	if (!cJSON_IsObject(payload)) {
		session_send_text(s, "{\"type\":\"pong\"}", 15);
		return;
	}
	jt_init(&t);
	jt_append_str(&t, "{\"type\":\"pong\",\"payload\":");
	jt_append_json(&t, payload);
	jt_append_str(&t, "}");
	if (!t.failed)
		session_send_text(s, t.data, t.len);
	jt_free(&t);
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

/* {"id":ID,"type":"error","payload":[{"message":M}]} for a subscribe that
 * never became an operation. The message is a constant without escapes. */
static void send_op_error(gqlws_session *s, const char *id, size_t id_len, const char *message)
{
	struct json_text t;

	jt_init(&t);
	jt_append_str(&t, "{\"id\":");
	jt_append_quoted(&t, id, id_len);
	jt_append_str(&t, ",\"type\":\"error\",\"payload\":[{\"message\":\"");
	jt_append_str(&t, message);
	jt_append_str(&t, "\"}]}");
	if (!t.failed)
		session_send_text(s, t.data, t.len);
	jt_free(&t);
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
		send_op_error(s, id->valuestring, id_len, "Too many operations on this connection");
		return;
	}
	op = ops_create(s, id->valuestring, id_len, true, &over_limit);
	if (!op) {
		if (over_limit)
			send_op_error(s, id->valuestring, id_len, GQLWS_MEMORY_LIMIT_MESSAGE);
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

void modern_receive(gqlws_session *s, const cJSON *msg)
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

int modern_send_result(gqlws_session *s, gqlws_op *op, const char *json, size_t len)
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
