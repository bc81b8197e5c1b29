/*
 * plugin_http_text.c - routing, the bearer check, error JSON and the
 * Prometheus text of the publish and metrics endpoints (see
 * plugin_http_text.h). No lws here.
 */
#include "plugin_http_text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- routing */

plugin_http_route_kind plugin_http_route(const char *path, size_t path_len,
					 const char *publish_path, const char *metrics_path,
					 const char **topic, size_t *topic_len)
{
	size_t stem = strlen(publish_path);

	if (metrics_path && path_len == strlen(metrics_path) &&
	    !memcmp(path, metrics_path, path_len))
		return PLUGIN_HTTP_METRICS;
	/* "/publish/" and "/" end in the "/" that precedes the topic. */
	if (stem && publish_path[stem - 1] == '/')
		stem--;
	if (path_len < stem || memcmp(path, publish_path, stem))
		return PLUGIN_HTTP_OTHER;
	if (path_len == stem) {
		*topic = path + stem;
		*topic_len = 0;
		return PLUGIN_HTTP_PUBLISH;
	}
	if (path[stem] != '/')
		return PLUGIN_HTTP_OTHER; /* "/publisher" is not under "/publish" */
	*topic = path + stem + 1;
	*topic_len = path_len - stem - 1;
	return PLUGIN_HTTP_PUBLISH;
}

/* ------------------------------------------------------------- the token */

bool plugin_http_equal_ct(const char *a, size_t a_len, const char *b, size_t b_len)
{
	/* Every byte of the longer text is looked at whatever the content; a
	 * length difference counts as a difference. */
	size_t n = a_len > b_len ? a_len : b_len;
	unsigned char diff = a_len != b_len;

	for (size_t i = 0; i < n; i++) {
		unsigned char x = i < a_len ? (unsigned char)a[i] : 0;
		unsigned char y = i < b_len ? (unsigned char)b[i] : 0;

		diff |= (unsigned char)(x ^ y);
	}
	return diff == 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

plugin_http_auth plugin_http_bearer_check(const char *header, size_t header_len,
					  const char *token)
{
	static const char scheme[] = "bearer";
	size_t i = 0, end = header_len;

	if (!header)
		return PLUGIN_HTTP_AUTH_MISSING;
	while (i < end && is_blank(header[i]))
		i++;
	if (end - i < sizeof(scheme) - 1)
		return PLUGIN_HTTP_AUTH_MISSING;
	for (size_t k = 0; k < sizeof(scheme) - 1; k++)
		if ((header[i + k] | 0x20) != scheme[k])
			return PLUGIN_HTTP_AUTH_MISSING;
	i += sizeof(scheme) - 1;
	if (i < end && !is_blank(header[i]))
		return PLUGIN_HTTP_AUTH_MISSING; /* "Bearerx" */
	while (i < end && is_blank(header[i]))
		i++;
	while (end > i && is_blank(header[end - 1]))
		end--;
	if (i == end)
		return PLUGIN_HTTP_AUTH_MISSING; /* "Bearer" and no token */
	return plugin_http_equal_ct(header + i, end - i, token, strlen(token))
		       ? PLUGIN_HTTP_AUTH_OK
		       : PLUGIN_HTTP_AUTH_WRONG;
}

/* ------------------------------------------------------------- answers */

size_t plugin_http_error_json(char *out, size_t size, const char *reason)
{
	static const char head[] = "{\"error\":\"", tail[] = "\"}";
	size_t used = 0;

	if (size < sizeof(head) + sizeof(tail)) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	memcpy(out, head, sizeof(head) - 1);
	used = sizeof(head) - 1;
	for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
		char esc[8];
		size_t n;

		if (*p == '"' || *p == '\\')
			n = (size_t)snprintf(esc, sizeof(esc), "\\%c", *p);
		else if (*p < 0x20)
			n = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", *p);
		else
			n = (esc[0] = (char)*p, 1);
		if (used + n + sizeof(tail) > size)
			break; /* a whole escape or nothing */
		memcpy(out + used, esc, n);
		used += n;
	}
	memcpy(out + used, tail, sizeof(tail));
	return used + sizeof(tail) - 1;
}

size_t plugin_http_status_index(unsigned status)
{
	static const unsigned list[] = PLUGIN_HTTP_STATUS_LIST;

	_Static_assert(sizeof(list) / sizeof(list[0]) == PLUGIN_HTTP_STATUS_COUNT,
		       "PLUGIN_HTTP_STATUS_COUNT must match the list");
	for (size_t i = 0; i < PLUGIN_HTTP_STATUS_COUNT; i++)
		if (list[i] == status)
			return i;
	return PLUGIN_HTTP_STATUS_COUNT;
}

/* ------------------------------------------------------------- metrics */

typedef struct text_out {
	char *out;
	size_t size;
	size_t len; /* needed so far (may pass size) */
} text_out;

static void emit(text_out *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(text_out *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->len < t->size ? t->out + t->len : NULL,
		      t->len < t->size ? t->size - t->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static void family(text_out *t, const char *name, const char *type, const char *help)
{
	emit(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void one(text_out *t, const char *name, const char *type, const char *help,
		uint64_t value)
{
	family(t, name, type, help);
	emit(t, "%s %" PRIu64 "\n", name, value);
}

static void redis_lines(text_out *t, const plugin_redis_metrics *r)
{
	family(t, "gqlws_redis_state", "gauge",
	       "Redis connections: 0 down (retrying), 1 connecting, 2 up.");
	emit(t, "gqlws_redis_state{connection=\"subscriber\"} %u\n", (unsigned)r->subscriber);
	emit(t, "gqlws_redis_state{connection=\"publisher\"} %u\n", (unsigned)r->publisher);
	family(t, "gqlws_redis_reconnects_total", "counter",
	       "Connection attempts to Redis after a failed attempt or a lost connection.");
	emit(t, "gqlws_redis_reconnects_total{connection=\"subscriber\"} %" PRIu64 "\n",
	     r->reconnects_subscriber);
	emit(t, "gqlws_redis_reconnects_total{connection=\"publisher\"} %" PRIu64 "\n",
	     r->reconnects_publisher);
	one(t, "gqlws_redis_channels", "gauge", "Redis channels subscribed (as Redis counts them).",
	    r->channels);
	one(t, "gqlws_redis_messages_in_total", "counter", "Messages that came from Redis.",
	    r->messages_in);
	one(t, "gqlws_redis_messages_out_total", "counter", "PUBLISH commands sent to Redis.",
	    r->messages_out);
	one(t, "gqlws_redis_messages_dropped_total", "counter",
	    "Messages from Redis not delivered (unknown channel, not JSON, too large).",
	    r->dropped);
	one(t, "gqlws_redis_publish_errors_total", "counter", "Error replies to PUBLISH.",
	    r->publish_errors);
	one(t, "gqlws_redis_write_queue_bytes", "gauge",
	    "Commands waiting to be sent to Redis, in bytes.", r->write_queue_bytes);
}

size_t plugin_metrics_format(const plugin_metrics *m, char *out, size_t size)
{
	static const unsigned statuses[] = PLUGIN_HTTP_STATUS_LIST;
	text_out t = { out, size, 0 };

	if (size)
		out[0] = '\0';
	family(&t, "gqlws_connections", "gauge", "Open GraphQL connections by subprotocol.");
	emit(&t, "gqlws_connections{subprotocol=\"graphql-transport-ws\"} %" PRIu64 "\n",
	     m->connections_modern);
	emit(&t, "gqlws_connections{subprotocol=\"graphql-ws\"} %" PRIu64 "\n",
	     m->connections_legacy);
	one(&t, "gqlws_operations", "gauge", "Operations running.", m->operations);
	one(&t, "gqlws_send_queue_bytes", "gauge",
	    "Bytes the send queues of all connections hold (counted while send-queue-total-bytes is on).",
	    m->queue_bytes);
	one(&t, "gqlws_send_queue_bytes_peak", "gauge",
	    "The most the send queues held together since the vhost started.",
	    m->queue_bytes_peak);
	one(&t, "gqlws_send_queue_bytes_bound", "gauge",
	    "send-queue-total-bytes (0: off).", m->queue_bound);
	family(&t, "gqlws_connections_closed_by_limit_total", "counter",
	       "Connections closed by a limit: 1008 policy (send queues), 1009 message too big.");
	emit(&t, "gqlws_connections_closed_by_limit_total{code=\"1008\"} %" PRIu64 "\n",
	     m->closed_1008);
	emit(&t, "gqlws_connections_closed_by_limit_total{code=\"1009\"} %" PRIu64 "\n",
	     m->closed_1009);
	family(&t, "gqlws_http_publish_answers_total", "counter",
	       "Answers of the HTTP publish endpoint by status.");
	for (size_t i = 0; i < PLUGIN_HTTP_STATUS_COUNT; i++)
		emit(&t, "gqlws_http_publish_answers_total{status=\"%u\"} %" PRIu64 "\n",
		     statuses[i], m->publish_answers[i]);
	one(&t, "gqlws_publish_api_events_total", "counter",
	    "Events queued by lws_gqlws_publish() (the C API).", m->publish_queued);
	if (!m->has_hub)
		return t.len;
	one(&t, "gqlws_topics", "gauge", "Topics with subscriptions.", m->hub.topics);
	one(&t, "gqlws_subscriptions", "gauge", "Subscriptions listening to topics.",
	    m->hub.subscriptions);
	one(&t, "gqlws_selection_groups", "gauge",
	    "Groups of subscriptions with the same selection (one serialisation per event each).",
	    m->hub.groups);
	one(&t, "gqlws_events_published_total", "counter",
	    "Events accepted for publishing (HTTP, C API, mutations).", m->hub.published);
	one(&t, "gqlws_events_delivered_total", "counter", "Events fanned out to subscriptions.",
	    m->hub.delivered);
	one(&t, "gqlws_events_refused_total", "counter",
	    "Publishes refused (bad topic, bad JSON, too large, transport refused).",
	    m->hub.refused);
	one(&t, "gqlws_serialisations_total", "counter",
	    "Result texts made: one per selection group per event.", m->hub.serialisations);
	one(&t, "gqlws_frames_delivered_total", "counter", "Results handed to subscriptions.",
	    m->hub.frames);
	one(&t, "gqlws_retained_topics", "gauge", "Topics keeping their last event.",
	    m->hub.retained_topics);
	one(&t, "gqlws_retained_bytes", "gauge", "Heap the retained events take.",
	    m->hub.retained_bytes);
	if (m->has_redis)
		redis_lines(&t, &m->redis);
	return t.len;
}
