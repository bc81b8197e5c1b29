/*
 * Operation registry: creation with the id stored for lookup and echo,
 * lookup by id (through the session's op_map), retirement, and deferred
 * freeing (an op is never freed while a call that may still hold it is on
 * the stack).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "session_internal.h"

/* Serials are process-wide so a stale serial never names a newer op. */
static _Atomic uint64_t next_serial = 1;

gqlws_op *ops_create(gqlws_session *s, const char *id, size_t id_len, bool id_is_string,
		     bool *over_limit)
{
	struct json_text quoted;
	gqlws_op *op;
	size_t json_len, cost;

	*over_limit = false;
	jt_init(&quoted);
	if (id_is_string) {
		jt_append_quoted(&quoted, id, id_len);
		if (quoted.failed) {
			jt_free(&quoted);
			return NULL;
		}
		json_len = quoted.len;
	} else {
		json_len = id_len;
	}

	cost = gqlws_alloc_bytes(sizeof(*op) + id_len + 1 + json_len + 1);
	if (!session_charge(s, cost)) {
		jt_free(&quoted);
		*over_limit = true;
		return NULL;
	}
	op = calloc(1, sizeof(*op) + id_len + 1 + json_len + 1);
	if (!op) {
		session_uncharge(s, cost);
		jt_free(&quoted);
		return NULL;
	}
	op->own_cost = cost;
	op->session = s;
	op->serial = next_serial++;
	op->state = OP_HELD;
	op->id_is_string = id_is_string;
	op->id_len = id_len;
	memcpy(op->id_text, id, id_len);
	op->id_json = op->id_text + id_len + 1;
	memcpy(op->id_json, id_is_string ? quoted.data : id, json_len);
	op->id_json_len = json_len;
	jt_free(&quoted);
	if (!op_map_insert(s, &s->ops_index, op, over_limit)) {
		session_uncharge(s, cost);
		free(op);
		return NULL;
	}

	op->prev = s->ops_tail;
	if (s->ops_tail)
		s->ops_tail->next = op;
	else
		s->ops_head = op;
	s->ops_tail = op;
	s->op_count++;
	return op;
}

gqlws_op *ops_find(gqlws_session *s, const char *id, size_t id_len, bool id_is_string)
{
	return op_map_find_id(&s->ops_index, id, id_len, id_is_string);
}

void ops_retire(gqlws_session *s, gqlws_op *op)
{
	if (op->state == OP_DONE)
		return;
	if (op->prev)
		op->prev->next = op->next;
	else
		s->ops_head = op->next;
	if (op->next)
		op->next->prev = op->prev;
	else
		s->ops_tail = op->prev;
	s->op_count--;
	op_map_remove(s, &s->ops_index, op);
	if (op->wants_drain)
		s->drain_requests--;
	op->wants_drain = false;
	op->state = OP_DONE;
	ops_drop_held_payload(s, op);
	session_uncharge(s, op->own_cost + op->charged);
	op->own_cost = op->charged = 0;
	op->prev = NULL;
	op->next = s->done;
	s->done = op;
}

bool ops_hold_payload(gqlws_session *s, gqlws_op *op, cJSON *payload)
{
	size_t cost = gqlws_json_bytes(payload);

	if (!session_charge(s, cost)) {
		cJSON_Delete(payload);
		return false;
	}
	op->held_payload = payload;
	op->held_cost = cost;
	return true;
}

void ops_drop_held_payload(gqlws_session *s, gqlws_op *op)
{
	cJSON_Delete(op->held_payload);
	op->held_payload = NULL;
	session_uncharge(s, op->held_cost);
	op->held_cost = 0;
}

/* Runs op's gqlws_op_on_end cleanups, newest first, and frees their records
 * (their cost was released with the op's charges when it retired). */
static void run_cleanups(gqlws_op *op)
{
	while (op->cleanups) {
		struct op_cleanup *c = op->cleanups;

		op->cleanups = c->next;
		c->fn(c->arg);
		free(c);
	}
}

void ops_free_done(gqlws_session *s)
{
	while (s->done) {
		gqlws_op *op = s->done;

		s->done = op->next;
		run_cleanups(op);
		free(op);
	}
}
