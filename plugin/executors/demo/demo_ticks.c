/*
 * demo_ticks.c - the `ticks` subscription: one vhost-wide ticker, armed only
 * while it has subscribers, fanning each tick out to every subscriber with
 * one serialisation per group of identical selections.
 */
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"

static void ticker_fire(lws_sorted_usec_list_t *sul);

/* The group key of d's selection: the schema layer's projection key
 * (gqlws_schema_request_signature), the one the topic hub groups by. */
static int tick_signature(const demo_op *d, gqlws_doc_buf *signature)
{
	return gqlws_schema_request_signature(d->req, signature) == 0 && signature->data ? 0 : -1;
}

/* Adds d to the group of its selection (made if new) and starts the ticker
 * for its first subscriber. Returns -1 when out of memory. */
int demo_ticks_join(demo_op *d)
{
	demo_vhost *vh = d->vh;
	gqlws_doc_buf signature = GQLWS_DOC_BUF_INIT;
	tick_group *g;

	if (tick_signature(d, &signature)) {
		gqlws_doc_buf_free(&signature);
		return -1;
	}
	for (g = vh->groups; g; g = g->next)
		if (g->signature_len == signature.len && !memcmp(g->signature, signature.data, signature.len))
			break;
	if (g) {
		gqlws_doc_buf_free(&signature);
		gqlws_schema_request_free(d->req);
		gqlws_op_uncharge(d->op, d->doc_charged);
		d->doc_charged = 0;
	} else {
		g = calloc(1, sizeof(*g));
		if (!g) {
			gqlws_doc_buf_free(&signature);
			return -1;
		}
		g->signature = signature.data; /* ownership moves to the group */
		g->signature_len = signature.len;
		g->req = d->req;
		g->field = d->field;
		g->next = vh->groups;
		vh->groups = g;
	}
	d->req = NULL;
	d->field = NULL;

	d->group = g;
	d->group_next = g->members;
	if (g->members)
		g->members->group_prev = d;
	g->members = d;
	g->member_count++;

	if (vh->tick_subscribers++ == 0) {
		vh->tick_due_us = demo_monotonic_us();
		demo_schedule_next(vh->context, &vh->tick_sul, ticker_fire, &vh->tick_due_us,
				   (int64_t)vh->settings.tick_ms * 1000);
	}
	return 0;
}

void demo_ticks_leave(demo_op *d)
{
	demo_vhost *vh = d->vh;
	tick_group *g = d->group;

	if (d->group_prev)
		d->group_prev->group_next = d->group_next;
	else
		g->members = d->group_next;
	if (d->group_next)
		d->group_next->group_prev = d->group_prev;
	d->group = NULL;

	if (--g->member_count == 0) {
		tick_group **link = &vh->groups;
		while (*link != g)
			link = &(*link)->next;
		*link = g->next;
		free(g->signature);
		gqlws_schema_request_free(g->req);
		free(g);
	}
	if (--vh->tick_subscribers == 0)
		lws_sul_cancel(&vh->tick_sul);
}

/* The fan-out hot path: one event per tick, one serialisation per group,
 * then only a copy per subscriber (inside gqlws_op_next_raw). The core never
 * calls op_stop from inside gqlws_op_next_raw, so the lists hold still. */
static void ticker_fire(lws_sorted_usec_list_t *sul)
{
	demo_vhost *vh = lws_container_of(sul, demo_vhost, tick_sul);
	cJSON *event = demo_event_new("seq", (double)vh->tick_seq++, demo_epoch_ms());

	for (tick_group *g = vh->groups; g && event; g = g->next) {
		if (demo_stream_result_text(vh->schema, g->req, g->field, event, &vh->tick_text))
			continue; /* out of memory: this group misses one tick */
		for (demo_op *m = g->members; m; m = m->group_next)
			if (!m->dead &&
			    gqlws_op_next_raw(m->op, vh->tick_text.data, vh->tick_text.len) != GQLWS_OK)
				m->dead = true;
	}
	cJSON_Delete(event);

	if (vh->tick_subscribers)
		demo_schedule_next(vh->context, &vh->tick_sul, ticker_fire, &vh->tick_due_us,
				   (int64_t)vh->settings.tick_ms * 1000);
}

