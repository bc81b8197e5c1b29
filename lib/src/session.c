/*
 * The session engine shared by both subprotocols: lifecycle, message intake,
 * timers, the outbound queue, close requests, init answers and the
 * operation API. It knows no wire format: every message is read, and every
 * frame written, through the subprotocol's table (s->wire), defined in
 * session_legacy.c and session_modern.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"
#include "json_text.h"
#include "session_internal.h"

/* Every public entry point brackets its work with enter()/leave(): ops that
 * ended are freed, and on_notify is called, only when the outermost call
 * returns, so no handle dies under a caller still holding it, and the
 * transport hears of a call's changes once. */
static void enter(gqlws_session *s)
{
	s->depth++;
}

/* Calls made by the application (op_*, init answers) and callbacks into it
 * also count in app_depth: while it is nonzero, op_stop may not run. */
static void app_enter(gqlws_session *s)
{
	s->app_depth++;
	s->depth++;
}

static void app_leave(gqlws_session *s);
static void queue_drop(gqlws_session *s);
static void queue_changed(gqlws_session *s);

static void leave(gqlws_session *s)
{
	if (--s->depth)
		return;
	ops_free_done(s);
	/* The transport that said the connection is gone hears nothing more.
	 * A loop, not once: on_notify may evict this very session
	 * (gqlws_session_evict), and the close that adds is news too. */
	while (s->changes && s->cb.on_notify && !s->gone) {
		unsigned changes = s->changes;

		s->changes = 0;
		/* A timer was written to: news only if the deadline moved. */
		if (changes & GQLWS_NOTIFY_DEADLINE) {
			uint64_t deadline = gqlws_session_next_deadline(s);

			if (deadline == s->notified_deadline)
				changes &= ~GQLWS_NOTIFY_DEADLINE;
			s->notified_deadline = deadline;
		}
		if (changes) {
			s->depth++; /* only gqlws_session_evict may call in */
			s->cb.on_notify(s->user, s, changes, s->notified_deadline);
			s->depth--;
			ops_free_done(s); /* held starts an eviction retired */
		}
	}
}

/* Every write to init_deadline or keepalive_due goes with this, so that
 * leave() looks at the deadline only when it may have moved. */
static void timers_written(gqlws_session *s)
{
	s->changes |= GQLWS_NOTIFY_DEADLINE;
}

static void app_leave(gqlws_session *s)
{
	s->app_depth--;
	leave(s);
}

/* Entry points called by the transport may stop ops that a close request
 * made inside an executor call could not stop at the time. */
static void leave_transport(gqlws_session *s)
{
	if (s->depth == 1 && !s->app_depth && s->stops_deferred) {
		s->stops_deferred = false;
		session_stop_all(s);
	}
	leave(s);
}

bool json_is_optional_object(const cJSON *v)
{
	return !v || cJSON_IsNull(v) || cJSON_IsObject(v);
}

bool json_is_optional_string(const cJSON *v)
{
	return !v || cJSON_IsNull(v) || cJSON_IsString(v);
}

/* ------------------------------------------------------------ lifecycle */

gqlws_session *gqlws_session_new(gqlws_subprotocol proto, const gqlws_callbacks *callbacks,
				 const gqlws_options *opts, void *user, uint64_t now_ms)
{
	const struct gqlws_wire *wire;
	gqlws_session *s;

	if (!callbacks || !callbacks->op_start || !callbacks->op_stop)
		return NULL;
	if (proto == GQLWS_SUBPROTOCOL_LEGACY)
		wire = &legacy_wire;
	else if (proto == GQLWS_SUBPROTOCOL_MODERN)
		wire = &modern_wire;
	else
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->wire = wire;
	op_map_init(&s->ops_index, s);
	s->cb = *callbacks;
	if (opts)
		s->opt = *opts;
	else
		gqlws_options_init(&s->opt);
	s->user = user;
	s->now = now_ms;
	s->charged = gqlws_alloc_bytes(sizeof(*s));
	s->peak_memory = s->charged;
	fq_init(&s->queue, s->opt.frame_headroom);
	if (s->opt.init_timeout_ms)
		s->init_deadline = now_ms + s->opt.init_timeout_ms;
	s->notified_deadline = gqlws_session_next_deadline(s);
	return s;
}

void gqlws_session_destroy(gqlws_session *s)
{
	if (!s)
		return;
	s->gone = true;
	s->depth++; /* ops are freed below, not by leave() */
	session_stop_all(s);
	s->depth--;
	ops_free_done(s);
	op_map_free(&s->ops_index); /* already empty: every op was retired */
	fq_clear(&s->queue);
	free(s->init_payload_json);
	free(s);
}

void gqlws_session_closed(gqlws_session *s)
{
	if (!s || s->gone)
		return;
	enter(s);
	s->gone = true;
	s->closing = true;
	s->stops_deferred = false;
	session_stop_all(s);
	fq_drop_queued(&s->queue);
	s->init_deadline = s->keepalive_due = 0;
	timers_written(s);
	leave(s);
}

void gqlws_session_shutdown(gqlws_session *s)
{
	if (!s || s->closing)
		return;
	enter(s);
	queue_drop(s);
	session_close(s, 1001, "Server shutting down");
	leave_transport(s);
}

/* --------------------------------------------------------------- intake */

/* A message the strict check refused: the invalid-message answer, with the
 * reason of the refusal (cJSON would have misread some of them). */
static void receive_not_json(gqlws_session *s, enum gqlws_json_verdict verdict)
{
	char reason[CLOSE_REASON_MAX + 1];

	if (verdict == GQLWS_JSON_TOO_MANY_VALUES)
		snprintf(reason, sizeof(reason),
			 "Invalid message received: more than %zu JSON values (max-message-values)",
			 s->opt.max_message_values);
	else
		snprintf(reason, sizeof(reason), "Invalid message received: %s",
			 gqlws_json_verdict_text(verdict));
	s->wire->invalid(s, reason);
}

/* The one place that decides on max_message_bytes: false, after
 * requesting close 1009, when a message of len bytes is over it. */
static bool message_size_fits(gqlws_session *s, size_t len)
{
	if (len <= s->opt.max_message_bytes)
		return true;
	session_close(s, 1009, "Message too large");
	return false;
}

int gqlws_session_receive(gqlws_session *s, const void *data, size_t len, bool binary,
			  uint64_t now_ms)
{
	enum gqlws_json_verdict verdict;
	int rc = GQLWS_OK;
	cJSON *msg;

	if (!s || (!data && len))
		return GQLWS_ERR_INVALID;
	if (s->closing)
		return GQLWS_ERR_CLOSED;
	enter(s);
	s->now = now_ms;
	/* The size first: a transport refuses a message that grows too large
	 * before it knows more of it (gqlws_session_message_size). */
	if (!message_size_fits(s, len))
		goto out;
	if (binary) {
		s->wire->invalid(s, "Binary messages are not supported");
		goto out;
	}
	verdict = gqlws_json_check(data, len, s->opt.max_message_values, NULL);
	if (verdict != GQLWS_JSON_OK) {
		receive_not_json(s, verdict);
		goto out;
	}
	/* The check passed, so cJSON can only fail for lack of memory. */
	msg = cJSON_ParseWithLength(data, len);
	if (!msg) {
		session_close_internal_error(s);
		rc = GQLWS_ERR_NOMEM;
		goto out;
	}
	s->message_text = data;
	s->message_len = len;
	if (!cJSON_IsObject(msg))
		s->wire->invalid(s, "Invalid message received: not a JSON object");
	else
		s->wire->receive(s, msg);
	s->message_text = NULL;
	s->message_len = 0;
	cJSON_Delete(msg);
out:
	leave_transport(s);
	return rc;
}

cJSON *session_copy_message(const gqlws_session *s)
{
	cJSON *raw;
	char *text;

	if (!s->message_text)
		return NULL;
	/* cJSON_CreateRaw wants a C string; the message is not one. */
	text = cJSON_malloc(s->message_len + 1);
	raw = text ? cJSON_CreateRaw("") : NULL;
	if (!raw) {
		cJSON_free(text);
		return NULL;
	}
	memcpy(text, s->message_text, s->message_len);
	text[s->message_len] = '\0';
	cJSON_free(raw->valuestring);
	raw->valuestring = text;
	return raw;
}

int gqlws_session_message_size(gqlws_session *s, size_t len)
{
	bool fits;

	if (!s)
		return GQLWS_ERR_INVALID;
	if (s->closing)
		return GQLWS_ERR_CLOSED;
	enter(s);
	fits = message_size_fits(s, len);
	leave_transport(s);
	return fits ? GQLWS_OK : GQLWS_ERR_LIMIT;
}

/* --------------------------------------------------------------- timers */

void gqlws_session_tick(gqlws_session *s, uint64_t now_ms)
{
	if (!s || s->closing)
		return;
	enter(s);
	s->now = now_ms;
	if (s->init_deadline && now_ms >= s->init_deadline) {
		s->init_deadline = 0;
		timers_written(s);
		if (s->init == INIT_NONE)
			session_close(s, 4408, "Connection initialisation timeout");
	}
	if (!s->closing && s->keepalive_due && now_ms >= s->keepalive_due) {
		s->keepalive_due = now_ms + s->opt.keepalive_ms;
		timers_written(s);
		s->wire->send_keepalive(s);
	}
	leave_transport(s);
}

uint64_t gqlws_session_next_deadline(const gqlws_session *s)
{
	uint64_t a, b;

	if (!s || s->closing)
		return 0;
	a = s->init_deadline;
	b = s->keepalive_due;
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* --------------------------------------------------------------- memory */

static size_t session_memory(const gqlws_session *s)
{
	return s->charged + s->queue.queued_cost + s->queue.spare_cost;
}

/* True if the connection can hold bytes more within max_connection_bytes. */
static bool budget_has_room(const gqlws_session *s, size_t bytes)
{
	size_t used = session_memory(s);

	return used <= s->opt.max_connection_bytes && bytes <= s->opt.max_connection_bytes - used;
}

static void note_peak(gqlws_session *s)
{
	size_t used = session_memory(s);

	if (used > s->peak_memory)
		s->peak_memory = used;
}

bool session_charge(gqlws_session *s, size_t bytes)
{
	if (!budget_has_room(s, bytes))
		return false;
	s->charged += bytes;
	note_peak(s);
	return true;
}

void session_uncharge(gqlws_session *s, size_t bytes)
{
	s->charged -= bytes < s->charged ? bytes : s->charged;
}

size_t gqlws_session_memory_bytes(const gqlws_session *s)
{
	return s ? session_memory(s) : 0;
}

size_t gqlws_session_peak_memory_bytes(const gqlws_session *s)
{
	return s ? s->peak_memory : 0;
}

/* ---------------------------------------------------------------- queue */

/* The heap the queue holds changed: news for a transport that asked. */
static void queue_changed(gqlws_session *s)
{
	if (s->opt.notify_queue)
		s->changes |= GQLWS_NOTIFY_QUEUE;
}

/* Every drop of queued frames goes through here, so that the transport
 * hears of the heap given back. */
static void queue_drop(gqlws_session *s)
{
	if (!fq_empty(&s->queue))
		queue_changed(s);
	fq_drop_queued(&s->queue);
}

/* Until the connection is acknowledged, a client has had no say in what
 * it may cost: only pongs and error answers can wait for it, and a few of
 * them are all a well-behaved client ever leaves unread. */
static size_t queue_limit(const gqlws_session *s)
{
	if (s->init != INIT_ACCEPTED && s->opt.send_queue_bytes > GQLWS_PRE_ACK_QUEUE_BYTES)
		return GQLWS_PRE_ACK_QUEUE_BYTES;
	return s->opt.send_queue_bytes;
}

/* The client is not reading: what is queued will not be read either, so
 * drop it and close at once. */
static int queue_overflow(gqlws_session *s, const char *reason)
{
	queue_drop(s);
	session_close(s, 1008, reason);
	return GQLWS_ERR_CLOSED;
}

int session_send(gqlws_session *s, const struct gqlws_piece *pieces, size_t count)
{
	bool was_empty = fq_empty(&s->queue);
	size_t len, cost, limit;

	if (s->closing)
		return GQLWS_ERR_CLOSED;
	len = fq_pieces_len(pieces, count);
	cost = fq_frame_cost(&s->queue, len == SIZE_MAX ? SIZE_MAX / 2 : len);
	limit = queue_limit(s);
	if (cost > limit || s->queue.queued_cost > limit - cost)
		return queue_overflow(s, "Send queue limit exceeded");
	if (!budget_has_room(s, cost))
		return queue_overflow(s, "Connection memory limit exceeded");
	if (fq_push(&s->queue, pieces, count) != FQ_OK) {
		session_close_internal_error(s);
		return GQLWS_ERR_NOMEM;
	}
	note_peak(s);
	if (was_empty)
		s->changes |= GQLWS_NOTIFY_WRITE;
	queue_changed(s);
	return GQLWS_OK;
}

int session_send_text(gqlws_session *s, const char *text, size_t len)
{
	struct gqlws_piece piece = {text, len};

	return session_send(s, &piece, 1);
}

unsigned char *gqlws_session_peek_frame(gqlws_session *s, size_t *len)
{
	if (!s) {
		if (len)
			*len = 0;
		return NULL;
	}
	return fq_peek(&s->queue, len);
}

static void deliver_drained(gqlws_session *s)
{
	/* Callbacks may end or start ops, so rescan from the head each time;
	 * there are at most max-operations ops. */
	while (s->drain_requests && fq_empty(&s->queue) && !s->closing) {
		gqlws_op *op = s->ops_head;

		while (op && !op->wants_drain)
			op = op->next;
		if (!op)
			break;
		op->wants_drain = false;
		s->drain_requests--;
		if (s->cb.op_drained) {
			s->depth++;
			s->app_depth++;
			s->cb.op_drained(s->user, s, op);
			s->app_depth--;
			s->depth--;
		}
	}
}

void gqlws_session_frame_sent(gqlws_session *s)
{
	if (!s)
		return;
	enter(s);
	if (!fq_empty(&s->queue))
		queue_changed(s);
	fq_pop(&s->queue);
	if (fq_empty(&s->queue))
		deliver_drained(s);
	/* That frame used the transport's write: ask again for the next one,
	 * or for the close waiting behind the frames. */
	if (!fq_empty(&s->queue) || s->closing)
		s->changes |= GQLWS_NOTIFY_WRITE;
	leave_transport(s);
}

void gqlws_session_poll_drained(gqlws_session *s)
{
	if (!s)
		return;
	enter(s);
	if (fq_empty(&s->queue))
		deliver_drained(s);
	leave_transport(s);
}

size_t gqlws_session_queued_bytes(const gqlws_session *s)
{
	return s ? s->queue.queued_bytes : 0;
}

size_t gqlws_session_queued_heap_bytes(const gqlws_session *s)
{
	return s ? s->queue.queued_cost : 0;
}

int gqlws_session_evict(gqlws_session *s, const char *reason)
{
	bool was_closing;

	if (!s || s->gone)
		return GQLWS_ERR_CLOSED;
	was_closing = s->closing;
	/* As an application call: session_close then leaves op_stop to the
	 * session's next transport call, whoever is on the stack now. */
	app_enter(s);
	queue_drop(s);
	session_close(s, 1008, reason);
	/* A close requested earlier may be due now that nothing is queued. */
	s->changes |= GQLWS_NOTIFY_WRITE;
	app_leave(s);
	return was_closing ? GQLWS_ERR_CLOSED : GQLWS_OK;
}

/* ---------------------------------------------------------------- close */

void session_close(gqlws_session *s, uint16_t code, const char *reason)
{
	size_t len;

	if (s->closing)
		return;
	s->closing = true;
	s->close_code = code;
	len = reason ? strlen(reason) : 0;
	len = utf8_prefix_len(reason, len, CLOSE_REASON_MAX);
	if (len)
		memcpy(s->close_reason, reason, len);
	s->close_reason[len] = '\0';
	s->close_reason_len = len;
	s->init_deadline = s->keepalive_due = 0;
	s->changes |= GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_CLOSE;
	timers_written(s);
	/* Ops are stopped now, unless an executor or hook call is on the
	 * stack: then it might be walking its own op list, and the stop waits
	 * for the transport's next call (or closed/destroy). */
	if (!s->app_depth) {
		session_stop_all(s);
		return;
	}
	s->stops_deferred = true;
	/* Held starts were never seen by the executor: drop them now. */
	for (gqlws_op *op = s->ops_head, *next; op; op = next) {
		next = op->next;
		if (op->state == OP_HELD)
			ops_retire(s, op);
	}
}

void session_close_internal_error(gqlws_session *s)
{
	session_close(s, s->wire->internal_error_code, "Internal server error");
}

bool gqlws_session_close_due(const gqlws_session *s, uint16_t *code, const char **reason,
			     size_t *reason_len)
{
	if (!s || !s->closing || s->gone || !fq_empty(&s->queue))
		return false;
	if (code)
		*code = s->close_code;
	if (reason)
		*reason = s->close_reason;
	if (reason_len)
		*reason_len = s->close_reason_len;
	return true;
}

bool gqlws_session_closing(const gqlws_session *s)
{
	return s && s->closing;
}

/* ----------------------------------------------------------------- init */

/* Most init payloads ({} or a token) print into this much stack. */
#define INIT_PAYLOAD_STACK_BYTES 512
/* cJSON's printer asks for a few bytes more than it writes. */
#define PRINT_SLACK_BYTES 64

enum payload_print { PAYLOAD_PRINTED, PAYLOAD_TOO_LARGE, PAYLOAD_NOMEM };

/* Prints payload compactly into an allocation of its exact size, without
 * ever printing (or allocating) much more than max bytes of it. */
static enum payload_print print_bounded(cJSON *payload, size_t max, char **text, size_t *len)
{
	char small[INIT_PAYLOAD_STACK_BYTES];
	char *buffer = small, *copy;
	size_t size = sizeof(small);
	bool printed;

	if (max > (size_t)INT32_MAX - PRINT_SLACK_BYTES)
		max = (size_t)INT32_MAX - PRINT_SLACK_BYTES;
	printed = cJSON_PrintPreallocated(payload, buffer, (int)size, 0);
	if (!printed && max + PRINT_SLACK_BYTES > size) {
		size = max + PRINT_SLACK_BYTES;
		buffer = malloc(size);
		if (!buffer)
			return PAYLOAD_NOMEM;
		printed = cJSON_PrintPreallocated(payload, buffer, (int)size, 0);
	}
	*len = printed ? strlen(buffer) : 0;
	if (!printed || *len > max) {
		if (buffer != small)
			free(buffer);
		return PAYLOAD_TOO_LARGE;
	}
	copy = malloc(*len + 1);
	if (copy)
		memcpy(copy, buffer, *len + 1);
	if (buffer != small)
		free(buffer);
	*text = copy;
	return copy ? PAYLOAD_PRINTED : PAYLOAD_NOMEM;
}

bool session_begin_init(gqlws_session *s, const cJSON *payload)
{
	if (!cJSON_IsObject(payload))
		payload = NULL;
	if (payload) {
		/* cJSON's printer takes a non-const item but does not change it. */
		switch (print_bounded((cJSON *)payload, s->opt.max_init_payload_bytes,
				      &s->init_payload_json, &s->init_payload_json_len)) {
		case PAYLOAD_PRINTED:
			break;
		case PAYLOAD_TOO_LARGE:
			return false;
		case PAYLOAD_NOMEM:
			session_close_internal_error(s);
			return true;
		}
	}
	s->init = INIT_PENDING;
	s->init_deadline = 0;
	timers_written(s);
	if (!s->cb.on_init) {
		gqlws_session_accept_init(s, NULL);
		return true;
	}
	s->depth++;
	s->app_depth++;
	s->cb.on_init(s->user, s, payload);
	s->app_depth--;
	s->depth--;
	return true;
}

static void start_held_ops(gqlws_session *s)
{
	for (;;) {
		gqlws_op *op = s->ops_head;
		cJSON *message;

		while (op && op->state != OP_HELD)
			op = op->next;
		if (!op || s->closing)
			return;
		/* Parsed again only now, for the time of op_start: the text
		 * passed the strict check, so only memory can fail. */
		message = cJSON_Parse(op->held_payload->valuestring);
		if (!message) {
			ops_retire(s, op);
			session_close_internal_error(s);
			return;
		}
		session_start_op(s, op, cJSON_GetObjectItemCaseSensitive(message, "payload"));
		cJSON_Delete(message);
	}
}

int gqlws_session_accept_init(gqlws_session *s, cJSON *ack_payload)
{
	int rc;

	if (!s) {
		cJSON_Delete(ack_payload);
		return GQLWS_ERR_INVALID;
	}
	if (s->closing || s->init != INIT_PENDING) {
		cJSON_Delete(ack_payload);
		return s->closing ? GQLWS_ERR_CLOSED : GQLWS_ERR_STATE;
	}
	app_enter(s);
	s->init = INIT_ACCEPTED;
	rc = s->wire->send_ack(s, ack_payload);
	cJSON_Delete(ack_payload);
	if (rc == GQLWS_ERR_NOMEM)
		session_close_internal_error(s);
	if (rc == GQLWS_OK) {
		s->acked = true;
		if (s->opt.keepalive_ms) {
			if (s->wire->keepalive_with_ack)
				s->wire->send_keepalive(s);
			s->keepalive_due = s->now + s->opt.keepalive_ms;
			timers_written(s);
		}
		start_held_ops(s);
	}
	app_leave(s);
	return rc;
}

static int refuse_init(gqlws_session *s, const char *message, bool hook_failed)
{
	if (!s)
		return GQLWS_ERR_INVALID;
	if (s->closing)
		return GQLWS_ERR_CLOSED;
	if (s->init != INIT_PENDING)
		return GQLWS_ERR_STATE;
	if (!message || !*message)
		message = hook_failed ? "Internal server error" : "Forbidden";
	app_enter(s);
	s->init = INIT_REFUSED;
	s->wire->refuse_init(s, message, hook_failed);
	app_leave(s);
	return GQLWS_OK;
}

int gqlws_session_reject_init(gqlws_session *s, const char *message)
{
	return refuse_init(s, message, false);
}

int gqlws_session_fail_init(gqlws_session *s, const char *message)
{
	return refuse_init(s, message, true);
}

/* ----------------------------------------------------------- operations */

void session_start_op(gqlws_session *s, gqlws_op *op, const cJSON *payload)
{
	const cJSON *query = cJSON_GetObjectItemCaseSensitive(payload, "query");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(payload, "operationName");
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(payload, "variables");
	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(payload, "extensions");
	gqlws_request req = {
		.id = op->id_text,
		.query = query->valuestring,
		.query_len = strlen(query->valuestring),
		.operation_name = cJSON_IsString(name) ? name->valuestring : NULL,
		.variables = cJSON_IsObject(vars) ? vars : NULL,
		.extensions = cJSON_IsObject(ext) ? ext : NULL,
		.init_payload_json = s->init_payload_json,
		.init_payload_json_len = s->init_payload_json_len,
	};
	int rc;

	op->state = OP_STARTING;
	s->depth++;
	s->app_depth++;
	rc = s->cb.op_start(s->user, s, op, &req);
	s->app_depth--;
	s->depth--;
	/* The held payload (and with it req's strings) is no longer needed. */
	if (op->state == OP_DONE)
		return;
	ops_drop_held_payload(s, op);
	op->state = OP_RUNNING;
	if (rc != 0 && !s->closing)
		gqlws_op_fail(op, "Internal error");
}

void session_stop_op(gqlws_session *s, gqlws_op *op)
{
	if (op->state == OP_DONE)
		return;
	if (op->state != OP_HELD) {
		op->state = OP_STOPPING; /* op_* calls on it fail from here */
		s->depth++;
		s->app_depth++;
		s->cb.op_stop(s->user, s, op);
		s->app_depth--;
		s->depth--;
	}
	ops_retire(s, op);
}

void session_stop_all(gqlws_session *s)
{
	while (s->ops_head)
		session_stop_op(s, s->ops_head);
}

static int op_check(const gqlws_op *op)
{
	if (!op)
		return GQLWS_ERR_INVALID;
	if (op->state != OP_STARTING && op->state != OP_RUNNING)
		return GQLWS_ERR_STATE;
	if (op->session->closing)
		return GQLWS_ERR_CLOSED;
	return GQLWS_OK;
}

int gqlws_op_next_raw(gqlws_op *op, const char *json, size_t len)
{
	gqlws_session *s;
	int rc = op_check(op);

	if (rc)
		return rc;
	if (!json || !len)
		return GQLWS_ERR_INVALID;
	s = op->session;
	app_enter(s);
	rc = s->wire->send_result(s, op, json, len);
	if (rc == GQLWS_OK)
		op->sent_result = true;
	app_leave(s);
	return rc;
}

int gqlws_op_next(gqlws_op *op, const cJSON *result)
{
	char *text;
	int rc = op_check(op);

	if (rc)
		return rc;
	if (!result)
		return GQLWS_ERR_INVALID;
	text = cJSON_PrintUnformatted(result);
	if (!text)
		return GQLWS_ERR_NOMEM;
	rc = gqlws_op_next_raw(op, text, strlen(text));
	cJSON_free(text);
	return rc;
}

/* Ends op after its last frames, queued by send (GQLWS_OK) or not: an op
 * that ended by itself gets no op_stop. If the session closed meanwhile, the
 * close stopped the op (or scheduled its stop) instead. A frame that could
 * not be built closes the connection, as a queue that cannot take it does. */
static int op_finish(gqlws_op *op, int rc)
{
	gqlws_session *s = op->session;

	if (rc == GQLWS_ERR_NOMEM)
		session_close_internal_error(s);
	if (rc == GQLWS_OK)
		ops_retire(s, op);
	app_leave(s);
	return rc;
}

int gqlws_op_complete(gqlws_op *op)
{
	int rc = op_check(op);

	if (rc)
		return rc;
	app_enter(op->session);
	return op_finish(op, op->session->wire->send_complete(op->session, op));
}

int gqlws_op_fail(gqlws_op *op, const char *message)
{
	int rc = op_check(op);

	if (rc)
		return rc;
	if (!message)
		message = "Internal error";
	app_enter(op->session);
	return op_finish(op, op->session->wire->send_failure(op->session, op, message));
}

/* What both kinds of refusal require of the op and the errors. */
static int refuse_check(gqlws_op *op, const cJSON *errors)
{
	int rc = op_check(op);

	if (rc)
		return rc;
	if (!cJSON_IsArray(errors) || !cJSON_GetArraySize(errors))
		return GQLWS_ERR_INVALID;
	return op->sent_result ? GQLWS_ERR_STATE : GQLWS_OK;
}

int gqlws_op_refuse(gqlws_op *op, const cJSON *errors)
{
	int rc = refuse_check(op, errors);

	if (rc)
		return rc;
	app_enter(op->session);
	return op_finish(op, op->session->wire->send_refusal(op->session, op, errors));
}

int gqlws_op_refuse_syntax(gqlws_op *op, const cJSON *errors)
{
	int rc = refuse_check(op, errors);

	if (rc)
		return rc;
	app_enter(op->session);
	return op_finish(op, op->session->wire->send_syntax_refusal(op->session, op, errors));
}

void gqlws_op_request_drain(gqlws_op *op)
{
	if (op_check(op) || op->wants_drain)
		return;
	op->wants_drain = true;
	op->session->drain_requests++;
}

int gqlws_op_charge(gqlws_op *op, size_t bytes)
{
	if (!op)
		return GQLWS_ERR_INVALID;
	if (op->state != OP_STARTING && op->state != OP_RUNNING)
		return GQLWS_ERR_STATE;
	if (!session_charge(op->session, bytes))
		return GQLWS_ERR_LIMIT;
	op->charged += bytes;
	return GQLWS_OK;
}

void gqlws_op_uncharge(gqlws_op *op, size_t bytes)
{
	if (!op || op->state == OP_DONE)
		return;
	if (bytes > op->charged)
		bytes = op->charged;
	op->charged -= bytes;
	session_uncharge(op->session, bytes);
}

int gqlws_op_on_end(gqlws_op *op, void (*fn)(void *arg), void *arg)
{
	struct op_cleanup *c;
	size_t cost = gqlws_alloc_bytes(sizeof(*c));
	int rc;

	if (!fn)
		return GQLWS_ERR_INVALID;
	rc = gqlws_op_charge(op, cost);
	c = rc == GQLWS_OK ? malloc(sizeof(*c)) : NULL;
	if (!c) {
		if (rc == GQLWS_OK) {
			gqlws_op_uncharge(op, cost);
			rc = GQLWS_ERR_NOMEM;
		}
		fn(arg); /* the caller's state is never left without an owner */
		return rc;
	}
	*c = (struct op_cleanup){ .next = op->cleanups, .fn = fn, .arg = arg };
	op->cleanups = c;
	return GQLWS_OK;
}

void gqlws_op_set_user(gqlws_op *op, void *user)
{
	if (op)
		op->user = user;
}

void *gqlws_op_user(const gqlws_op *op)
{
	return op ? op->user : NULL;
}

gqlws_session *gqlws_op_session(const gqlws_op *op)
{
	return op ? op->session : NULL;
}

const char *gqlws_op_id(const gqlws_op *op)
{
	return op ? op->id_text : NULL;
}

uint64_t gqlws_op_serial(const gqlws_op *op)
{
	return op ? op->serial : 0;
}

/* ------------------------------------------------------------- queries */

gqlws_op *gqlws_session_find_op(gqlws_session *s, uint64_t serial)
{
	gqlws_op *op = s ? op_map_find_serial(&s->ops_index, serial) : NULL;

	/* A held start was never seen by the executor: it has no serial yet
	 * as far as the executor knows. */
	return op && op->state != OP_HELD ? op : NULL;
}

size_t gqlws_session_op_count(const gqlws_session *s)
{
	return s ? s->op_count : 0;
}

gqlws_subprotocol gqlws_session_subprotocol(const gqlws_session *s)
{
	return s ? s->wire->proto : (gqlws_subprotocol)0;
}

void *gqlws_session_user(const gqlws_session *s)
{
	return s ? s->user : NULL;
}

const gqlws_options *gqlws_session_options(const gqlws_session *s)
{
	return s ? &s->opt : NULL;
}

bool gqlws_session_acknowledged(const gqlws_session *s)
{
	return s && s->acked;
}

const char *gqlws_session_init_payload_json(const gqlws_session *s, size_t *len)
{
	bool known = s && (s->init == INIT_PENDING || s->init == INIT_ACCEPTED);
	const char *text = known ? s->init_payload_json : NULL;

	if (len)
		*len = text ? s->init_payload_json_len : 0;
	return text;
}
