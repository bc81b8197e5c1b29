/*
 * demo_counter.c - the `counter` subscription: one stream per operation,
 * on its own timer (intervalMs), or paced by the client's reading
 * (intervalMs: 0, the next value when the previous one has been written).
 */
#include "demo_internal.h"

/* The result buffer is kept for the stream's life: charge what it grew by.
 * Nonzero when the connection has no room for it. */
static int charge_text(demo_op *d)
{
	size_t held = d->text.cap ? gqlws_alloc_bytes(d->text.cap) : 0;

	if (held <= d->text_charged)
		return 0;
	if (gqlws_op_charge(d->op, held - d->text_charged) != GQLWS_OK)
		return -1;
	d->text_charged = held;
	return 0;
}

static void counter_timer(lws_sorted_usec_list_t *sul)
{
	demo_op *d = lws_container_of(sul, demo_op, sul);

	if (!d->dead)
		demo_counter_produce(d);
}

/* Sends the next value, then arranges the one after or ends the stream.
 * May free d. */
void demo_counter_produce(demo_op *d)
{
	cJSON *event = demo_event_new("value", (double)d->next_value, demo_epoch_ms());

	if (!event || demo_stream_result_text(d->vh->schema, d->req, d->field, event, &d->text)) {
		cJSON_Delete(event);
		demo_stream_finish(d, "Out of memory");
		return;
	}
	cJSON_Delete(event);
	if (charge_text(d)) {
		demo_stream_finish(d, GQLWS_MEMORY_LIMIT_MESSAGE);
		return;
	}

	if (gqlws_op_next_raw(d->op, d->text.data, d->text.len) != GQLWS_OK) {
		d->dead = true; /* closing: op_stop follows */
		return;
	}
	d->next_value++;
	if (d->limit >= 0 && d->next_value >= d->limit) {
		demo_stream_finish(d, NULL);
		return;
	}
	if (d->interval_ms == 0)
		gqlws_op_request_drain(d->op);
	else
		demo_schedule_next(d->vh->context, &d->sul, counter_timer, &d->due_us,
				   (int64_t)d->interval_ms * 1000);
}

/* Takes d over (it is the op's state from now on). */
int demo_counter_start(demo_op *d)
{
	d->limit = demo_int_arg(d->field, "limit", -1);
	d->interval_ms = (uint32_t)demo_int_arg(d->field, "intervalMs", DEMO_DEFAULT_INTERVAL_MS);
	d->due_us = demo_monotonic_us();
	gqlws_op_set_user(d->op, d);

	if (d->limit == 0)
		demo_stream_finish(d, NULL);
	else
		demo_counter_produce(d); /* the first value at once, the rest paced */
	return 0;
}

