/*
 * plugin_vhost_state.h - what the rest of the adapter may ask about a
 * vhost's GraphQL protocols (their state lives in protocol_lws_graphql_ws.c).
 * Service thread only.
 */
#ifndef GQLWS_PLUGIN_VHOST_STATE_H
#define GQLWS_PLUGIN_VHOST_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "lws_gqlws.h"
#include "plugin_http_text.h"

/* Keeps why a GraphQL protocol of vh failed to initialise (text is copied;
 * a few vhosts are remembered, the oldest forgotten first). Any thread. */
void plugin_failure_record(struct lws_vhost *vh, const char *text);

/* Forgets vh's failure (its protocols initialised). Any thread. */
void plugin_failure_forget(struct lws_vhost *vh);

/* Frames the vhost's connections wrote so far, directly (without a
 * writeable callback) and from WRITEABLE. False if vh serves no GraphQL. */
bool plugin_vhost_write_counts(struct lws_vhost *vh, uint64_t *direct, uint64_t *writeable);

/* True if the vhost has at least one of the two GraphQL protocols. */
bool plugin_vhost_serves_graphql(struct lws_vhost *vh);

/* What the HTTP endpoints need of a vhost's GraphQL state. */
typedef struct plugin_http_view {
	const lws_gqlws_config *cfg;
	gqlws_hub *hub;          /* NULL: the executor has none */
	uint64_t *answers;       /* the publish answers' counters, by
				  * plugin_http_status_index() */
} plugin_http_view;

/* Fills *out; false (out zeroed) when vh serves no GraphQL (or its
 * protocols failed to start). */
bool plugin_vhost_http_view(struct lws_vhost *vh, plugin_http_view *out);

/* Fills *m with the vhost's counters and the hub's (when it has one);
 * false when vh serves no GraphQL. */
bool plugin_vhost_metrics(struct lws_vhost *vh, plugin_metrics *m);

#endif /* GQLWS_PLUGIN_VHOST_STATE_H */
