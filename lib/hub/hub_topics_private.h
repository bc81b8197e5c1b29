/*
 * hub_topics_private.h - what the files of the topic half of a hub share
 * (hub_table.c, hub_topics.c, hub_retain.c): the keyed table, the records
 * of topics, groups and listeners, and the retain list.
 *
 * topic (by name, in t->topics) -> groups (by topic and signature, in
 * t->groups; also a list per topic) -> listeners (an array per group).
 * A listener is one operation; it is charged to its connection. A group
 * holds the one request its members share.
 */
#ifndef GQLWS_HUB_TOPICS_PRIVATE_H
#define GQLWS_HUB_TOPICS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub_internal.h"

/* ------------------------------------------------------ keyed table */

/* An intrusive chained hash table: records embed a hub_entry. Keys come
 * from clients (topic names, documents), so they are hashed with SipHash
 * under the table's own key (keyed_hash.h). */
typedef struct hub_entry {
	struct hub_entry *next;
	uint64_t hash;
} hub_entry;

typedef struct hub_table {
	hub_entry **chains;
	size_t capacity; /* a power of two, or 0 */
	size_t count;
	uint64_t key[2];
} hub_table;

void hub_table_init(hub_table *table, const void *owner);
void hub_table_free(hub_table *table);
uint64_t hub_table_hash(const hub_table *table, uint64_t salt, const void *bytes, size_t len);
/* The first entry of hash's chain (follow ->next, compare keys). */
hub_entry *hub_table_chain(const hub_table *table, uint64_t hash);
/* Inserts e (e->hash set); grows the table first when it is full. Returns
 * false when growing failed (nothing inserted). */
bool hub_table_insert(hub_table *table, hub_entry *e);
void hub_table_remove(hub_table *table, hub_entry *e);
/* Heap of the chains, as the allocator rounds it. */
size_t hub_table_bytes(const hub_table *table);

/* ------------------------------------------------------------ records */

typedef struct hub_group hub_group;
typedef struct hub_listener hub_listener;

typedef struct hub_topic {
	hub_entry entry;            /* in t->topics, by name */
	hub_group *groups;          /* the topic's groups, newest first */
	size_t listeners;           /* operations listening now */
	cJSON *retained;            /* the last event, or NULL */
	size_t retained_bytes;      /* gqlws_json_bytes(retained) */
	struct hub_topic *lru_prev; /* retained topics, last published first */
	struct hub_topic *lru_next;
	size_t name_len;
	char name[];                /* NUL-terminated */
} hub_topic;

struct hub_group {
	hub_entry entry;              /* in t->groups, by topic and signature */
	hub_topic *topic;
	hub_group *prev, *next;       /* in topic->groups */
	const gqlws_schema *schema;   /* the hub's */
	gqlws_schema_request *req;    /* shared by the members; owned */
	size_t req_bytes;
	size_t charge;                /* req_bytes and this record's heap */
	hub_listener *req_payer;      /* the member charged for them, or NULL */
	hub_listener **members;       /* [count]; NULL slots: ended during a fan-out */
	size_t count, cap;
	size_t live;                  /* members not ended */
	size_t sig_len;
	char sig[];
};

struct hub_listener {
	hub_topics *hub;
	hub_group *group;             /* NULL once it ended */
	size_t index;                 /* in group->members */
	gqlws_op *op;                 /* NULL once it ended */
	hub_listener *next_dead;      /* ended during a fan-out, freed after */
};

struct hub_topics {
	gqlws_hub_options opts;
	hub_table topics;
	hub_table groups;
	/* retained topics, most recently published first */
	hub_topic *lru_head, *lru_tail;
	size_t retained_topics, retained_bytes;
	/* A fan-out is running: ended listeners wait in dead, and nothing is
	 * unlinked or freed, until the outermost one is over. */
	unsigned delivering;
	hub_listener *dead;
	gqlws_doc_buf text; /* result text, reused from event to event */
	size_t subscriptions, group_count, active_topics;
	size_t bytes;       /* records, chains, member arrays, texts, orphaned requests */
	uint64_t delivered, serialisations, frames;
};

/* The topic named name, or NULL. */
hub_topic *hub_topic_find(const hub_topics *t, const char *name, size_t len);
/* The topic named name, made (empty) if new; NULL when out of memory. */
hub_topic *hub_topic_get(hub_topics *t, const char *name, size_t len);
/* Frees topic when nothing keeps it any more: no group and no retained
 * event (and no fan-out running). */
void hub_topic_release(hub_topics *t, hub_topic *topic);

/* ------------------------------------------------- retain (hub_retain.c) */

/* Keeps a copy of value as the topic's last event (retain on), most
 * recent in the LRU, and drops the least recently published ones beyond
 * retain_topics and retain_bytes (their topics released when nothing else
 * keeps them). A value larger than retain_bytes alone is not copied, and
 * the topic's older event goes (it is no longer the last). Returns 0, or
 * -1 when out of memory (the topic then keeps nothing). */
int hub_retain_event(hub_topics *t, const char *name, size_t len, const cJSON *value);
/* Drops topic's retained event, if any (the topic is not released). */
void hub_retain_drop(hub_topics *t, hub_topic *topic);

#endif
