/*
 * The graphql-ws (subscriptions-transport-ws) wire: one function per client
 * message type, replying as lib/PROTOCOL.md's graphql-ws table says, and the
 * one function that writes each frame it sends. Errors in client messages
 * are answered with messages; only init problems close. The table at the end
 * (legacy_wire) is all the engine knows of it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_text.h"
#include "session_internal.h"

/* A legacy id: a string or a number, echoed with the JSON type it came with. */
struct legacy_id {
	bool present; /* a usable id: right type and length */
	bool is_string;
	const char *text;
	size_t len;
	char number[32];
};

enum id_problem { ID_OK, ID_MISSING, ID_BAD_TYPE, ID_TOO_LONG };

static enum id_problem read_id(const gqlws_session *s, const cJSON *msg, struct legacy_id *id)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(msg, "id");

	memset(id, 0, sizeof(*id));
	if (!v || cJSON_IsNull(v))
		return ID_MISSING;
	if (cJSON_IsString(v)) {
		id->is_string = true;
		id->text = v->valuestring;
		id->len = strlen(v->valuestring);
	} else if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
		double d = v->valuedouble;

		/* Integral ids print as integers, as JavaScript would. */
		if (d == floor(d) && fabs(d) < 9007199254740992.0)
			snprintf(id->number, sizeof(id->number), "%.0f", d);
		else
			snprintf(id->number, sizeof(id->number), "%.17g", d);
		id->text = id->number;
		id->len = strlen(id->number);
	} else {
		return ID_BAD_TYPE;
	}
	if (id->len > s->opt.max_id_bytes)
		return ID_TOO_LONG;
	id->present = true;
	return ID_OK;
}

/* ------------------------------------------------------------ frames
 * Every frame graphql-ws sends is written by exactly one function here. */

/* How a frame echoes an id: a client's id as it came, or an op's id_json. */
static struct echo_id client_echo_id(const struct legacy_id *id)
{
	return (struct echo_id){id->text, id->len, id->is_string};
}

/* {"type":"error"[,"id":ID],"payload":P}: P is {"message":M}, or the
 * GraphQL error object `error` when it is not NULL. Returns GQLWS_ERR_NOMEM,
 * having queued nothing, if the text could not be built. */
static int send_error(gqlws_session *s, const struct echo_id *id, const char *message,
		      const cJSON *error)
{
	struct json_text t;
	int rc;

	jt_init(&t);
	jt_append_str(&t, "{\"type\":\"error\"");
	if (id) {
		jt_append_str(&t, ",\"id\":");
		jt_append_echo_id(&t, id);
	}
	jt_append_str(&t, ",\"payload\":");
	if (error) {
		jt_append_json(&t, error);
	} else {
		jt_append_str(&t, "{\"message\":");
		jt_append_quoted(&t, message, strlen(message));
		jt_append_str(&t, "}");
	}
	jt_append_str(&t, "}");
	rc = t.failed ? GQLWS_ERR_NOMEM : session_send_text(s, t.data, t.len);
	jt_free(&t);
	return rc;
}

/* An error about a client message, echoing its id when it had a usable one. */
static void send_message_error(gqlws_session *s, const struct legacy_id *id, const char *message)
{
	struct echo_id echo;

	if (!id || !id->present) {
		send_error(s, NULL, message, NULL);
		return;
	}
	echo = client_echo_id(id);
	send_error(s, &echo, message, NULL);
}

/* {"type":"connection_error","payload":{"message":M}} */
static void send_connection_error(gqlws_session *s, const char *message)
{
	struct json_text t;

	jt_init(&t);
	jt_append_str(&t, "{\"type\":\"connection_error\",\"payload\":{\"message\":");
	jt_append_quoted(&t, message, strlen(message));
	jt_append_str(&t, "}}");
	if (!t.failed)
		session_send_text(s, t.data, t.len);
	jt_free(&t);
}

/* {"type":"complete","id":ID} */
static int send_complete(gqlws_session *s, const gqlws_op *op)
{
	struct gqlws_piece pieces[3] = {
		PIECE_LIT("{\"type\":\"complete\",\"id\":"),
		{op->id_json, op->id_json_len},
		PIECE_LIT("}"),
	};

	return session_send(s, pieces, 3);
}

/* {"type":"data","id":ID,"payload":P}, P being JSON text: no allocation. */
static int send_data(gqlws_session *s, const gqlws_op *op, const char *payload, size_t len)
{
	struct gqlws_piece pieces[5] = {
		PIECE_LIT("{\"type\":\"data\",\"id\":"),
		{op->id_json, op->id_json_len},
		PIECE_LIT(",\"payload\":"),
		{payload, len},
		PIECE_LIT("}"),
	};

	return session_send(s, pieces, 5);
}

/* {"type":"connection_ack"[,"payload":P]} */
static int send_ack(gqlws_session *s, const cJSON *payload)
{
	struct json_text t;
	int rc;

	jt_init(&t);
	jt_append_str(&t, "{\"type\":\"connection_ack\"");
	if (payload) {
		jt_append_str(&t, ",\"payload\":");
		jt_append_json(&t, payload);
	}
	jt_append_str(&t, "}");
	rc = t.failed ? GQLWS_ERR_NOMEM : session_send_text(s, t.data, t.len);
	jt_free(&t);
	return rc;
}

static int send_keepalive(gqlws_session *s)
{
	return session_send_text(s, "{\"type\":\"ka\"}", 13);
}

/* ------------------------------------------------------ client messages */

static void invalid(gqlws_session *s, const char *message)
{
	/* Apollo's server answers unreadable frames with connection_error and
	 * keeps the connection. */
	send_connection_error(s, message);
}

static void on_connection_init(gqlws_session *s, const cJSON *msg)
{
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(msg, "payload");

	if (s->init != INIT_NONE) {
		send_connection_error(s, "Too many initialisation requests");
		session_close(s, 4429, "Too many initialisation requests");
		return;
	}
	if (!json_is_optional_object(payload)) {
		send_connection_error(s, "Invalid connection_init payload: must be an object");
		session_close(s, 4400, "Invalid connection_init payload");
		return;
	}
	if (!session_begin_init(s, payload)) {
		char message[96];

		/* Like a payload that is not an object: the client is told, and
		 * not left waiting for an ack that never comes. */
		snprintf(message, sizeof(message),
			 "Invalid connection_init payload: larger than %zu bytes "
			 "(max-init-payload-bytes)",
			 s->opt.max_init_payload_bytes);
		send_connection_error(s, message);
		session_close(s, 4400, "Invalid connection_init payload: too large");
	}
}

/* Checks a start payload; NULL when it is fine, else the message to send. */
static const char *start_payload_problem(const cJSON *payload)
{
	const cJSON *query;

	if (!cJSON_IsObject(payload))
		return "Invalid start payload: must be an object";
	query = cJSON_GetObjectItemCaseSensitive(payload, "query");
	if (!cJSON_IsString(query))
		return "Invalid start payload: query must be a string";
	if (!json_is_optional_object(cJSON_GetObjectItemCaseSensitive(payload, "variables")))
		return "Invalid start payload: variables must be an object";
	if (!json_is_optional_string(cJSON_GetObjectItemCaseSensitive(payload, "operationName")))
		return "Invalid start payload: operationName must be a string";
	if (!json_is_optional_object(cJSON_GetObjectItemCaseSensitive(payload, "extensions")))
		return "Invalid start payload: extensions must be an object";
	return NULL;
}

static void on_start(gqlws_session *s, const cJSON *msg)
{
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(msg, "payload");
	struct legacy_id id;
	const char *problem;
	bool over_limit;
	gqlws_op *op;

	switch (read_id(s, msg, &id)) {
	case ID_MISSING:
		send_message_error(s, NULL, "Invalid start message: id is required");
		return;
	case ID_BAD_TYPE:
		send_message_error(s, NULL, "Invalid start message: id must be a string or a number");
		return;
	case ID_TOO_LONG:
		send_message_error(s, NULL, "Invalid start message: id is too long");
		return;
	case ID_OK:
		break;
	}
	problem = start_payload_problem(payload);
	if (problem) {
		send_message_error(s, &id, problem);
		return;
	}
	if (s->init == INIT_NONE) {
		send_message_error(s, &id, "Connection not initialised: send connection_init first");
		return;
	}

	/* A start reusing a live id replaces that operation silently. */
	op = ops_find(s, id.text, id.len, id.is_string);
	if (op)
		session_stop_op(s, op);
	if (s->op_count >= s->opt.max_operations) {
		send_message_error(s, &id, "Too many operations on this connection");
		return;
	}
	op = ops_create(s, id.text, id.len, id.is_string, &over_limit);
	if (!op) {
		if (over_limit)
			send_message_error(s, &id, GQLWS_MEMORY_LIMIT_MESSAGE);
		else
			session_close_internal_error(s);
		return;
	}
	if (s->init == INIT_PENDING) {
		/* Apollo's client sends its starts right behind the init: hold
		 * them until the hook answers, as the text of the message (a
		 * parsed tree costs up to 40 times that, for as long as the
		 * hook takes). */
		cJSON *held = session_copy_message(s);

		if (!held) {
			ops_retire(s, op);
			session_close_internal_error(s);
		} else if (!ops_hold_payload(s, op, held)) {
			ops_retire(s, op);
			send_message_error(s, &id, GQLWS_MEMORY_LIMIT_MESSAGE);
		}
		return;
	}
	session_start_op(s, op, payload);
}

static void on_stop(gqlws_session *s, const cJSON *msg)
{
	struct legacy_id id;
	gqlws_op *op;

	if (read_id(s, msg, &id) != ID_OK)
		return;
	op = ops_find(s, id.text, id.len, id.is_string);
	if (!op)
		return;
	/* The complete is queued first while the op still holds its id text;
	 * nothing can be queued for the op after the stop either way. */
	send_complete(s, op);
	session_stop_op(s, op);
}

static void on_terminate(gqlws_session *s)
{
	session_stop_all(s);
	session_close(s, 1011, "Connection terminated by the client");
}

static void receive(gqlws_session *s, const cJSON *msg)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(msg, "type");
	const char *t = cJSON_IsString(type) ? type->valuestring : "";
	struct legacy_id id;

	if (!strcmp(t, "connection_init"))
		on_connection_init(s, msg);
	else if (!strcmp(t, "start"))
		on_start(s, msg);
	else if (!strcmp(t, "stop"))
		on_stop(s, msg);
	else if (!strcmp(t, "connection_terminate"))
		on_terminate(s);
	else {
		read_id(s, msg, &id);
		send_message_error(s, &id, "Unknown message type");
	}
}

/* ------------------------------------------------------ server decisions */

static void refuse_init(gqlws_session *s, const char *message, bool hook_failed)
{
	(void)hook_failed; /* graphql-ws tells both apart only by the message */
	send_connection_error(s, message);
	session_close(s, 1011, message);
}

static int send_result(gqlws_session *s, const gqlws_op *op, const char *json, size_t len)
{
	return send_data(s, op, json, len);
}

static int send_failure(gqlws_session *s, const gqlws_op *op, const char *message)
{
	struct echo_id id = op_echo_id(op);

	/* One error object, where graphql-transport-ws sends an array. */
	return send_error(s, &id, message, NULL);
}

/* As Apollo's server answers a request it refuses: a data message holding
 * only errors, then complete. */
static int send_refusal(gqlws_session *s, const gqlws_op *op, const cJSON *errors)
{
	struct json_text payload;
	int rc;

	jt_init(&payload);
	jt_append_str(&payload, "{\"errors\":");
	jt_append_json(&payload, errors);
	jt_append_str(&payload, "}");
	rc = payload.failed ? GQLWS_ERR_NOMEM : send_data(s, op, payload.data, payload.len);
	jt_free(&payload);
	return rc == GQLWS_OK ? send_complete(s, op) : rc;
}

/* As Apollo's server answers a query that does not parse: no data and no
 * complete (its client hands the payload to the observer's error and
 * forgets the operation). Apollo sends only the message; the locations are
 * kept, as in every other GraphQL error we send. */
static int send_syntax_refusal(gqlws_session *s, const gqlws_op *op, const cJSON *errors)
{
	struct echo_id id = op_echo_id(op);

	return send_error(s, &id, NULL, errors->child);
}

const struct gqlws_wire legacy_wire = {
	.proto = GQLWS_SUBPROTOCOL_LEGACY,
	.receive = receive,
	.invalid = invalid,
	.send_ack = send_ack,
	.send_keepalive = send_keepalive,
	/* Apollo's clients start watching at the first ka: one goes with the ack. */
	.keepalive_with_ack = true,
	.refuse_init = refuse_init,
	/* graphql-ws has no code of its own for it; 1011 is WebSocket's. */
	.internal_error_code = 1011,
	.send_result = send_result,
	.send_complete = send_complete,
	.send_failure = send_failure,
	.send_refusal = send_refusal,
	.send_syntax_refusal = send_syntax_refusal,
};
