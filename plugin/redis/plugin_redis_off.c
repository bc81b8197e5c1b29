/*
 * plugin_redis_off.c - the Redis transport of a plugin built without
 * hiredis: plugin_config.c already refuses the "redis" option with the
 * reason; these keep the adapter's calls valid.
 */
#include "plugin_redis.h"

#include <stdio.h>
#include <string.h>

plugin_redis *plugin_redis_new(const lws_gqlws_config *cfg, gqlws_hub *hub, const char *protocol,
			       char *why, size_t why_size)
{
	(void)cfg;
	(void)hub;
	(void)protocol;
	snprintf(why, why_size, "option \"redis\": this plugin was built without Redis support "
		 "(libhiredis-dev)");
	return NULL;
}

void plugin_redis_stop(plugin_redis *r)
{
	(void)r;
}

void plugin_redis_destroy(plugin_redis *r)
{
	(void)r;
}

bool plugin_redis_reason(enum lws_callback_reasons reason)
{
	(void)reason;
	return false;
}

int plugin_redis_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			  size_t len)
{
	(void)wsi;
	(void)reason;
	(void)user;
	(void)in;
	(void)len;
	return 0;
}

void plugin_redis_get_metrics(const plugin_redis *r, plugin_redis_metrics *out)
{
	(void)r;
	memset(out, 0, sizeof(*out));
}
