/*
 * plugin_redis.h - the Redis transport between nodes, on lws's own loop:
 * per vhost one subscriber and one publisher connection (lws raw client
 * sockets bound to the vhost's GraphQL protocol), attached to the hub with
 * gqlws_hub_set_transport. Built without hiredis, plugin_redis_new() fails
 * with a reason. Service thread only.
 */
#ifndef GQLWS_PLUGIN_REDIS_H
#define GQLWS_PLUGIN_REDIS_H

#include <stdbool.h>
#include <stddef.h>

#include <libwebsockets.h>

#include "lws_gqlws.h"
#include "plugin_http_text.h"

typedef struct plugin_redis plugin_redis;

/* Starts the transport for cfg's vhost (cfg->redis set): attaches it to hub
 * and starts connecting (a Redis that cannot be reached is retried; the
 * vhost serves meanwhile). protocol: the name of the vhost's GraphQL
 * protocol whose callback passes the raw sockets' reasons to
 * plugin_redis_callback(). NULL with a reason in why on failure (bad
 * configuration, out of memory, no Redis support in this build). */
plugin_redis *plugin_redis_new(const lws_gqlws_config *cfg, gqlws_hub *hub,
			       const char *protocol, char *why, size_t why_size);

/* The context is going down: no more reconnects. */
void plugin_redis_stop(plugin_redis *r);

/* Detaches from the hub, cancels the timers, closes the connections and
 * frees everything. NULL is ok. */
void plugin_redis_destroy(plugin_redis *r);

/* True for the lws reasons of the transport's raw client sockets. */
bool plugin_redis_reason(enum lws_callback_reasons reason);

/* The protocol callback for those reasons (user: what the connection was
 * made with). */
int plugin_redis_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			  size_t len);

void plugin_redis_get_metrics(const plugin_redis *r, plugin_redis_metrics *out);

#endif /* GQLWS_PLUGIN_REDIS_H */
