/*
 * hub_retain.c - each topic's last event, for @retained: kept parsed (a
 * query answers it through its selection), in a list by last publish, the
 * least recently published dropped first beyond retain-topics and
 * retain-bytes (counted as the heap the tree takes).
 */
#include "hub_topics_private.h"

static void lru_unlink(hub_topics *t, hub_topic *topic)
{
	if (topic->lru_prev)
		topic->lru_prev->lru_next = topic->lru_next;
	else
		t->lru_head = topic->lru_next;
	if (topic->lru_next)
		topic->lru_next->lru_prev = topic->lru_prev;
	else
		t->lru_tail = topic->lru_prev;
	topic->lru_prev = topic->lru_next = NULL;
}

void hub_retain_drop(hub_topics *t, hub_topic *topic)
{
	if (!topic->retained)
		return;
	lru_unlink(t, topic);
	cJSON_Delete(topic->retained);
	topic->retained = NULL;
	t->retained_bytes -= topic->retained_bytes;
	topic->retained_bytes = 0;
	t->retained_topics--;
}

static void lru_push(hub_topics *t, hub_topic *topic)
{
	topic->lru_next = t->lru_head;
	if (t->lru_head)
		t->lru_head->lru_prev = topic;
	else
		t->lru_tail = topic;
	t->lru_head = topic;
}

int hub_retain_event(hub_topics *t, const char *name, size_t len, const cJSON *value)
{
	/* A copy takes what the value takes: measured before anything is
	 * copied, so an event that could never be kept costs nothing. */
	size_t bytes = gqlws_json_bytes(value);
	bool fits = bytes <= t->opts.retain_bytes && t->opts.retain_topics > 0;
	hub_topic *topic = fits ? hub_topic_get(t, name, len) : hub_topic_find(t, name, len);
	cJSON *copy = topic && fits ? cJSON_Duplicate(value, true) : NULL;
	int rc = fits && !copy ? -1 : 0;

	if (!topic)
		return rc;
	hub_retain_drop(t, topic);
	if (copy) {
		topic->retained = copy;
		topic->retained_bytes = bytes;
		lru_push(t, topic);
		t->retained_topics++;
		t->retained_bytes += bytes;
		/* The newest fits alone: only older ones go. */
		while (t->retained_topics > t->opts.retain_topics ||
		       t->retained_bytes > t->opts.retain_bytes) {
			hub_topic *oldest = t->lru_tail;
			hub_retain_drop(t, oldest);
			hub_topic_release(t, oldest);
		}
	}
	hub_topic_release(t, topic);
	return rc;
}
