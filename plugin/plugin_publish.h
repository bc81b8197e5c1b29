/*
 * plugin_publish.h - the queues behind lws_gqlws_publish(): any thread
 * appends an event to its vhost's queue and wakes the service loop; the
 * service thread takes the queue at EVENT_WAIT_CANCELLED and publishes
 * each event to the vhost's hub, in call order. A process-wide registry
 * (one mutex) maps a struct lws_vhost * to its queue, so that a call never
 * touches a vhost that is gone.
 */
#ifndef GQLWS_PLUGIN_PUBLISH_H
#define GQLWS_PLUGIN_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

/* Bounds of one vhost's queue: a call that would pass either is refused
 * with GQLWS_ERR_LIMIT (the service thread is not keeping up). */
#define PLUGIN_PUBLISH_MAX_EVENTS 65536u
#define PLUGIN_PUBLISH_MAX_BYTES (64u * 1024u * 1024u)

/* Adds vh's queue (service thread, when its GraphQL protocols start):
 * events of at most max_event_bytes; has_hub false makes every call
 * answer GQLWS_ERR_CLOSED. Nonzero when out of memory. */
int plugin_publish_add(struct lws_vhost *vh, struct lws_context *context,
			 size_t max_event_bytes, bool has_hub);

/* Removes vh's queue and frees the events still in it (service thread,
 * when the vhost's GraphQL state goes). Calls after it answer
 * GQLWS_ERR_CLOSED. */
void plugin_publish_remove(struct lws_vhost *vh);

/* Called once per event on the service thread, in call order; the texts
 * are borrowed for the call (json is NUL-terminated after len bytes). */
typedef void (*plugin_publish_deliver_fn)(void *arg, const char *topic, size_t topic_len,
				   const char *json, size_t len);

/* Takes every event queued for vh so far and hands each to deliver.
 * Returns how many. Service thread. */
size_t plugin_publish_drain(struct lws_vhost *vh, plugin_publish_deliver_fn deliver, void *arg);

/* Events lws_gqlws_publish() accepted for vh so far (0: none, or no queue). */
uint64_t plugin_publish_accepted(struct lws_vhost *vh);

#endif /* GQLWS_PLUGIN_PUBLISH_H */
