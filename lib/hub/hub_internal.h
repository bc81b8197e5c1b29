/*
 * hub_internal.h - what the pieces of lib/hub share (not installed).
 *
 * Two halves meet here:
 * - bindings (hub.c, hub_bind.c, hub_template.c, hub_op.c): the schema
 *   built from the user's SDL plus the hub's directives, each root field's
 *   binding read from its directive, topic templates, and what an
 *   operation does (gqlws_hub_op_start);
 * - topics (hub_topics.c, hub_table.c, hub_retain.c, hub_topic_name.c,
 *   hub_event.c, hub_publish.c; hub_topics_private.h): the table of
 *   topics, their groups of identical selections and the listening
 *   operations, the fan-out of an event, retained events, events and
 *   publishing, counters.
 */
#ifndef GQLWS_HUB_INTERNAL_H
#define GQLWS_HUB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "gqlws.h"
#include "gqlws_hub.h"
#include "gqlws_schema.h"

/* ------------------------------------------------------- bindings (hub_bind.c) */

typedef enum hub_binding_kind {
	HUB_BINDING_NONE = 0,
	HUB_BINDING_TOPIC,    /* @topic on a Subscription field */
	HUB_BINDING_PUBLISH,  /* @publish on a Mutation field */
	HUB_BINDING_RETAINED, /* @retained on a Query field */
} hub_binding_kind;

/* A compiled template: constant parts and argument references, in order. */
typedef struct hub_template_part {
	const char *text;  /* constant text (len bytes), or NULL for a reference */
	size_t len;
	const char *arg;   /* reference: the argument's name */
	const char *field; /* {arg.field}: the input object's field, else NULL */
} hub_template_part;

typedef struct hub_template {
	hub_template_part *parts;
	size_t count;
} hub_template;

struct schema_field; /* lib/schema/schema_internal.h */

/* One root field with a directive. */
typedef struct hub_binding {
	const char *field;      /* root field name (the schema's string) */
	hub_binding_kind kind;
	hub_template topic;
	const char *payload;    /* @publish(payload:), or NULL: all arguments */
	const struct schema_field *def; /* the field's definition in the schema */
} hub_binding;

/* Room for the reason of hub_template_expand(), the longest names clipped. */
#define HUB_TEMPLATE_WHY_BYTES 256

/* Appends to out the topic of template t for root field `index` of request
 * r (its coerced arguments). Returns 0; 1 with why (a buffer of
 * HUB_TEMPLATE_WHY_BYTES) holding a one-line message when an argument's
 * value makes no valid topic ("Topic name needs a value of argument
 * \"symbol\".", or gqlws_hub_topic_invalid's reason for the whole name),
 * out then as it was; -1 when out of memory. */
int hub_template_expand(const hub_template *t, const gqlws_schema_request *r, size_t index,
			gqlws_doc_buf *out, char *why);

/* Reads the bindings of hub->schema's root fields into hub->bindings
 * (sorted by kind, then field name, for hub_binding_find), checking each
 * directive. Returns 0; 1 with *errors a new array of the problems (at
 * most 100, each {"message","locations"}); -1 when out of memory. */
int hub_bind_read(gqlws_hub *hub, cJSON **errors);

/* Frees hub->bindings. */
void hub_bind_free(gqlws_hub *hub);

/* ----------------------------------------------------- topics (hub_topics.c) */

/* The topic half of a hub, owned by it. */
typedef struct hub_topics hub_topics;

hub_topics *hub_topics_new(const gqlws_hub_options *opts);
void hub_topics_free(hub_topics *t);

/* Makes op listen to topic: takes req (the operation's validated
 * subscription request: its single root field is bound to topic; its bytes
 * are already charged to the connection). The operation joins the group of
 * its signature (gqlws_schema_request_signature), made if new; a request
 * equal to the group's is freed at once and uncharged. Registers a
 * gqlws_op_on_end() cleanup that takes the operation out (and calls the
 * topic_active hook when the topic's last one leaves). Returns GQLWS_OK;
 * otherwise req has been freed and the caller fails the operation
 * (GQLWS_ERR_NOMEM: "Internal error"; GQLWS_ERR_LIMIT:
 * GQLWS_MEMORY_LIMIT_MESSAGE). */
int hub_topics_listen(hub_topics *t, const gqlws_schema *schema, const char *topic,
		      size_t topic_len, gqlws_op *op, gqlws_schema_request *req);

/* Fans event (json, len bytes; parsed as value) out to every listener of
 * topic, one serialisation per group, and retains it (retain on). Safe
 * against operations ending during the fan-out. *subscribers: listeners
 * reached (may be NULL). Returns GQLWS_OK or GQLWS_ERR_NOMEM. */
int hub_topics_deliver(hub_topics *t, const gqlws_schema *schema, const char *topic,
		       size_t topic_len, const cJSON *value, const char *json, size_t len,
		       size_t *subscribers);

/* The topic's retained event, or NULL. Borrowed until the next publish. */
const cJSON *hub_topics_retained(const hub_topics *t, const char *topic, size_t topic_len);

/* Replaces the topic half's hooks (gqlws_hub_set_transport). */
void hub_topics_set_hooks(hub_topics *t, void (*topic_active)(void *arg, const char *topic, bool active),
			  void *arg);

size_t hub_topics_subscribers(const hub_topics *t, const char *topic, size_t topic_len);
size_t hub_topics_each_active(const hub_topics *t, void (*fn)(void *arg, const char *topic),
			      void *arg);
/* Fills the topic half of *out (topics, groups, subscriptions, retained_*,
 * serialisations, frames, delivered, bytes). */
void hub_topics_stats(const hub_topics *t, gqlws_hub_stats *out);

/* Parses an event as the hub accepts it (one JSON value, strict, at most
 * max_event_bytes). NULL with *why (static) when refused or out of memory
 * (*why NULL then). */
cJSON *hub_event_parse(const char *json, size_t len, size_t max_event_bytes, const char **why);

/* hub_event_parse()'s checks without parsing (for events handed to the
 * publish hook): NULL when accepted, else why not (static). */
const char *hub_event_check(const char *json, size_t len, size_t max_event_bytes);

/* ------------------------------------------------------------------ the hub */

struct gqlws_hub {
	gqlws_schema *schema;
	gqlws_hub_options opts;
	hub_binding *bindings; /* one per bound root field */
	size_t binding_count;
	hub_topics *topics;
	uint64_t published; /* accepted publishes (HTTP, C API, mutations) */
	uint64_t refused;   /* refused publishes */
};

/* The binding of root field `field` of kind's root type, or NULL. */
const hub_binding *hub_binding_find(const gqlws_hub *hub, hub_binding_kind kind,
				    const char *field);

#endif /* GQLWS_HUB_INTERNAL_H */
