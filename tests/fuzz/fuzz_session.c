/*
 * fuzz_session.c - libFuzzer target: one session of either subprotocol fed an
 * arbitrary sequence of client messages, executor actions, clock ticks, init
 * answers and transport events, all chosen by the input. It aborts on any
 * broken promise of gqlws.h: op_stop for an op that is not running, twice, or
 * inside an executor call; an op left running after destroy; a frame that is
 * not a JSON object with a type; a queue over its bound; anything queued
 * after the connection was closed; a close reason over 123 bytes; an init
 * payload kept as anything but compact JSON text of an object within
 * max-init-payload-bytes; a transport that follows only on_notify left with a
 * frame or a due close and no write asked for, a stale deadline, a close
 * announced twice, or a notification from inside a callback, more than one
 * per call, or after the connection was closed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gqlws.h"

#define MAX_OPS 256

#define require(cond)                                                                     \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* The input, read as a stream of choices. Once it runs out every choice is 0. */
struct input {
	const uint8_t *data;
	size_t size, at;
};

static uint8_t take_byte(struct input *in)
{
	return in->at < in->size ? in->data[in->at++] : 0;
}

static size_t take_bytes(struct input *in, size_t want, const uint8_t **out)
{
	size_t left = in->size - in->at;
	size_t n = want < left ? want : left;
	*out = in->data + in->at;
	in->at += n;
	return n;
}

struct fake_op {
	gqlws_op *op;
	uint64_t serial;
	bool live;
	bool start_failed; /* op_start returned nonzero: ended unless the fail could not be sent */
};

struct world {
	struct input in;
	gqlws_session *s;
	gqlws_options opts;
	uint64_t now;
	struct fake_op ops[MAX_OPS];
	size_t n_ops;
	bool in_op_call;
	bool init_pending;
	bool transport_closed;
	size_t queued_at_close;
	/* The transport's view, from on_notify alone. */
	int in_callback;
	int notices;          /* since the current outermost call began */
	int close_notices;
	bool write_wanted;
	uint64_t known_deadline;
};

/* One outermost call into the session: at most one notification. */
#define CALL(w, expr)                   \
	do {                            \
		(w)->notices = 0;       \
		expr;                   \
		require((w)->notices <= 1); \
	} while (0)

static struct fake_op *find_live(struct world *w, const gqlws_op *op)
{
	for (size_t i = 0; i < w->n_ops; i++)
		if (w->ops[i].live && w->ops[i].op == op)
			return &w->ops[i];
	return NULL;
}

static struct fake_op *pick_live(struct world *w)
{
	size_t live = 0;
	for (size_t i = 0; i < w->n_ops; i++)
		live += w->ops[i].live;
	if (!live)
		return NULL;
	size_t k = take_byte(&w->in) % live;
	for (size_t i = 0; i < w->n_ops; i++)
		if (w->ops[i].live && k-- == 0)
			return &w->ops[i];
	return NULL;
}

static const char *const results[] = {
	"{\"data\":{\"counter\":{\"value\":1,\"at\":1.5}}}",
	"{\"data\":null,\"errors\":[{\"message\":\"boom\",\"path\":[\"counter\"]}]}",
	"{\"data\":{\"text\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}}",
	"{}",
};

/* One executor action on op, chosen by the input. Returns false if it ended. */
static bool executor_act(struct world *w, struct fake_op *rec)
{
	uint8_t choice = take_byte(&w->in);
	int status;
	w->in_op_call = true;
	switch (choice % 8) {
	case 0:
	case 1: {
		cJSON *result = cJSON_Parse(results[choice / 8 % 4]);
		status = gqlws_op_next(rec->op, result);
		cJSON_Delete(result);
		require(status == GQLWS_OK || status == GQLWS_ERR_CLOSED || status == GQLWS_ERR_NOMEM);
		break;
	}
	case 2: {
		const char *raw = results[choice / 8 % 4];
		status = gqlws_op_next_raw(rec->op, raw, strlen(raw));
		require(status == GQLWS_OK || status == GQLWS_ERR_CLOSED || status == GQLWS_ERR_NOMEM);
		break;
	}
	case 3:
		if (gqlws_op_complete(rec->op) == GQLWS_OK)
			rec->live = false;
		break;
	case 4:
		if (gqlws_op_fail(rec->op, choice & 0x80 ? "stream kaboom" : "") == GQLWS_OK)
			rec->live = false;
		break;
	case 5: {
		cJSON *errors = cJSON_Parse(choice & 0x80 ? "[]" : "[{\"message\":\"Syntax Error\",\"locations\":[{\"line\":1,\"column\":2}]}]");
		if (gqlws_op_refuse(rec->op, errors) == GQLWS_OK)
			rec->live = false;
		cJSON_Delete(errors);
		break;
	}
	case 6:
		gqlws_op_request_drain(rec->op);
		break;
	default:
		break; /* leave it running */
	}
	w->in_op_call = false;
	return rec->live;
}

/* ------------------------------------------------------------ callbacks */

/* The session keeps the init payload as the compact text of an object,
 * within max-init-payload-bytes; no text, no length. */
static void check_init_payload_text(const struct world *w, const char *text, size_t len)
{
	cJSON *parsed;

	if (!text) {
		require(len == 0);
		return;
	}
	require(strlen(text) == len && len <= w->opts.max_init_payload_bytes);
	parsed = cJSON_ParseWithLength(text, len);
	require(cJSON_IsObject(parsed));
	cJSON_Delete(parsed);
}

static void on_init(void *user, gqlws_session *s, const cJSON *payload)
{
	struct world *w = user;
	size_t len;
	const char *text = gqlws_session_init_payload_json(s, &len);
	require(payload == NULL || cJSON_IsObject(payload));
	require((payload == NULL) == (text == NULL));
	check_init_payload_text(w, text, len);
	w->in_callback++;
	switch (take_byte(&w->in) % 5) {
	case 0:
		gqlws_session_accept_init(s, NULL);
		break;
	case 1:
		gqlws_session_accept_init(s, cJSON_Parse("{\"server\":\"fuzz\"}"));
		break;
	case 2:
		gqlws_session_reject_init(s, "Prohibited connection!");
		break;
	case 3:
		gqlws_session_fail_init(s, "auth backend down");
		break;
	default:
		w->init_pending = true; /* answered later by a command */
		break;
	}
	w->in_callback--;
}

static int op_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	struct world *w = user;
	require(s == w->s);
	require(!w->transport_closed);
	require(req->id && req->query && strlen(req->query) == req->query_len);
	require(strlen(req->id) <= w->opts.max_id_bytes);
	require(find_live(w, op) == NULL);
	require(gqlws_session_find_op(s, gqlws_op_serial(op)) == op);
	check_init_payload_text(w, req->init_payload_json, req->init_payload_json_len);

	struct fake_op *rec = NULL;
	for (size_t i = 0; i < w->n_ops && !rec; i++)
		if (!w->ops[i].live)
			rec = &w->ops[i];
	if (!rec) {
		require(w->n_ops < MAX_OPS);
		rec = &w->ops[w->n_ops++];
	}
	rec->op = op;
	rec->serial = gqlws_op_serial(op);
	rec->live = true;
	rec->start_failed = false;

	/* Sometimes answer at once, as a query executor would. */
	uint8_t choice = take_byte(&w->in);
	w->in_callback++;
	if (choice & 1)
		executor_act(w, rec);
	if (choice & 2 && rec->live)
		executor_act(w, rec);
	w->in_callback--;
	if (choice & 4) {
		/* Answered like op_fail, which ends the op unless it could not
		 * be sent (then op_stop follows): settled by settle_failed_starts. */
		rec->start_failed = rec->live;
		return -1;
	}
	return 0;
}

static void op_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	struct world *w = user;
	(void)s;
	require(!w->in_op_call);
	struct fake_op *rec = find_live(w, op);
	require(rec != NULL);
	rec->live = false;
}

static void op_drained(void *user, gqlws_session *s, gqlws_op *op)
{
	struct world *w = user;
	(void)s;
	struct fake_op *rec = find_live(w, op);
	require(rec != NULL);
	w->in_callback++;
	if (take_byte(&w->in) & 1)
		executor_act(w, rec);
	w->in_callback--;
}

static void on_notify(void *user, gqlws_session *s, unsigned changes, uint64_t deadline)
{
	struct world *w = user;
	require(changes != 0);
	require(!(changes & ~(GQLWS_NOTIFY_WRITE | GQLWS_NOTIFY_CLOSE | GQLWS_NOTIFY_DEADLINE)));
	/* Calls made inside callbacks add to their caller's notification. */
	require(w->in_callback == 0);
	require(!w->transport_closed);
	require(deadline == gqlws_session_next_deadline(s));
	w->notices++;
	if (changes & GQLWS_NOTIFY_WRITE)
		w->write_wanted = true;
	if (changes & GQLWS_NOTIFY_CLOSE) {
		require(gqlws_session_closing(s));
		require(++w->close_notices == 1);
	}
	if (changes & GQLWS_NOTIFY_DEADLINE)
		require(deadline != w->known_deadline);
	else
		require(deadline == w->known_deadline);
	w->known_deadline = deadline;
}

/* ------------------------------------------------------------ commands */

static void check_frame(const unsigned char *frame, size_t len)
{
	const char *end = NULL;
	cJSON *parsed = cJSON_ParseWithLengthOpts((const char *)frame, len, &end, false);
	require(parsed != NULL);
	require(end == (const char *)frame + len);
	require(cJSON_IsObject(parsed));
	require(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(parsed, "type")));
	cJSON_Delete(parsed);
}

static void take_frames(struct world *w, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		size_t len = 0;
		unsigned char *frame = gqlws_session_peek_frame(w->s, &len);
		if (!frame)
			return;
		memset(frame - w->opts.frame_headroom, 0xa5, w->opts.frame_headroom);
		check_frame(frame, len);
		require(w->write_wanted);
		w->write_wanted = false; /* this frame used the write */
		CALL(w, gqlws_session_frame_sent(w->s));
	}
}

/* Messages a client plausibly sends, with a fuzzed id, so that the fuzzer
 * reaches running operations without having to invent JSON first. */
static void send_template(struct world *w)
{
	static const char *const templates[] = {
		"{\"type\":\"connection_init\",\"payload\":{\"token\":\"t\"}}",
		"{\"type\":\"connection_init\"}",
		"{\"id\":\"%s\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { counter }\",\"variables\":{\"n\":1}}}",
		"{\"id\":%u,\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}}",
		"{\"id\":\"%s\",\"type\":\"stop\"}",
		"{\"id\":%u,\"type\":\"stop\"}",
		"{\"type\":\"connection_terminate\"}",
		"{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\",\"operationName\":null}}",
		"{\"id\":\"%s\",\"type\":\"complete\"}",
		"{\"type\":\"ping\",\"payload\":{\"a\":1}}",
		"{\"type\":\"pong\"}",
		"{\"id\":\"%s\",\"type\":\"next\",\"payload\":{}}",
		/* What cJSON alone would misread, and what the limits refuse. */
		"{\"id\":\"%s\\u0000x\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ a }\"}}",
		"{\"id\":\"%s\\u0000x\",\"type\":\"start\",\"payload\":{\"query\":\"{ a }\"}}",
		"{\"type\":\"ping\\u0000x\"}",
		"{\"id\":\"%s\",\"type\":\"start\",\"payload\":{\"query\":\"{\n a }\"}}",
		"{\"type\":\"connection_init\",\"payload\":{\"token\":\"0123456789abcdef\",\"n\":[1,2,3]}}",
		"{\"type\":\"pong\",\"payload\":{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}}",
	};
	static const char *const ids[] = {"1", "2", "3", "", "0123456789abcdef0123456789abcdef"};
	uint8_t choice = take_byte(&w->in);
	const char *tpl = templates[choice % (sizeof templates / sizeof *templates)];
	uint8_t id_choice = take_byte(&w->in);
	char text[512];
	if (strstr(tpl, "%s"))
		snprintf(text, sizeof text, tpl, ids[id_choice % (sizeof ids / sizeof *ids)]);
	else if (strstr(tpl, "%u"))
		snprintf(text, sizeof text, tpl, (unsigned)(id_choice % 4));
	else
		snprintf(text, sizeof text, "%s", tpl);
	CALL(w, gqlws_session_receive(w->s, text, strlen(text), false, w->now));
}

static void send_raw(struct world *w)
{
	uint8_t head = take_byte(&w->in);
	size_t want = take_byte(&w->in) | (size_t)(head & 0x3) << 8;
	const uint8_t *bytes;
	size_t n = take_bytes(&w->in, want, &bytes);
	/* A copy of exactly n bytes, so ASan sees any read past the message. */
	uint8_t *copy = malloc(n ? n : 1);
	require(copy != NULL);
	if (n)
		memcpy(copy, bytes, n);
	/* Sometimes as a transport that reassembles: asking the session
	 * about the length first, as it would before keeping a piece. */
	if (head & 0x40) {
		int status;
		CALL(w, status = gqlws_session_message_size(w->s, n));
		require(status == GQLWS_OK || status == GQLWS_ERR_LIMIT ||
			status == GQLWS_ERR_CLOSED);
		require((status == GQLWS_ERR_LIMIT) ==
			(n > w->opts.max_message_bytes && status != GQLWS_ERR_CLOSED));
		if (status == GQLWS_OK)
			CALL(w, gqlws_session_receive(w->s, copy, n, head & 0x80, w->now));
	} else {
		CALL(w, gqlws_session_receive(w->s, copy, n, head & 0x80, w->now));
	}
	free(copy);
}

static void answer_init(struct world *w)
{
	uint8_t choice = take_byte(&w->in);
	int status;
	switch (choice % 4) {
	case 0:
		CALL(w, status = gqlws_session_accept_init(w->s, choice & 0x10 ? cJSON_Parse("{\"late\":true}") : NULL));
		break;
	case 1:
		CALL(w, status = gqlws_session_reject_init(w->s, "late no"));
		break;
	case 2:
		CALL(w, status = gqlws_session_fail_init(w->s, choice & 0x10 ? "" : "late failure"));
		break;
	default:
		return;
	}
	require(status == GQLWS_OK || status == GQLWS_ERR_STATE || status == GQLWS_ERR_CLOSED ||
		status == GQLWS_ERR_NOMEM);
	w->init_pending = false;
}

/* Back in the transport's hands: an op whose op_start failed has either
 * ended (find_op no longer knows it) or is still running and owed an op_stop. */
static void settle_failed_starts(struct world *w)
{
	for (size_t i = 0; i < w->n_ops; i++) {
		struct fake_op *rec = &w->ops[i];
		if (rec->live && rec->start_failed && !gqlws_session_find_op(w->s, rec->serial))
			rec->live = false;
		rec->start_failed = false;
	}
}

static void check_state(struct world *w)
{
	uint16_t code = 0;
	const char *reason = NULL;
	size_t reason_len = 0;
	size_t queued = gqlws_session_queued_bytes(w->s);
	require(queued <= w->opts.send_queue_bytes);
	/* Queue, ops and charges never take the connection over its budget. */
	require(gqlws_session_memory_bytes(w->s) <= w->opts.max_connection_bytes);
	if (gqlws_session_close_due(w->s, &code, &reason, &reason_len)) {
		require(gqlws_session_closing(w->s));
		require(reason_len <= 123);
		require(code >= 1000);
	}
	if (w->transport_closed)
		require(queued <= w->queued_at_close);
	/* What the transport was told is enough to serve the session. */
	if (!w->transport_closed) {
		if (gqlws_session_peek_frame(w->s, NULL) || gqlws_session_close_due(w->s, NULL, NULL, NULL))
			require(w->write_wanted);
		require(w->known_deadline == gqlws_session_next_deadline(w->s));
		if (gqlws_session_closing(w->s))
			require(w->close_notices == 1);
	}
	size_t live = 0;
	for (size_t i = 0; i < w->n_ops; i++) {
		if (!w->ops[i].live)
			continue;
		live++;
		if (!w->in_op_call)
			require(gqlws_session_find_op(w->s, w->ops[i].serial) == w->ops[i].op);
	}
	require(live <= gqlws_session_op_count(w->s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w;
	memset(&w, 0, sizeof w);
	w.in.data = data;
	w.in.size = size;
	w.now = 1000;

	uint8_t setup = take_byte(&w.in);
	uint8_t limits = take_byte(&w.in);
	gqlws_options_init(&w.opts);
	w.opts.keepalive_ms = setup & 0x02 ? 100 : 0;
	w.opts.init_timeout_ms = setup & 0x04 ? 300 : 0;
	w.opts.frame_headroom = setup & 0x08 ? 16 : 0;
	w.opts.max_operations = 1 + limits % 8;
	w.opts.max_id_bytes = limits & 0x08 ? 8 : 128;
	w.opts.send_queue_bytes = limits & 0x10 ? 600 : 64 * 1024;
	w.opts.max_message_bytes = limits & 0x20 ? 64 : 4096;
	w.opts.max_connection_bytes = limits & 0x40 ? 4096 : 8 * 1024 * 1024;
	w.opts.max_message_values = setup & 0x20 ? 16 : 16384;
	w.opts.max_init_payload_bytes = limits & 0x80 ? 24 : 65536;
	gqlws_callbacks cb = {
		.on_init = setup & 0x10 ? NULL : on_init,
		.op_start = op_start,
		.op_stop = op_stop,
		.op_drained = op_drained,
		.on_notify = on_notify,
	};
	gqlws_subprotocol proto = setup & 0x01 ? GQLWS_SUBPROTOCOL_MODERN : GQLWS_SUBPROTOCOL_LEGACY;
	w.s = gqlws_session_new(proto, &cb, &w.opts, &w, w.now);
	require(w.s != NULL);
	w.known_deadline = gqlws_session_next_deadline(w.s);

	for (int steps = 0; w.in.at < w.in.size && steps < 4096; steps++) {
		uint8_t command = take_byte(&w.in);
		switch (command % 10) {
		case 0:
		case 1:
			send_template(&w);
			break;
		case 2:
			send_raw(&w);
			break;
		case 3: {
			struct fake_op *rec = pick_live(&w);
			if (rec)
				CALL(&w, executor_act(&w, rec));
			break;
		}
		case 4:
			take_frames(&w, 1 + command / 10 % 8);
			break;
		case 5:
			w.now += (uint64_t)take_byte(&w.in) * 4;
			CALL(&w, gqlws_session_tick(w.s, w.now));
			break;
		case 6:
			answer_init(&w);
			break;
		case 7:
			CALL(&w, gqlws_session_poll_drained(w.s));
			break;
		case 8:
			switch (command / 10 % 8) {
			case 0:
				if (!w.transport_closed)
					w.queued_at_close = gqlws_session_queued_bytes(w.s);
				w.transport_closed = true;
				gqlws_session_closed(w.s);
				break;
			case 1:
				CALL(&w, gqlws_session_shutdown(w.s));
				break;
			case 2:
				CALL(&w, gqlws_session_message_size(w.s, w.opts.max_message_bytes + 1));
				break;
			default:
				break;
			}
			break;
		default: {
			uint64_t deadline = gqlws_session_next_deadline(w.s);
			if (deadline) {
				require(deadline >= 1000);
				if (deadline > w.now)
					w.now = deadline;
				CALL(&w, gqlws_session_tick(w.s, w.now));
			}
			break;
		}
		}
		settle_failed_starts(&w);
		check_state(&w);
		if (gqlws_session_closing(w.s) && !w.transport_closed) {
			/* Once a close is due the transport would stop reading. */
			uint16_t code;
			if (gqlws_session_close_due(w.s, &code, NULL, NULL) && (command & 0x40)) {
				w.queued_at_close = gqlws_session_queued_bytes(w.s);
				w.transport_closed = true;
				gqlws_session_closed(w.s);
			}
		}
	}

	gqlws_session_destroy(w.s);
	for (size_t i = 0; i < w.n_ops; i++)
		require(!w.ops[i].live);
	return 0;
}
