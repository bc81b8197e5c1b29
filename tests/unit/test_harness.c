/*
 * test_harness.c - the fake transport, executor, init hook and clock of the
 * session tests. The harness plays every role around a session and records
 * what the session asked of each, so tests can assert frames, closes and the
 * executor's start/stop calls.
 */
#include "test_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_text(const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

/* Tests write JSON with single quotes to stay readable; none of their
 * expected texts needs a literal single quote. */
static char *swap_quotes(const char *text)
{
	char *copy = dup_text(text, strlen(text));
	for (char *c = copy; *c; c++)
		if (*c == '\'')
			*c = '"';
	return copy;
}

static cJSON *dup_json(const cJSON *item)
{
	return item ? cJSON_Duplicate(item, true) : NULL;
}

/* The session keeps the init payload as compact JSON text; tests compare
 * it as parsed JSON. NULL text: NULL. */
static cJSON *parse_payload_text(const char *text, size_t len)
{
	cJSON *tree;

	if (!text) {
		ck_assert_uint_eq(len, 0);
		return NULL;
	}
	ck_assert_uint_eq(strlen(text), len);
	tree = cJSON_ParseWithLength(text, len);
	ck_assert_ptr_nonnull(tree);
	return tree;
}

static fake_op *live_by_handle(harness *h, const gqlws_op *op)
{
	for (size_t i = h->n_ops; i-- > 0;)
		if (h->ops[i].live && h->ops[i].op == op)
			return &h->ops[i];
	return NULL;
}

/* ------------------------------------------------------------ callbacks */

static void fake_on_init(void *user, gqlws_session *s, const cJSON *payload)
{
	harness *h = user;
	h->init_calls++;
	cJSON_Delete(h->last_init_payload);
	h->last_init_payload = dup_json(payload);
	h->last_init_had_payload = payload != NULL;
	switch (h->init_mode) {
	case INIT_ACCEPT:
		h->init_answer_status = gqlws_session_accept_init(s, NULL);
		break;
	case INIT_ACCEPT_PAYLOAD:
		h->init_answer_status = gqlws_session_accept_init(s, dup_json(h->ack_payload));
		break;
	case INIT_REJECT:
		h->init_answer_status = gqlws_session_reject_init(s, h->init_message);
		break;
	case INIT_FAIL:
		h->init_answer_status = gqlws_session_fail_init(s, h->init_message);
		break;
	case INIT_PENDING:
	case INIT_NO_HOOK:
		break;
	}
}

static int fake_op_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	harness *h = user;
	ck_assert_ptr_eq(s, h->s);
	ck_assert_uint_lt(h->n_ops, HARNESS_MAX_OPS);
	ck_assert_ptr_null(live_by_handle(h, op));
	ck_assert_ptr_nonnull(req->id);
	ck_assert_ptr_nonnull(req->query);
	ck_assert_uint_eq(strlen(req->query), req->query_len);

	fake_op *rec = &h->ops[h->n_ops++];
	memset(rec, 0, sizeof *rec);
	rec->id = dup_text(req->id, strlen(req->id));
	rec->query = dup_text(req->query, req->query_len);
	rec->query_len = req->query_len;
	rec->operation_name = req->operation_name ? dup_text(req->operation_name, strlen(req->operation_name)) : NULL;
	rec->variables = dup_json(req->variables);
	rec->extensions = dup_json(req->extensions);
	rec->init_payload = parse_payload_text(req->init_payload_json, req->init_payload_json_len);
	rec->op = op;
	rec->serial = gqlws_op_serial(op);
	rec->live = true;
	ck_assert_str_eq(gqlws_op_id(op), req->id);
	ck_assert_ptr_eq(gqlws_op_session(op), s);

	if (h->on_start)
		h->on_start(h, rec);
	/* A nonzero return ends the operation like op_fail unless it ended
	 * (or the session is closing: then op_stop follows, as for op_fail). */
	if (h->op_start_return != 0 && rec->live && !gqlws_session_closing(s)) {
		rec->live = false;
		rec->ended_by_itself = true;
	}
	return h->op_start_return;
}

static void fake_op_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	harness *h = user;
	(void)s;
	fake_op *rec = live_by_handle(h, op);
	if (!rec) {
		h->stray_stops++;
		return;
	}
	if (h->in_op_call)
		h->stops_inside_op_call++;
	rec->stop_calls++;
	rec->live = false;
}

static void fake_op_drained(void *user, gqlws_session *s, gqlws_op *op)
{
	harness *h = user;
	(void)s;
	fake_op *rec = live_by_handle(h, op);
	if (!rec) {
		h->stray_stops++; /* a callback for a dead handle is as bad */
		return;
	}
	rec->drained_calls++;
	if (h->on_drained)
		h->on_drained(h, rec);
}

static void fake_on_notify(void *user, gqlws_session *s, unsigned changes, uint64_t deadline)
{
	harness *h = user;
	ck_assert_msg(changes != 0, "on_notify without a change");
	ck_assert_msg(!h->closed_by_transport, "on_notify after gqlws_session_closed");
	ck_assert_uint_eq(deadline, gqlws_session_next_deadline(s));
	h->notify_calls++;
	h->last_changes = changes;
	if (changes & GQLWS_NOTIFY_WRITE) {
		h->write_notices++;
		h->write_wanted = true;
	}
	if (changes & GQLWS_NOTIFY_CLOSE) {
		h->close_notices++;
		ck_assert_msg(h->close_notices == 1, "a close notified twice");
		ck_assert(gqlws_session_closing(s));
	}
	if (changes & GQLWS_NOTIFY_DEADLINE) {
		h->deadline_notices++;
		ck_assert_msg(deadline != h->known_deadline, "a deadline notified that did not change");
		h->known_deadline = deadline;
	} else {
		ck_assert_uint_eq(deadline, h->known_deadline);
	}
	if (changes & GQLWS_NOTIFY_QUEUE) {
		ck_assert_msg(h->opts.notify_queue, "a queue change told without notify_queue");
		h->queue_notices++;
		h->known_queue_heap = gqlws_session_queued_heap_bytes(s);
	}
	if (h->on_notify_action)
		h->on_notify_action(h, changes);
}

/* ------------------------------------------------------------ lifecycle */

/* Harnesses not yet freed: a failed assertion jumps out of its test, and the
 * teardown releases what it left so that valgrind reports only real leaks. */
#define HARNESS_MAX_OPEN 8
static harness *open_harnesses[HARNESS_MAX_OPEN];

static void track(harness *h, bool open)
{
	for (size_t i = 0; i < HARNESS_MAX_OPEN; i++) {
		if (open && !open_harnesses[i]) {
			open_harnesses[i] = h;
			return;
		}
		if (!open && open_harnesses[i] == h) {
			open_harnesses[i] = NULL;
			return;
		}
	}
	ck_assert_msg(!open, "too many harnesses open at once");
}

static void release(harness *h)
{
	gqlws_session_destroy(h->s);
	h->s = NULL;
	for (size_t i = 0; i < h->n_ops; i++) {
		fake_op *rec = &h->ops[i];
		free(rec->id);
		free(rec->query);
		free(rec->operation_name);
		cJSON_Delete(rec->variables);
		cJSON_Delete(rec->extensions);
		cJSON_Delete(rec->init_payload);
	}
	for (size_t i = 0; i < h->n_frames; i++)
		cJSON_Delete(h->frames[i]);
	cJSON_Delete(h->ack_payload);
	cJSON_Delete(h->last_init_payload);
	cJSON_Delete(h->session_init_payload);
	free(h);
}

const cJSON *h_session_init_payload(harness *h)
{
	size_t len;
	const char *text = gqlws_session_init_payload_json(h->s, &len);

	cJSON_Delete(h->session_init_payload);
	h->session_init_payload = parse_payload_text(text, len);
	return h->session_init_payload;
}

static void release_leftovers(void)
{
	for (size_t i = 0; i < HARNESS_MAX_OPEN; i++) {
		if (open_harnesses[i]) {
			harness *h = open_harnesses[i];
			open_harnesses[i] = NULL;
			release(h);
		}
	}
}

void harness_quiet_options(gqlws_options *opts)
{
	gqlws_options_init(opts);
	opts->keepalive_ms = 0;
	opts->init_timeout_ms = 0;
}

harness *harness_new(gqlws_subprotocol proto, const gqlws_options *opts, fake_init_mode mode)
{
	harness *h = calloc(1, sizeof *h);
	ck_assert_ptr_nonnull(h);
	h->proto = proto;
	if (opts)
		h->opts = *opts;
	else
		harness_quiet_options(&h->opts);
	h->now = 1000;
	h->init_mode = mode;
	h->init_message = "Prohibited connection!";

	gqlws_callbacks cb = {
		.on_init = mode == INIT_NO_HOOK ? NULL : fake_on_init,
		.op_start = fake_op_start,
		.op_stop = fake_op_stop,
		.op_drained = fake_op_drained,
		.on_notify = fake_on_notify,
	};
	h->s = gqlws_session_new(proto, &cb, &h->opts, h, h->now);
	ck_assert_ptr_nonnull(h->s);
	/* The one deadline read rather than notified. */
	h->known_deadline = gqlws_session_next_deadline(h->s);
	track(h, true);
	return h;
}

void harness_free(harness *h)
{
	h_expect_known_deadline(h);
	track(h, false);
	/* Released even when a check below fails. */
	gqlws_session_destroy(h->s);
	h->s = NULL;
	track(h, true);
	ck_assert_int_eq(h->stray_stops, 0);
	ck_assert_int_eq(h->stops_inside_op_call, 0);
	for (size_t i = 0; i < h->n_ops; i++) {
		fake_op *rec = &h->ops[i];
		if (rec->ended_by_itself)
			ck_assert_msg(rec->stop_calls == 0, "op %s ended by itself but got %d op_stop",
				      rec->id, rec->stop_calls);
		else
			ck_assert_msg(rec->stop_calls == 1, "op %s (#%zu) got %d op_stop, want exactly 1",
				      rec->id, i, rec->stop_calls);
	}
	track(h, false);
	release(h);
}

/* ------------------------------------------------------------ transport */

int h_recv(harness *h, const char *text)
{
	return gqlws_session_receive(h->s, text, strlen(text), false, h->now);
}

int h_send(harness *h, const char *text)
{
	char *swapped = swap_quotes(text);
	int status = h_recv(h, swapped);
	free(swapped);
	return status;
}

int h_recv_binary(harness *h, const void *data, size_t len)
{
	return gqlws_session_receive(h->s, data, len, true, h->now);
}

void h_closed(harness *h)
{
	h->closed_by_transport = true;
	gqlws_session_closed(h->s);
}

void h_expect_known_deadline_at(harness *h, const char *file, int line)
{
	uint64_t actual = gqlws_session_next_deadline(h->s);
	/* After gqlws_session_closed the transport is told nothing more. */
	if (h->closed_by_transport)
		return;
	ck_assert_msg(h->known_deadline == actual,
		      "%s:%d: the transport was told deadline %llu, the session's is %llu", file,
		      line, (unsigned long long)h->known_deadline, (unsigned long long)actual);
}

void h_advance(harness *h, uint64_t ms)
{
	h_expect_known_deadline(h);
	h->now += ms;
	gqlws_session_tick(h->s, h->now);
}

void h_drain(harness *h)
{
	size_t len = 0;
	unsigned char *frame;
	while ((frame = gqlws_session_peek_frame(h->s, &len)) != NULL) {
		ck_assert_uint_lt(h->n_frames, HARNESS_MAX_FRAMES);
		const char *end = NULL;
		cJSON *parsed = cJSON_ParseWithLengthOpts((const char *)frame, len, &end, false);
		ck_assert_msg(parsed != NULL, "frame is not JSON: %.*s", (int)len, (const char *)frame);
		ck_assert_msg(end == (const char *)frame + len, "frame has bytes after its JSON: %.*s",
			      (int)len, (const char *)frame);
		ck_assert_msg(cJSON_IsObject(parsed), "frame is not an object: %.*s", (int)len,
			      (const char *)frame);
		h->frames[h->n_frames++] = parsed;
		ck_assert_msg(h->write_wanted, "a frame waits, and no write was asked for");
		h->write_wanted = false; /* this frame uses the write */
		gqlws_session_frame_sent(h->s);
	}
}

/* ------------------------------------------------------------ matching */

static bool wildcard_takes(const cJSON *expected, const cJSON *actual)
{
	if (!cJSON_IsString(expected))
		return false;
	if (strcmp(expected->valuestring, "<any>") == 0)
		return true;
	if (strcmp(expected->valuestring, "<string>") == 0)
		return cJSON_IsString(actual) && actual->valuestring[0] != '\0';
	return false;
}

/* Replaces each wildcard of expected by a copy of what actual has there, so
 * that cJSON_Compare then decides everything else. */
static void fill_wildcards(cJSON *expected, const cJSON *actual)
{
	bool objects = cJSON_IsObject(expected) && cJSON_IsObject(actual);
	bool arrays = cJSON_IsArray(expected) && cJSON_IsArray(actual);
	if (!objects && !arrays)
		return;
	int index = 0;
	for (cJSON *e = expected->child; e;) {
		cJSON *next = e->next;
		const cJSON *a = objects ? cJSON_GetObjectItemCaseSensitive(actual, e->string)
					 : cJSON_GetArrayItem(actual, index);
		if (a && wildcard_takes(e, a)) {
			cJSON *copy = cJSON_Duplicate(a, true);
			ck_assert_ptr_nonnull(copy);
			if (objects) {
				free(copy->string);
				copy->string = dup_text(e->string, strlen(e->string));
			}
			cJSON_ReplaceItemViaPointer(expected, e, copy);
		} else if (a) {
			fill_wildcards(e, a);
		}
		e = next;
		index++;
	}
}

cJSON *h_json(const char *text)
{
	char *swapped = swap_quotes(text);
	cJSON *parsed = cJSON_Parse(swapped);
	ck_assert_msg(parsed != NULL, "bad JSON in the test itself: %s", text);
	free(swapped);
	return parsed;
}

bool h_json_matches(const char *expected_text, const cJSON *actual)
{
	cJSON *expected = h_json(expected_text);
	fill_wildcards(expected, actual);
	bool same = cJSON_Compare(expected, actual, true);
	cJSON_Delete(expected);
	return same;
}

/* Failure messages print into the stack: a failed check jumps out, and a
 * heap copy would show up as a leak under valgrind. */
static void print_frame(const cJSON *frame, char *out, int size)
{
	if (!cJSON_PrintPreallocated((cJSON *)frame, out, size, false))
		snprintf(out, (size_t)size, "(a frame too long to print)");
}

void h_expect_at(harness *h, const char *expected, const char *file, int line)
{
	h_drain(h);
	ck_assert_msg(h->checked < h->n_frames, "%s:%d: expected frame %s, got no frame", file, line,
		      expected);
	const cJSON *actual = h->frames[h->checked++];
	if (!h_json_matches(expected, actual)) {
		char got[2048];
		print_frame(actual, got, sizeof got);
		ck_abort_msg("%s:%d: expected frame %s, got %s", file, line, expected, got);
	}
}

void h_expect_no_frame_at(harness *h, const char *file, int line)
{
	h_drain(h);
	if (h->checked < h->n_frames) {
		char got[2048];
		print_frame(h->frames[h->checked], got, sizeof got);
		ck_abort_msg("%s:%d: expected no frame, got %s", file, line, got);
	}
}

const cJSON *h_take(harness *h)
{
	h_drain(h);
	ck_assert_msg(h->checked < h->n_frames, "expected a frame, got none");
	return h->frames[h->checked++];
}

const char *h_close_reason(harness *h, size_t *len)
{
	static char text[1024];
	uint16_t code = 0;
	const char *reason = NULL;
	size_t reason_len = 0;
	ck_assert(gqlws_session_close_due(h->s, &code, &reason, &reason_len));
	ck_assert_uint_lt(reason_len, sizeof text);
	if (reason_len)
		memcpy(text, reason, reason_len);
	text[reason_len] = '\0';
	if (len)
		*len = reason_len;
	return text;
}

void h_expect_close_at(harness *h, uint16_t code, const char *reason, const char *file, int line)
{
	h_drain(h);
	uint16_t got_code = 0;
	const char *got_reason = NULL;
	size_t got_len = 0;
	ck_assert_msg(gqlws_session_closing(h->s), "%s:%d: expected close %u, no close requested", file,
		      line, code);
	ck_assert_msg(gqlws_session_close_due(h->s, &got_code, &got_reason, &got_len),
		      "%s:%d: expected close %u to be due", file, line, code);
	ck_assert_msg(h->close_notices == 1, "%s:%d: the close was notified %d times", file, line,
		      h->close_notices);
	ck_assert_msg(h->write_wanted, "%s:%d: a close is due, and no write was asked for", file,
		      line);
	ck_assert_msg(got_code == code, "%s:%d: expected close %u, got %u (%.*s)", file, line, code,
		      got_code, (int)got_len, got_reason ? got_reason : "");
	ck_assert_msg(got_len <= 123, "%s:%d: close reason of %zu bytes", file, line, got_len);
	ck_assert_msg(got_len == 0 || got_reason != NULL, "%s:%d: reason length without text", file, line);
	if (reason)
		ck_assert_msg(got_len == strlen(reason) && memcmp(got_reason, reason, got_len) == 0,
			      "%s:%d: expected close reason \"%s\", got \"%.*s\"", file, line, reason,
			      (int)got_len, got_reason ? got_reason : "");
}

void h_expect_open_at(harness *h, const char *file, int line)
{
	h_drain(h);
	uint16_t code = 0;
	ck_assert_msg(!gqlws_session_closing(h->s), "%s:%d: unexpected close request", file, line);
	ck_assert_msg(!gqlws_session_close_due(h->s, &code, NULL, NULL), "%s:%d: unexpected close %u",
		      file, line, code);
}

/* ------------------------------------------------------------ executor */

fake_op *h_op(harness *h, const char *id)
{
	for (size_t i = h->n_ops; i-- > 0;)
		if (strcmp(h->ops[i].id, id) == 0)
			return &h->ops[i];
	return NULL;
}

fake_op *h_live(harness *h, const char *id)
{
	fake_op *rec = h_op(h, id);
	ck_assert_msg(rec != NULL, "no operation %s was started", id);
	ck_assert_msg(rec->live, "operation %s is not running", id);
	return rec;
}

size_t h_started(const harness *h)
{
	return h->n_ops;
}

int h_next(harness *h, const char *id, const char *result_json)
{
	fake_op *rec = h_live(h, id);
	cJSON *result = h_json(result_json);
	bool outer = h->in_op_call;
	h->in_op_call = true;
	int status = gqlws_op_next(rec->op, result);
	h->in_op_call = outer;
	cJSON_Delete(result);
	return status;
}

int h_complete(harness *h, const char *id)
{
	fake_op *rec = h_live(h, id);
	bool outer = h->in_op_call;
	h->in_op_call = true;
	int status = gqlws_op_complete(rec->op);
	h->in_op_call = outer;
	if (status == GQLWS_OK) {
		rec->live = false;
		rec->ended_by_itself = true;
	}
	return status;
}

int h_fail(harness *h, const char *id, const char *message)
{
	fake_op *rec = h_live(h, id);
	bool outer = h->in_op_call;
	h->in_op_call = true;
	int status = gqlws_op_fail(rec->op, message);
	h->in_op_call = outer;
	if (status == GQLWS_OK) {
		rec->live = false;
		rec->ended_by_itself = true;
	}
	return status;
}

static int refuse_with(harness *h, const char *id, const char *errors_json,
		       int (*refuse)(gqlws_op *, const cJSON *))
{
	fake_op *rec = h_live(h, id);
	cJSON *errors = h_json(errors_json);
	bool outer = h->in_op_call;
	h->in_op_call = true;
	int status = refuse(rec->op, errors);
	h->in_op_call = outer;
	cJSON_Delete(errors);
	if (status == GQLWS_OK) {
		rec->live = false;
		rec->ended_by_itself = true;
	}
	return status;
}

int h_refuse(harness *h, const char *id, const char *errors_json)
{
	return refuse_with(h, id, errors_json, gqlws_op_refuse);
}

int h_refuse_syntax(harness *h, const char *id, const char *errors_json)
{
	return refuse_with(h, id, errors_json, gqlws_op_refuse_syntax);
}

void h_expect_stops_at(harness *h, const char *id, int stops, const char *file, int line)
{
	fake_op *rec = h_op(h, id);
	ck_assert_msg(rec != NULL, "%s:%d: no operation %s was started", file, line, id);
	ck_assert_msg(rec->stop_calls == stops, "%s:%d: operation %s got %d op_stop, want %d", file, line,
		      id, rec->stop_calls, stops);
	ck_assert_int_eq(h->stray_stops, 0);
}

int h_accept(harness *h, const char *ack_payload_json)
{
	return gqlws_session_accept_init(h->s, ack_payload_json ? h_json(ack_payload_json) : NULL);
}

/* ------------------------------------------------------------ runner */

TCase *h_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_set_timeout(tc, 120); /* valgrind is slow */
	tcase_add_checked_fixture(tc, NULL, release_leftovers);
	return tc;
}

int h_run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? 0 : 1;
}

harness *harness_acknowledged(gqlws_subprotocol proto, const gqlws_options *opts)
{
	harness *h = harness_new(proto, opts, INIT_ACCEPT);

	h_send(h, "{'type':'connection_init'}");
	h_expect(h, "{'type':'connection_ack'}");
	return h;
}

int h_start_subscription(harness *h, const char *id)
{
	char text[256];

	snprintf(text, sizeof text,
		 "{\"id\":\"%s\",\"type\":\"%s\",\"payload\":{\"query\":\"subscription { s }\"}}", id,
		 h->proto == GQLWS_SUBPROTOCOL_LEGACY ? "start" : "subscribe");
	return h_recv(h, text);
}
