/*
 * plugin_publish.c - lws_gqlws_publish() from any thread (see
 * plugin_publish.h). The registry's lock is held to find the queue, link
 * an event and wake the loop; events are published outside it, so a
 * publishing thread never waits behind the fan-out.
 */
#include "plugin_publish.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gqlws.h"
#include "gqlws_hub.h"
#include "lws_gqlws.h"

typedef struct publish_event {
	struct publish_event *next;
	size_t topic_len;
	size_t len;
	char text[]; /* topic, NUL, json, NUL */
} publish_event;

typedef struct publish_queue {
	struct publish_queue *next;
	struct lws_vhost *vh;
	struct lws_context *context;
	size_t max_event_bytes;
	bool has_hub;
	publish_event *head; /* oldest first */
	publish_event *tail;
	size_t count;
	size_t bytes;
	uint64_t accepted;
} publish_queue;

static struct {
	pthread_mutex_t lock;
	publish_queue *queues; /* a few: one per GraphQL vhost */
} registry = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The queue of vh; the lock is held. */
static publish_queue *find_locked(const struct lws_vhost *vh)
{
	for (publish_queue *q = registry.queues; q; q = q->next)
		if (q->vh == vh)
			return q;
	return NULL;
}

static void free_events(publish_event *e)
{
	while (e) {
		publish_event *next = e->next;

		free(e);
		e = next;
	}
}

int plugin_publish_add(struct lws_vhost *vh, struct lws_context *context,
			 size_t max_event_bytes, bool has_hub)
{
	publish_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return -1;
	q->vh = vh;
	q->context = context;
	q->max_event_bytes = max_event_bytes;
	q->has_hub = has_hub;
	pthread_mutex_lock(&registry.lock);
	q->next = registry.queues;
	registry.queues = q;
	pthread_mutex_unlock(&registry.lock);
	return 0;
}

void plugin_publish_remove(struct lws_vhost *vh)
{
	publish_queue *gone = NULL;

	pthread_mutex_lock(&registry.lock);
	for (publish_queue **p = &registry.queues; *p; p = &(*p)->next)
		if ((*p)->vh == vh) {
			gone = *p;
			*p = gone->next;
			break;
		}
	pthread_mutex_unlock(&registry.lock);
	if (!gone)
		return;
	free_events(gone->head);
	free(gone);
}

size_t plugin_publish_drain(struct lws_vhost *vh, plugin_publish_deliver_fn deliver, void *arg)
{
	publish_event *batch = NULL;
	size_t n = 0;
	publish_queue *q;

	pthread_mutex_lock(&registry.lock);
	q = find_locked(vh);
	if (q) {
		batch = q->head;
		q->head = q->tail = NULL;
		q->count = 0;
		q->bytes = 0;
	}
	pthread_mutex_unlock(&registry.lock);
	/* The queue is only removed on this thread: delivering unlocked is
	 * safe, and later calls queue behind this batch. */
	for (publish_event *e = batch; e; e = e->next, n++)
		deliver(arg, e->text, e->topic_len, e->text + e->topic_len + 1, e->len);
	free_events(batch);
	return n;
}

uint64_t plugin_publish_accepted(struct lws_vhost *vh)
{
	uint64_t accepted = 0;
	publish_queue *q;

	pthread_mutex_lock(&registry.lock);
	q = find_locked(vh);
	if (q)
		accepted = q->accepted;
	pthread_mutex_unlock(&registry.lock);
	return accepted;
}

int lws_gqlws_publish(struct lws_vhost *vh, const char *topic, const char *json, size_t len)
{
	size_t topic_len;
	publish_event *e;
	publish_queue *q;
	int rc = GQLWS_OK;

	if (!vh || !topic || !json)
		return GQLWS_ERR_INVALID;
	topic_len = strlen(topic);
	if (gqlws_hub_topic_invalid(topic, topic_len))
		return GQLWS_ERR_INVALID;
	if (len > PLUGIN_PUBLISH_MAX_BYTES)
		return GQLWS_ERR_INVALID;
	/* Copied before the lock: the lock is held for the links only. */
	e = malloc(sizeof(*e) + topic_len + 1 + len + 1);
	if (!e)
		return GQLWS_ERR_NOMEM;
	e->next = NULL;
	e->topic_len = topic_len;
	e->len = len;
	memcpy(e->text, topic, topic_len + 1);
	memcpy(e->text + topic_len + 1, json, len);
	e->text[topic_len + 1 + len] = '\0';

	pthread_mutex_lock(&registry.lock);
	q = find_locked(vh);
	if (!q || !q->has_hub)
		rc = GQLWS_ERR_CLOSED;
	else if (len > q->max_event_bytes)
		rc = GQLWS_ERR_INVALID;
	else if (q->count >= PLUGIN_PUBLISH_MAX_EVENTS || q->bytes + len > PLUGIN_PUBLISH_MAX_BYTES)
		rc = GQLWS_ERR_LIMIT;
	if (rc == GQLWS_OK) {
		if (q->tail)
			q->tail->next = e;
		else
			q->head = e;
		q->tail = e;
		q->count++;
		q->bytes += len;
		q->accepted++;
		/* Under the lock: the vhost, hence its context, cannot go
		 * away meanwhile. */
		lws_cancel_service(q->context);
	}
	pthread_mutex_unlock(&registry.lock);
	if (rc != GQLWS_OK)
		free(e);
	return rc;
}
