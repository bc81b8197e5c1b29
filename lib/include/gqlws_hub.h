/*
 * gqlws_hub.h - topics for lws-graphql-ws: a schema whose root fields are
 * bound to topics by directives in its SDL, and the fan-out of the events
 * published to those topics to the subscriptions that listen to them.
 *
 *   type Query    { stock(symbol: String!): Stock @retained(topic: "stock.{symbol}") }
 *   type Mutation { setPrice(symbol: String!, price: Float!): Stock
 *                     @publish(topic: "stock.{symbol}") }
 *   type Subscription { stock(symbol: String!): Stock! @topic(name: "stock.{symbol}") }
 *
 * - @topic(name:) on a Subscription field: the operation receives every
 *   event published to the topic its template names once the field's
 *   arguments are substituted ({arg}; {arg.field} for an input object's
 *   field); each event is the field's value, completed through the
 *   operation's selection with the schema's types (gqlws_schema.h).
 * - @publish(topic:, payload:) on a Mutation field: the field's arguments
 *   (an object of them, or with payload: "argName" that one argument) form
 *   the event, published to the topic; the field's value is that event.
 * - @retained(topic:) on a Query field: the last event published to that
 *   topic (null when there is none, or retain is off).
 * A root field with none of them resolves to null (graphql-js's default
 * resolver on an empty root value); a Subscription field must have @topic.
 *
 * A hub serialises each event once per group of subscriptions whose
 * selections are the same (gqlws_schema_request_signature) and copies the
 * text into each operation's frame. Sans-I/O: cJSON, libc and the other
 * gqlws headers; the caller runs every call on one thread (the adapter's
 * service thread) and moves events from other threads itself.
 */
#ifndef GQLWS_HUB_H
#define GQLWS_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "gqlws.h"
#include "gqlws_doc.h"
#include "gqlws_schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gqlws_hub gqlws_hub;

/* Topic names: 1 to GQLWS_HUB_TOPIC_MAX_BYTES bytes, each a letter, a digit
 * or one of . _ - : ~ @ + = (no spaces, no slashes: a topic is the last
 * part of a publish URL and, with a prefix, a Redis channel name). */
#define GQLWS_HUB_TOPIC_MAX_BYTES 255

/* NULL when topic (len bytes) is a valid topic name, else a one-line
 * reason ("Topic name is empty.", "Topic name has a character that is not
 * allowed: \" \".", ...), a static string. */
const char *gqlws_hub_topic_invalid(const char *topic, size_t len);

/* The SDL of the directives the hub declares; gqlws_hub_new() appends it to
 * the user's SDL (so that line numbers of the user's errors stay theirs):
 *   directive @topic(name: String!) on FIELD_DEFINITION
 *   directive @publish(topic: String!, payload: String) on FIELD_DEFINITION
 *   directive @retained(topic: String!) on FIELD_DEFINITION */
extern const char gqlws_hub_directives_sdl[];

/* ----------------------------------------------------------------- options */

typedef struct gqlws_hub_options {
	/* "retain": keep each topic's last event for @retained (default on). */
	bool retain;
	/* "retain-topics": at most this many topics keep an event (default
	 * 10000); beyond it the least recently published is dropped first. */
	size_t retain_topics;
	/* "retain-bytes": heap all retained events may take together (default
	 * 16 MiB), enforced the same way. */
	size_t retain_bytes;
	/* Events larger than this (JSON text bytes) are refused; the adapter
	 * sets it from max-message-bytes. Default 1 MiB. */
	size_t max_event_bytes;
	/* Handed to gqlws_schema_request_new() (GQLWS_SCHEMA_NO_INTROSPECTION). */
	unsigned schema_flags;
	/* Handed to gqlws_schema_request_new(). */
	gqlws_doc_limits doc_limits;

	/* Optional hooks of a transport that carries events between nodes
	 * (Redis). With `publish` set, every publish (gqlws_hub_publish, a
	 * mutation) is handed to it instead of being delivered here; the
	 * transport delivers what comes back with gqlws_hub_deliver(). It
	 * returns 0, or nonzero with *why (a static or lasting string) saying
	 * why the event could not be sent: a mutation then answers the error
	 * "Publish failed: <why>" for that field. topic_active(arg, topic,
	 * true) is called when a topic gets its first subscription,
	 * (..., false) when its last ends. */
	int (*publish)(void *arg, const char *topic, const char *json, size_t len, const char **why);
	void (*topic_active)(void *arg, const char *topic, bool active);
	void *hook_arg;
} gqlws_hub_options;

/* Defaults (above). */
void gqlws_hub_options_init(gqlws_hub_options *opts);

/* Sets one option by its name ("retain": 0/1/on/off/true/false;
 * "retain-topics", "retain-bytes": decimal). Returns 0; 1 when the name is
 * not a hub option; -1 with *why (static, one line) for a bad value. */
int gqlws_hub_options_set(gqlws_hub_options *opts, const char *name, const char *value,
			  const char **why);

/* ---------------------------------------------------------------- the hub */

/* Builds a hub from len bytes of SDL (with the directives above appended)
 * and opts (copied; NULL: defaults). Beyond gqlws_schema_parse()'s errors
 * (then its list, as it returns it), the bindings are checked, each error
 * {"message","locations"} at the directive: @topic only on fields of the
 * subscription root type, @publish on the mutation root's, @retained on the
 * query root's; every Subscription field has @topic; a template's {name}
 * is an argument of the field (of a leaf type: scalar or enum), {a.b} a
 * field of an input-object argument a; the constant parts are topic
 * characters; `payload` names an argument of the field. Returns the hub,
 * or NULL with *errors a new error array (caller frees; NULL when out of
 * memory). */
gqlws_hub *gqlws_hub_new(const char *sdl, size_t len, const gqlws_hub_options *opts,
			 cJSON **errors);

/* Frees the hub: every subscription must have ended before (the sessions
 * were destroyed); retained events go with it. NULL is ok. */
void gqlws_hub_free(gqlws_hub *hub);

/* The hub's schema (for introspection, tests). */
const gqlws_schema *gqlws_hub_schema(const gqlws_hub *hub);

/* op_start of an executor serving the hub's schema (lws_gqlws_executor's
 * signature, minus exec/conn): parses, validates and plans the request
 * (gqlws_schema_request_start: refusals, charges and failures answered
 * there), then
 * - query: every root field answered at once (@retained: the topic's last
 *   event; __schema, __type, __typename; others null), then complete;
 * - mutation: root fields in order; each @publish field publishes its event
 *   (delivered to local subscribers before the answer is sent, or handed to
 *   the publish hook) and answers it; then complete;
 * - subscription: the topic is named from the arguments (a value that
 *   makes no valid topic name answers {"errors":[{"message":"Topic name
 *   ...","locations":[...],"path":["field"]}]} then complete, as
 *   graphql-js's subscribe() answers a source stream that fails), then the
 *   operation listens until it ends; its state is freed by a
 *   gqlws_op_on_end() cleanup, so the executor needs no op_stop.
 * Events that do not fit the field's type give GraphQL errors in that
 * event's result (gqlws_schema_project_text), never end the subscription.
 * Returns 0 (op_start's "handled"). */
int gqlws_hub_op_start(gqlws_hub *hub, gqlws_op *op, const gqlws_request *req);

/* Publishes json (len bytes, one JSON value: the event) to topic (topic_len
 * bytes). Without a publish hook: the event is delivered at once to every
 * subscription of the topic (one serialisation per group) and retained.
 * With one: handed to the hook. Returns GQLWS_OK with *subscribers the
 * number of local subscriptions of the topic (may be NULL);
 * GQLWS_ERR_INVALID with *why (static, one line: a bad topic name, JSON
 * that does not parse, "Event is larger than max-message-bytes.");
 * GQLWS_ERR_CLOSED with *why when the hook refused; GQLWS_ERR_NOMEM. */
int gqlws_hub_publish(gqlws_hub *hub, const char *topic, size_t topic_len, const char *json,
		      size_t len, size_t *subscribers, const char **why);

/* Attaches (or with publish NULL, detaches) a transport between nodes after
 * the hub was made, as the options' publish / topic_active / hook_arg would
 * have (the adapter that owns the transport is not the one that built the
 * hub). topic_active is not called for topics already active: the
 * transport lists them with gqlws_hub_each_active_topic() when it
 * connects. The hooks must not call back into the hub. */
void gqlws_hub_set_transport(gqlws_hub *hub,
			     int (*publish)(void *arg, const char *topic, const char *json,
					    size_t len, const char **why),
			     void (*topic_active)(void *arg, const char *topic, bool active),
			     void *arg);

/* Delivers an event that came back from the transport of the publish hook:
 * as gqlws_hub_publish() without a hook (same returns). */
int gqlws_hub_deliver(gqlws_hub *hub, const char *topic, size_t topic_len, const char *json,
		      size_t len, size_t *subscribers, const char **why);

/* Local subscriptions of topic now. */
size_t gqlws_hub_subscribers(const gqlws_hub *hub, const char *topic, size_t topic_len);

/* Calls fn(arg, topic) for each topic that has subscriptions now (a
 * transport re-subscribes after a reconnect). Returns how many. */
size_t gqlws_hub_each_active_topic(const gqlws_hub *hub, void (*fn)(void *arg, const char *topic),
				   void *arg);

/* Counters and sizes, for metrics and tests. */
typedef struct gqlws_hub_stats {
	uint64_t published;      /* events accepted by gqlws_hub_publish / mutations */
	uint64_t delivered;      /* events fanned out here (publish without hook, deliver) */
	uint64_t serialisations; /* result texts made: one per group per event */
	uint64_t frames;         /* results handed to operations */
	uint64_t refused;        /* publishes refused (bad topic, JSON, size, hook) */
	size_t topics;           /* topics with subscriptions */
	size_t groups;           /* groups of identical selections */
	size_t subscriptions;    /* listening operations */
	size_t retained_topics;  /* topics keeping an event */
	size_t retained_bytes;   /* heap those events take */
	size_t bytes;            /* heap of the hub beyond its schema and the
				  * requests charged to connections */
} gqlws_hub_stats;

void gqlws_hub_get_stats(const gqlws_hub *hub, gqlws_hub_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* GQLWS_HUB_H */
