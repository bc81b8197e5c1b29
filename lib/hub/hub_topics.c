/*
 * hub_topics.c - the topic half of a hub: topics, their groups of
 * identical selections and the operations listening, and the fan-out of
 * an event, serialised once per group and copied into each operation's
 * frame.
 *
 * Safety during a fan-out: gqlws_op_next_raw never ends an operation of
 * its own session (a session that must close defers its stops to its
 * transport's next call), but operations of other sessions can end inside
 * it: the transport's on_notify, called as the call returns, may close
 * another connection, whose cleanups run there. So while a fan-out runs, a
 * listener that ends only loses its op and waits in t->dead; member slots,
 * groups and topics are unlinked and freed once the outermost fan-out is
 * over. The fan-out walks members by index and re-reads the array, so
 * nothing it holds moves or goes under it.
 */
#include <stdlib.h>
#include <string.h>

#include "hub_topics_private.h"

static void topic_active(hub_topics *t, hub_topic *topic, bool active)
{
	if (t->opts.topic_active)
		t->opts.topic_active(t->opts.hook_arg, topic->name, active);
}

/* ----------------------------------------------------------- lifecycle */

void hub_topics_set_hooks(hub_topics *t, void (*topic_active)(void *arg, const char *topic, bool active),
			  void *arg)
{
	t->opts.topic_active = topic_active;
	t->opts.hook_arg = arg;
}

hub_topics *hub_topics_new(const gqlws_hub_options *opts)
{
	hub_topics *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (opts)
		t->opts = *opts;
	else
		gqlws_hub_options_init(&t->opts);
	hub_table_init(&t->topics, t);
	hub_table_init(&t->groups, &t->groups);
	return t;
}

static void group_free(hub_topics *t, hub_group *g)
{
	hub_topic *topic = g->topic;
	if (g->prev)
		g->prev->next = g->next;
	else
		topic->groups = g->next;
	if (g->next)
		g->next->prev = g->prev;
	size_t chains_before = hub_table_bytes(&t->groups);
	hub_table_remove(&t->groups, &g->entry);
	t->bytes -= chains_before - hub_table_bytes(&t->groups);
	if (!g->req_payer)
		t->bytes -= g->req_bytes; /* an orphaned request was the hub's */
	gqlws_schema_request_free(g->req);
	if (g->members)
		t->bytes -= gqlws_alloc_bytes(g->cap * sizeof *g->members);
	free(g->members);
	t->bytes -= gqlws_alloc_bytes(sizeof *g + g->sig_len + 1);
	free(g);
	t->group_count--;
}

void hub_topics_free(hub_topics *t)
{
	if (!t)
		return;
	/* Every operation has ended before (gqlws_hub_free's rule): only
	 * retained events and the tables are left; free whatever is there. */
	for (size_t i = 0; i < t->topics.capacity; i++) {
		hub_entry *e = t->topics.chains ? t->topics.chains[i] : NULL;
		while (e) {
			hub_topic *topic = (hub_topic *)e;
			e = e->next;
			while (topic->groups) {
				hub_group *g = topic->groups;
				for (size_t m = 0; m < g->count; m++)
					if (g->members[m] && g->members[m]->op) /* should not be */
						g->members[m]->group = NULL;
				topic->groups = g->next;
				gqlws_schema_request_free(g->req);
				free(g->members);
				free(g);
			}
			cJSON_Delete(topic->retained);
			free(topic);
		}
	}
	for (hub_listener *l = t->dead, *next; l; l = next) {
		next = l->next_dead;
		free(l);
	}
	hub_table_free(&t->topics);
	hub_table_free(&t->groups);
	gqlws_doc_buf_free(&t->text);
	free(t);
}

/* --------------------------------------------------------------- topics */

hub_topic *hub_topic_find(const hub_topics *t, const char *name, size_t len)
{
	uint64_t hash = hub_table_hash(&t->topics, 0, name, len);
	for (hub_entry *e = hub_table_chain(&t->topics, hash); e; e = e->next) {
		hub_topic *topic = (hub_topic *)e;
		if (e->hash == hash && topic->name_len == len && !memcmp(topic->name, name, len))
			return topic;
	}
	return NULL;
}

hub_topic *hub_topic_get(hub_topics *t, const char *name, size_t len)
{
	hub_topic *topic = hub_topic_find(t, name, len);
	if (topic)
		return topic;
	topic = calloc(1, sizeof *topic + len + 1);
	if (!topic)
		return NULL;
	memcpy(topic->name, name, len);
	topic->name[len] = '\0';
	topic->name_len = len;
	topic->entry.hash = hub_table_hash(&t->topics, 0, name, len);
	size_t before = hub_table_bytes(&t->topics);
	if (!hub_table_insert(&t->topics, &topic->entry)) {
		free(topic);
		return NULL;
	}
	t->bytes += hub_table_bytes(&t->topics) - before + gqlws_alloc_bytes(sizeof *topic + len + 1);
	return topic;
}

void hub_topic_release(hub_topics *t, hub_topic *topic)
{
	if (topic->groups || topic->retained || t->delivering)
		return;
	size_t before = hub_table_bytes(&t->topics);
	hub_table_remove(&t->topics, &topic->entry);
	t->bytes -= before - hub_table_bytes(&t->topics);
	t->bytes -= gqlws_alloc_bytes(sizeof *topic + topic->name_len + 1);
	free(topic);
}

/* --------------------------------------------------------------- groups */

static uint64_t group_hash(const hub_topics *t, const hub_topic *topic, const char *sig, size_t len)
{
	return hub_table_hash(&t->groups, (uint64_t)(uintptr_t)topic, sig, len);
}

static hub_group *group_find(const hub_topics *t, const hub_topic *topic, const char *sig, size_t len)
{
	uint64_t hash = group_hash(t, topic, sig, len);
	for (hub_entry *e = hub_table_chain(&t->groups, hash); e; e = e->next) {
		hub_group *g = (hub_group *)e;
		if (e->hash == hash && g->topic == topic && g->sig_len == len && !memcmp(g->sig, sig, len))
			return g;
	}
	return NULL;
}

static hub_group *group_new(hub_topics *t, hub_topic *topic, const char *sig, size_t len)
{
	hub_group *g = calloc(1, sizeof *g + len + 1);
	if (!g)
		return NULL;
	memcpy(g->sig, sig, len);
	g->sig_len = len;
	g->topic = topic;
	g->entry.hash = group_hash(t, topic, sig, len);
	size_t before = hub_table_bytes(&t->groups);
	if (!hub_table_insert(&t->groups, &g->entry)) {
		free(g);
		return NULL;
	}
	t->bytes += hub_table_bytes(&t->groups) - before + gqlws_alloc_bytes(sizeof *g + len + 1);
	g->next = topic->groups;
	if (g->next)
		g->next->prev = g;
	topic->groups = g;
	t->group_count++;
	return g;
}

static bool group_reserve(hub_topics *t, hub_group *g)
{
	if (g->count < g->cap)
		return true;
	size_t cap = g->cap ? g->cap * 2 : 4;
	hub_listener **members = realloc(g->members, cap * sizeof *members);
	if (!members)
		return false;
	if (g->members)
		t->bytes -= gqlws_alloc_bytes(g->cap * sizeof *members);
	t->bytes += gqlws_alloc_bytes(cap * sizeof *members);
	g->members = members;
	g->cap = cap;
	return true;
}

/* The request's charge follows the group: when the member that pays for
 * it leaves, another live member takes it over (the connections holding a
 * group keep paying for it); when none can, the hub holds it. */
static void group_pass_request_charge(hub_topics *t, hub_group *g)
{
	g->req_payer = NULL;
	for (size_t i = 0; i < g->count; i++) {
		hub_listener *m = g->members[i];
		if (m && m->op && gqlws_op_charge(m->op, g->charge) == GQLWS_OK) {
			g->req_payer = m;
			return;
		}
	}
	t->bytes += g->req_bytes;
}

/* Takes l out of its group now: its slot refilled by the last member, the
 * group freed when it empties, the topic released when nothing keeps it. */
static void listener_unlink(hub_topics *t, hub_listener *l)
{
	hub_group *g = l->group;
	hub_topic *topic = g->topic;
	g->members[l->index] = g->members[--g->count];
	if (l->index < g->count && g->members[l->index])
		g->members[l->index]->index = l->index;
	l->group = NULL;
	if (g->count == 0) {
		group_free(t, g);
		hub_topic_release(t, topic);
	}
}

/* Slots of listeners that ended during a fan-out, emptied after it. */
static void sweep_dead(hub_topics *t)
{
	while (t->dead) {
		hub_listener *l = t->dead;
		t->dead = l->next_dead;
		listener_unlink(t, l);
		free(l);
	}
	/* members that are NULL can only be those just swept */
}

/* The operation ended (gqlws_op_on_end): every charge of it is released
 * by the session; the hub forgets it. */
static void listener_end(void *arg)
{
	hub_listener *l = arg;
	if (!l->group) { /* the hub was freed first (against its rule): only l is left */
		free(l);
		return;
	}
	hub_topics *t = l->hub;
	hub_group *g = l->group;
	hub_topic *topic = g->topic;

	l->op = NULL;
	g->live--;
	t->subscriptions--;
	if (--topic->listeners == 0) {
		t->active_topics--;
		topic_active(t, topic, false);
	}
	if (g->req_payer == l && g->live)
		group_pass_request_charge(t, g);
	else if (g->req_payer == l) { /* the hub's until the group is freed */
		g->req_payer = NULL;
		t->bytes += g->req_bytes;
	}
	if (t->delivering) {
		l->next_dead = t->dead;
		t->dead = l;
		return;
	}
	listener_unlink(t, l);
	free(l);
}

int hub_topics_listen(hub_topics *t, const gqlws_schema *schema, const char *topic_name,
		      size_t topic_len, gqlws_op *op, gqlws_schema_request *req)
{
	gqlws_doc_buf sig = GQLWS_DOC_BUF_INIT;
	hub_listener *l = NULL;
	hub_topic *topic = NULL;
	hub_group *g = NULL;
	size_t req_bytes = gqlws_schema_request_bytes(req);
	size_t charged = 0; /* to op here, for the listener and a new group */
	int rc = GQLWS_ERR_NOMEM;

	if (t && !t->delivering)
		sweep_dead(t);
	if (!t || !schema || !op || !req || gqlws_schema_request_signature(req, &sig) != 0)
		goto fail;
	rc = gqlws_op_charge(op, gqlws_alloc_bytes(sizeof *l));
	if (rc != GQLWS_OK) {
		rc = rc == GQLWS_ERR_LIMIT ? GQLWS_ERR_LIMIT : GQLWS_ERR_NOMEM;
		goto fail;
	}
	charged = gqlws_alloc_bytes(sizeof *l);
	rc = GQLWS_ERR_NOMEM;
	l = calloc(1, sizeof *l);
	topic = l ? hub_topic_get(t, topic_name, topic_len) : NULL;
	if (!topic)
		goto fail;
	g = group_find(t, topic, sig.data, sig.len);
	bool made = false;
	if (!g) {
		g = group_new(t, topic, sig.data, sig.len);
		made = g != NULL;
	}
	/* A new group's record is charged with its request: whoever pays
	 * for the request pays for the group (its signature is as long as
	 * the document). */
	size_t record = made ? gqlws_alloc_bytes(sizeof *g + sig.len + 1) : 0;
	bool ok = g != NULL;
	if (made) {
		int charge_rc = gqlws_op_charge(op, record);
		if (charge_rc == GQLWS_OK) {
			charged += record;
		} else {
			ok = false;
			if (charge_rc == GQLWS_ERR_LIMIT)
				rc = GQLWS_ERR_LIMIT;
		}
	}
	if (!ok || !group_reserve(t, g)) {
		if (made)
			group_free(t, g);
		hub_topic_release(t, topic);
		goto fail;
	}
	/* After this point nothing fails: the cleanup's registration frees
	 * the listener itself if it cannot be made. */
	if (made) {
		g->schema = schema;
		g->req = req;
		g->req_bytes = req_bytes;
		g->charge = req_bytes + record;
		g->req_payer = l;
	} else {
		gqlws_schema_request_free(req);
		gqlws_op_uncharge(op, req_bytes);
	}
	req = NULL;
	*l = (hub_listener){.hub = t, .group = g, .index = g->count, .op = op};
	g->members[g->count++] = l;
	g->live++;
	t->subscriptions++;
	if (topic->listeners++ == 0) {
		t->active_topics++;
		topic_active(t, topic, true);
	}
	gqlws_doc_buf_free(&sig);
	rc = gqlws_op_on_end(op, listener_end, l);
	/* Not registered: listener_end has run already and took l out. */
	return rc == GQLWS_OK ? GQLWS_OK : rc == GQLWS_ERR_LIMIT ? GQLWS_ERR_LIMIT : GQLWS_ERR_NOMEM;

fail:
	gqlws_op_uncharge(op, charged);
	free(l);
	gqlws_doc_buf_free(&sig);
	if (req) {
		gqlws_op_uncharge(op, req_bytes);
		gqlws_schema_request_free(req);
	}
	return rc;
}

/* ------------------------------------------------------------- fan-out */

/* Sends the group's result for root to every member still live. Returns
 * the members handed a frame, or -1 when the text could not be made. */
static long group_deliver(hub_topics *t, hub_group *g, const cJSON *root, gqlws_doc_buf *text,
			  size_t *reached)
{
	text->len = 0;
	if (gqlws_schema_result_text(g->schema, gqlws_schema_request_plan(g->req),
				     root, text) != 0)
		return -1;
	t->serialisations++;
	/* count is read again each time: members only ever end (their slot
	 * emptied), never move, while a fan-out runs */
	for (size_t i = 0; i < g->count; i++) {
		hub_listener *m = g->members[i];
		if (!m || !m->op)
			continue;
		(*reached)++;
		if (gqlws_op_next_raw(m->op, text->data, text->len) == GQLWS_OK)
			t->frames++;
	}
	return 0;
}

int hub_topics_deliver(hub_topics *t, const gqlws_schema *schema, const char *topic_name,
		       size_t topic_len, const cJSON *value, const char *json, size_t len,
		       size_t *subscribers)
{
	size_t reached = 0;
	int rc = GQLWS_OK;

	(void)schema;
	(void)json;
	(void)len;
	if (subscribers)
		*subscribers = 0;
	if (!t || !value)
		return GQLWS_ERR_INVALID;
	t->delivered++;
	if (!t->delivering)
		sweep_dead(t);
	hub_topic *topic = hub_topic_find(t, topic_name, topic_len);
	if (topic && topic->listeners) {
		/* A nested fan-out (an operation's frame made another event)
		 * must not reuse the text the outer one is sending. */
		gqlws_doc_buf nested = GQLWS_DOC_BUF_INIT;
		gqlws_doc_buf *text = t->delivering ? &nested : &t->text;
		t->delivering++;
		for (hub_group *g = topic->groups; g; g = g->next) {
			if (!g->live)
				continue;
			/* The event is the root value's member named after the
			 * field: a reference on the stack, nothing copied. */
			const gqlws_doc_field *field = gqlws_doc_plan_field(gqlws_schema_request_plan(g->req), 0);
			cJSON member = *value;
			member.next = NULL;
			member.prev = &member;
			member.string = (char *)(field ? gqlws_doc_field_name(field) : "");
			member.type |= cJSON_IsReference | cJSON_StringIsConst;
			cJSON root;
			memset(&root, 0, sizeof root);
			root.type = cJSON_Object;
			root.child = &member;
			if (group_deliver(t, g, &root, text, &reached) != 0)
				rc = GQLWS_ERR_NOMEM; /* this group misses the event */
		}
		gqlws_doc_buf_free(&nested);
		if (--t->delivering == 0)
			sweep_dead(t);
	}
	/* (after the fan-out's sweep, which may have freed the topic) */
	if (t->opts.retain && hub_retain_event(t, topic_name, topic_len, value) != 0)
		rc = GQLWS_ERR_NOMEM;
	if (subscribers)
		*subscribers = reached;
	return rc;
}

/* --------------------------------------------------------------- reading */

const cJSON *hub_topics_retained(const hub_topics *t, const char *topic_name, size_t topic_len)
{
	const hub_topic *topic = t ? hub_topic_find(t, topic_name, topic_len) : NULL;
	return topic ? topic->retained : NULL;
}

size_t hub_topics_subscribers(const hub_topics *t, const char *topic_name, size_t topic_len)
{
	const hub_topic *topic = t ? hub_topic_find(t, topic_name, topic_len) : NULL;
	return topic ? topic->listeners : 0;
}

size_t hub_topics_each_active(const hub_topics *t, void (*fn)(void *arg, const char *topic),
			      void *arg)
{
	size_t n = 0;
	if (!t)
		return 0;
	for (size_t i = 0; i < t->topics.capacity; i++) {
		for (hub_entry *e = t->topics.chains[i]; e; e = e->next) {
			const hub_topic *topic = (const hub_topic *)e;
			if (!topic->listeners)
				continue;
			n++;
			if (fn)
				fn(arg, topic->name);
		}
	}
	return n;
}

void hub_topics_stats(const hub_topics *t, gqlws_hub_stats *out)
{
	if (!t || !out)
		return;
	out->delivered = t->delivered;
	out->serialisations = t->serialisations;
	out->frames = t->frames;
	out->topics = t->active_topics;
	out->groups = t->group_count;
	out->subscriptions = t->subscriptions;
	out->retained_topics = t->retained_topics;
	out->retained_bytes = t->retained_bytes;
	out->bytes = gqlws_alloc_bytes(sizeof *t) + t->bytes + t->retained_bytes +
		     (t->text.cap ? gqlws_alloc_bytes(t->text.cap) : 0);
}
