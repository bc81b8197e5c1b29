/*
 * hub_publish.c - the hub's public face for events: options, publishing
 * (here, or handed to a transport's hook), delivering what a transport
 * brings back, and what metrics and transports read.
 */
#include <stdint.h>
#include <string.h>

#include "hub_internal.h"

#define HUB_DEFAULT_RETAIN_TOPICS 10000u
#define HUB_DEFAULT_RETAIN_BYTES (16u * 1024u * 1024u)
#define HUB_DEFAULT_MAX_EVENT_BYTES (1024u * 1024u)

void gqlws_hub_options_init(gqlws_hub_options *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof *opts);
	opts->retain = true;
	opts->retain_topics = HUB_DEFAULT_RETAIN_TOPICS;
	opts->retain_bytes = HUB_DEFAULT_RETAIN_BYTES;
	opts->max_event_bytes = HUB_DEFAULT_MAX_EVENT_BYTES;
	gqlws_doc_limits_init(&opts->doc_limits);
}

static int parse_bool(const char *value, bool *out)
{
	static const char *const yes[] = {"1", "on", "true"};
	static const char *const no[] = {"0", "off", "false"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (!strcmp(value, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(value, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* A decimal number: digits only, no sign, no overflow. */
static int parse_size(const char *value, size_t *out)
{
	size_t n = 0;
	if (!*value)
		return -1;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		size_t digit = (size_t)(*p - '0');
		if (n > (SIZE_MAX - digit) / 10)
			return -1;
		n = n * 10 + digit;
	}
	*out = n;
	return 0;
}

int gqlws_hub_options_set(gqlws_hub_options *opts, const char *name, const char *value,
			  const char **why)
{
	const char *bad = NULL;
	if (!opts || !name)
		return 1;
	if (!strcmp(name, "retain")) {
		if (!value || parse_bool(value, &opts->retain))
			bad = "retain must be one of 0, 1, on, off, true, false";
	} else if (!strcmp(name, "retain-topics")) {
		if (!value || parse_size(value, &opts->retain_topics))
			bad = "retain-topics must be a decimal number";
	} else if (!strcmp(name, "retain-bytes")) {
		if (!value || parse_size(value, &opts->retain_bytes))
			bad = "retain-bytes must be a decimal number";
	} else {
		return 1;
	}
	if (why)
		*why = bad;
	return bad ? -1 : 0;
}

/* ----------------------------------------------------------- publishing */

static int deliver_checked(gqlws_hub *hub, const char *topic, size_t topic_len, const char *json,
			   size_t len, size_t *subscribers, const char **why)
{
	cJSON *value = hub_event_parse(json, len, hub->opts.max_event_bytes, why);
	if (!value)
		return why && *why ? GQLWS_ERR_INVALID : GQLWS_ERR_NOMEM;
	int rc = hub_topics_deliver(hub->topics, hub->schema, topic, topic_len, value, json, len,
				    subscribers);
	cJSON_Delete(value);
	return rc;
}

void gqlws_hub_set_transport(gqlws_hub *hub,
			     int (*publish)(void *arg, const char *topic, const char *json,
					    size_t len, const char **why),
			     void (*topic_active)(void *arg, const char *topic, bool active),
			     void *arg)
{
	if (!hub)
		return;
	hub->opts.publish = publish;
	hub->opts.topic_active = topic_active;
	hub->opts.hook_arg = arg;
	hub_topics_set_hooks(hub->topics, topic_active, arg);
}

int gqlws_hub_publish(gqlws_hub *hub, const char *topic, size_t topic_len, const char *json,
		      size_t len, size_t *subscribers, const char **why)
{
	const char *reason = NULL;
	int rc;

	if (subscribers)
		*subscribers = 0;
	if (!hub)
		return GQLWS_ERR_INVALID;
	reason = gqlws_hub_topic_invalid(topic, topic_len);
	if (!reason && hub->opts.publish)
		reason = hub_event_check(json, len, hub->opts.max_event_bytes);
	if (reason) {
		hub->refused++;
		if (why)
			*why = reason;
		return GQLWS_ERR_INVALID;
	}
	if (hub->opts.publish) {
		/* The hook gets the name NUL-terminated: it fits on the stack. */
		char name[GQLWS_HUB_TOPIC_MAX_BYTES + 1];
		memcpy(name, topic, topic_len);
		name[topic_len] = '\0';
		const char *refusal = NULL;
		if (hub->opts.publish(hub->opts.hook_arg, name, json, len, &refusal) != 0) {
			hub->refused++;
			if (why)
				*why = refusal ? refusal : "Publish failed.";
			return GQLWS_ERR_CLOSED;
		}
		hub->published++;
		if (subscribers)
			*subscribers = hub_topics_subscribers(hub->topics, topic, topic_len);
		return GQLWS_OK;
	}
	rc = deliver_checked(hub, topic, topic_len, json, len, subscribers, &reason);
	if (rc == GQLWS_ERR_INVALID)
		hub->refused++;
	else
		hub->published++; /* accepted, even if a group could not be served */
	if (why)
		*why = reason;
	return rc;
}

int gqlws_hub_deliver(gqlws_hub *hub, const char *topic, size_t topic_len, const char *json,
		      size_t len, size_t *subscribers, const char **why)
{
	const char *reason;

	if (subscribers)
		*subscribers = 0;
	if (!hub)
		return GQLWS_ERR_INVALID;
	reason = gqlws_hub_topic_invalid(topic, topic_len);
	if (reason) {
		if (why)
			*why = reason;
		return GQLWS_ERR_INVALID;
	}
	int rc = deliver_checked(hub, topic, topic_len, json, len, subscribers, &reason);
	if (why)
		*why = reason;
	return rc;
}

/* -------------------------------------------------------------- reading */

size_t gqlws_hub_subscribers(const gqlws_hub *hub, const char *topic, size_t topic_len)
{
	return hub ? hub_topics_subscribers(hub->topics, topic, topic_len) : 0;
}

size_t gqlws_hub_each_active_topic(const gqlws_hub *hub, void (*fn)(void *arg, const char *topic),
				   void *arg)
{
	return hub ? hub_topics_each_active(hub->topics, fn, arg) : 0;
}

void gqlws_hub_get_stats(const gqlws_hub *hub, gqlws_hub_stats *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!hub)
		return;
	hub_topics_stats(hub->topics, out);
	out->published = hub->published;
	out->refused = hub->refused;
}
