/*
 * plugin_http_text.h - the parts of the publish and metrics endpoints that
 * need no lws (plugin_http.c is the lws side): which endpoint a request
 * path names, the bearer token check, the JSON of an error answer, and the
 * Prometheus text of the metrics. Unit-tested on their own
 * (tests/unit/plugin_http_text.c).
 */
#ifndef GQLWS_PLUGIN_HTTP_TEXT_H
#define GQLWS_PLUGIN_HTTP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gqlws_hub.h"

/* ------------------------------------------------------------- routing */

typedef enum plugin_http_route_kind {
	PLUGIN_HTTP_OTHER = 0,   /* neither endpoint */
	PLUGIN_HTTP_PUBLISH = 1, /* publish_path itself or under it: *topic is the rest */
	PLUGIN_HTTP_METRICS = 2, /* exactly metrics_path */
} plugin_http_route_kind;

/* Which endpoint path (path_len bytes, no query) names. publish_path is
 * never NULL; metrics_path may be. For PUBLISH, *topic / *topic_len are
 * the path's part after publish_path and one "/" (empty when the path is
 * publish_path itself; the topic's validity is the hub's to judge). A
 * trailing "/" of publish_path is ignored ("/publish/" is "/publish"). */
plugin_http_route_kind plugin_http_route(const char *path, size_t path_len,
					 const char *publish_path, const char *metrics_path,
					 const char **topic, size_t *topic_len);

/* ------------------------------------------------------------- the token */

typedef enum plugin_http_auth {
	PLUGIN_HTTP_AUTH_OK = 0,
	PLUGIN_HTTP_AUTH_MISSING = 1, /* no Authorization, or not a Bearer one: 401 */
	PLUGIN_HTTP_AUTH_WRONG = 2,   /* a bearer token that is not the one: 403 */
} plugin_http_auth;

/* Judges an Authorization header's value (header_len bytes; NULL: absent)
 * against token: "Bearer <token>" (the scheme in any case, blanks around
 * the token ignored). The token is compared in time that does not depend
 * on where the texts differ. */
plugin_http_auth plugin_http_bearer_check(const char *header, size_t header_len,
					  const char *token);

/* a (a_len bytes) equals b (b_len bytes), in time that depends only on the
 * lengths. */
bool plugin_http_equal_ct(const char *a, size_t a_len, const char *b, size_t b_len);

/* ------------------------------------------------------------- answers */

/* {"error":"<reason>"} with the reason escaped as a JSON string, into out
 * (size bytes, NUL-terminated, truncated at a character boundary the
 * escape never splits). Returns the length written. */
size_t plugin_http_error_json(char *out, size_t size, const char *reason);

/* The statuses the publish endpoint answers, counted for the metrics. */
#define PLUGIN_HTTP_STATUS_LIST { 202, 400, 401, 403, 404, 405, 413, 500, 503 }
#define PLUGIN_HTTP_STATUS_COUNT 9

/* status's index in PLUGIN_HTTP_STATUS_LIST, or PLUGIN_HTTP_STATUS_COUNT. */
size_t plugin_http_status_index(unsigned status);

/* ------------------------------------------------------------- metrics */

/* The Redis transport's figures (plugin/redis/plugin_redis.h). */
typedef enum plugin_redis_link_state {
	PLUGIN_REDIS_DOWN = 0,       /* no connection; a retry is scheduled */
	PLUGIN_REDIS_CONNECTING = 1, /* TCP connecting, or AUTH / SELECT unanswered */
	PLUGIN_REDIS_UP = 2,
} plugin_redis_link_state;

typedef struct plugin_redis_metrics {
	plugin_redis_link_state subscriber; /* the connection that SUBSCRIBEs */
	plugin_redis_link_state publisher;  /* the one that PUBLISHes */
	uint64_t reconnects_subscriber;     /* connection attempts after a failure or loss */
	uint64_t reconnects_publisher;
	uint64_t channels;                  /* channels subscribed (as Redis counts them) */
	uint64_t messages_in;               /* messages that came from Redis */
	uint64_t messages_out;              /* PUBLISH commands sent */
	uint64_t dropped;                   /* messages from Redis not delivered (unknown
					     * channel, not JSON, too large) */
	uint64_t publish_errors;            /* error replies to PUBLISH */
	uint64_t write_queue_bytes;         /* commands waiting to be sent, both connections */
} plugin_redis_metrics;

typedef struct plugin_metrics {
	uint64_t connections_modern;  /* open graphql-transport-ws connections */
	uint64_t connections_legacy;  /* open graphql-ws connections */
	uint64_t operations;          /* running (or held) operations */
	uint64_t queue_bytes;         /* lws_gqlws_queue_stats: bytes */
	uint64_t queue_bytes_peak;
	uint64_t queue_bound;
	uint64_t closed_1008;         /* connections the plugin closed with 1008 */
	uint64_t closed_1009;         /* ... with 1009 */
	uint64_t publish_answers[PLUGIN_HTTP_STATUS_COUNT];
	uint64_t publish_queued;      /* lws_gqlws_publish() calls accepted */
	bool has_hub;                 /* the hub's lines only then */
	gqlws_hub_stats hub;
	bool has_redis;               /* the Redis lines only then */
	plugin_redis_metrics redis;
} plugin_metrics;

/* The metrics as Prometheus text (format 0.0.4: # HELP and # TYPE before
 * each family) into out (size bytes). Returns the length the whole text
 * needs (as snprintf: when that is size or more, out holds a prefix). */
size_t plugin_metrics_format(const plugin_metrics *m, char *out, size_t size);

#endif /* GQLWS_PLUGIN_HTTP_TEXT_H */
