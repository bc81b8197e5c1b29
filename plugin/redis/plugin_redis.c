/*
 * plugin_redis.c - the Redis transport on lws's loop. Two lws raw client
 * sockets per vhost carry RESP (hiredis formats and reads it, through
 * redis_proto.c): the subscriber SUBSCRIBEs prefix+topic while a topic has
 * local subscribers and hands what comes back to the hub; the publisher
 * sends every publish as PUBLISH. Local delivery happens only when Redis
 * sends the event back, so every node sees one order per topic. A lost or
 * refused connection is retried on an lws timer with a capped, jittered
 * backoff; subscriptions never notice beyond the events they miss.
 */
#define _DEFAULT_SOURCE /* TCP_KEEPIDLE and friends under -std=c11 */
#include "plugin_redis.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis_proto.h"

/* PUBLISH commands written but not yet sent: beyond it a publish is refused
 * (a stalled Redis must not take the node's memory). */
#define WRITE_QUEUE_BOUND (16u * 1024u * 1024u)
/* What one RAW_WRITEABLE hands to lws, and what the reader is fed at once
 * (it is drained between slices, so that its buffer stays bounded). */
#define WRITE_CHUNK_BYTES (64u * 1024u)
#define READ_SLICE_BYTES (16u * 1024u)
/* A link's user pointer carries this first, so that a raw socket of
 * someone else's bound to the same protocol is never mistaken for ours. */
#define LINK_MAGIC 0x52454449u
/* A connection up this long was a good one: its loss retries from 100 ms. */
#define HEALTHY_AFTER_US (5 * LWS_US_PER_SEC)
/* AUTH and SELECT must be answered within this. */
#define HANDSHAKE_TIMEOUT_S 10

typedef struct redis_link {
	uint32_t magic;
	plugin_redis *owner;
	const char *role;            /* "subscriber" / "publisher", for logs */
	bool subscriber;
	struct lws *wsi;             /* NULL: no socket */
	plugin_redis_link_state state;
	bool connected;              /* RAW_CONNECTED came: commands may be queued */
	bool was_up;                 /* for the log: a loss, not a failed attempt */
	unsigned handshake_pending;  /* AUTH / SELECT replies still due */
	uint64_t publishes_pending;  /* PUBLISH replies still due (publisher) */
	plugin_redis_reader *reader;
	/* Bytes to send: queue[head .. head+len). */
	char *queue;
	size_t head, len, cap;
	lws_sorted_usec_list_t retry_sul;
	bool retry_scheduled;
	unsigned attempt;            /* failures since it was last up */
	uint64_t reconnects;
	bool tried;                  /* a connect was made before: the next one is a reconnect */
	lws_usec_t up_since;
} redis_link;

struct plugin_redis {
	struct lws_context *context;
	struct lws_vhost *vhost;
	gqlws_hub *hub;
	plugin_redis_url url;
	char prefix[PLUGIN_REDIS_PREFIX_MAX_BYTES + 1];
	char protocol[64];
	size_t max_event_bytes;
	bool stopping;
	redis_link sub, pub;
	uint64_t channels, messages_in, messages_out, dropped, publish_errors;
	/* Drops are logged, but a flood of them must not flood the log. */
	uint64_t drops_logged;
	uint64_t publish_errors_logged;
};

/* -------------------------------------------------------------- the queue */

static void queue_reset(redis_link *l)
{
	free(l->queue);
	l->queue = NULL;
	l->head = l->len = l->cap = 0;
}

/* Appends n bytes; -1 when the bound or memory refuses. The subscriber's
 * commands are not bounded: there is at most one per active topic, which
 * the hub holds already, and refusing one would leave a topic deaf. */
static int queue_append(redis_link *l, const char *bytes, size_t n)
{
	if (!l->subscriber && l->len + n > WRITE_QUEUE_BOUND)
		return -1;
	if (l->head + l->len + n > l->cap) {
		size_t cap = l->cap ? l->cap : 4096;
		char *grown;

		if (l->head) {
			memmove(l->queue, l->queue + l->head, l->len);
			l->head = 0;
		}
		while (cap < l->len + n)
			cap *= 2;
		if (cap != l->cap) {
			grown = realloc(l->queue, cap);
			if (!grown)
				return -1;
			l->queue = grown;
			l->cap = cap;
		}
	}
	memcpy(l->queue + l->head + l->len, bytes, n);
	l->len += n;
	if (l->wsi)
		lws_callback_on_writable(l->wsi);
	return 0;
}

/* Formats and queues one command. */
static int send_command(redis_link *l, int argc, const char *const *argv, const size_t *lens)
{
	size_t n;
	char *cmd = plugin_redis_command(argc, argv, lens, &n);
	int rc;

	if (!cmd)
		return -1;
	rc = queue_append(l, cmd, n);
	plugin_redis_command_free(cmd);
	return rc;
}

static int send_channel_command(redis_link *l, const char *verb, const char *topic)
{
	char channel[PLUGIN_REDIS_PREFIX_MAX_BYTES + GQLWS_HUB_TOPIC_MAX_BYTES + 1];
	size_t channel_len = plugin_redis_channel(l->owner->prefix, topic, strlen(topic), channel,
						  sizeof(channel));
	const char *argv[2] = { verb, channel };
	size_t lens[2] = { strlen(verb), channel_len };

	if (!channel_len)
		return -1;
	return send_command(l, 2, argv, lens);
}

/* ------------------------------------------------------- connect / retry */

static void link_connect(redis_link *l);

static void on_retry(lws_sorted_usec_list_t *sul)
{
	redis_link *l = lws_container_of(sul, redis_link, retry_sul);

	l->retry_scheduled = false;
	if (l->owner->stopping)
		return;
	if (l->tried)
		l->reconnects++;
	l->tried = true;
	link_connect(l);
}

static void schedule_retry(redis_link *l)
{
	uint32_t random = 0;
	uint32_t ms;

	if (l->owner->stopping || l->retry_scheduled)
		return;
	lws_get_random(l->owner->context, &random, sizeof(random));
	ms = plugin_redis_backoff_ms(l->attempt, random);
	if (l->attempt < 64)
		l->attempt++;
	l->retry_scheduled = true;
	lws_sul_schedule(l->owner->context, 0, &l->retry_sul, on_retry,
			 (lws_usec_t)ms * LWS_US_PER_MS);
}

/* The socket is gone (or never came): forget it and try again later. Every
 * lws reason that ends a socket lands here; only the first one counts. */
static void link_lost(redis_link *l, const char *why)
{
	plugin_redis *r = l->owner;

	if (l->state == PLUGIN_REDIS_DOWN && !l->wsi)
		return;
	/* Only a connection that lasted starts the schedule again: a server
	 * that accepts and then misbehaves is retried ever more slowly, not
	 * ten times a second. */
	if (l->state == PLUGIN_REDIS_UP &&
	    lws_now_usecs() - l->up_since >= HEALTHY_AFTER_US)
		l->attempt = 0;
	if (r->stopping)
		; /* the context or vhost is going: not news */
	else if (l->was_up)
		lwsl_warn("lws-graphql-ws: Redis %s connection to %s:%u lost (%s); reconnecting\n",
			  l->role, r->url.host, r->url.port, why);
	else if (!l->attempt)
		lwsl_warn("lws-graphql-ws: cannot connect the Redis %s to %s:%u (%s); retrying "
			  "with waits growing to 5 s\n", l->role, r->url.host, r->url.port, why);
	else
		lwsl_info("lws-graphql-ws: Redis %s: %s\n", l->role, why);
	l->wsi = NULL;
	l->state = PLUGIN_REDIS_DOWN;
	l->connected = false;
	l->was_up = false;
	l->handshake_pending = 0;
	l->publishes_pending = 0;
	plugin_redis_reader_free(l->reader);
	l->reader = NULL;
	queue_reset(l);
	if (l->subscriber)
		r->channels = 0;
	schedule_retry(l);
}

static void link_connect(redis_link *l)
{
	plugin_redis *r = l->owner;
	struct lws_client_connect_info i;
	struct lws *wsi;

	/* A reply may be as large as the largest event plus its channel; a
	 * little larger ones are dropped one by one, far larger ones end
	 * the connection (redis_proto.h). */
	l->reader = plugin_redis_reader_new(2 * r->max_event_bytes + 4096);
	if (!l->reader) {
		l->state = PLUGIN_REDIS_CONNECTING;
		link_lost(l, "out of memory");
		return;
	}
	memset(&i, 0, sizeof(i));
	i.context = r->context;
	i.vhost = r->vhost;
	i.address = r->url.host;
	i.port = (int)r->url.port;
	i.host = r->url.host;
	i.origin = r->url.host;
	i.path = "";
	i.method = "RAW";
	i.local_protocol_name = r->protocol;
	i.userdata = l;
	l->state = PLUGIN_REDIS_CONNECTING;
	wsi = lws_client_connect_via_info(&i);
	if (!wsi) {
		/* lws tells nothing more when it fails at once. */
		link_lost(l, "connection refused or address not resolved");
		return;
	}
	if (l->state == PLUGIN_REDIS_CONNECTING || l->connected)
		l->wsi = wsi;
}

/* ----------------------------------------------------------- the replies */

static void link_up(redis_link *l)
{
	plugin_redis *r = l->owner;
	redis_link *other = l->subscriber ? &r->pub : &r->sub;

	l->state = PLUGIN_REDIS_UP;
	l->was_up = true;
	l->up_since = lws_now_usecs();
	if (l->wsi)
		lws_set_timeout(l->wsi, NO_PENDING_TIMEOUT, 0);
	/* Redis is back: the other connection need not sit out its wait
	 * (publishes would be refused meanwhile). */
	if (other->retry_scheduled && !r->stopping)
		lws_sul_schedule(r->context, 0, &other->retry_sul, on_retry, LWS_US_PER_MS);
	lwsl_notice("lws-graphql-ws: Redis %s connected to %s:%u\n", l->role, r->url.host,
		    r->url.port);
}

static bool drop_is_logged(plugin_redis *r)
{
	/* The first ten, then one in a thousand. */
	return r->dropped <= 10 || r->dropped % 1000 == 0;
}

static void deliver_message(plugin_redis *r, const plugin_redis_event *ev)
{
	size_t topic_len = 0;
	const char *topic = plugin_redis_topic_of(r->prefix, ev->channel, ev->channel_len,
						  &topic_len);
	const char *why = NULL;
	int rc;

	r->messages_in++;
	if (!topic || gqlws_hub_topic_invalid(topic, topic_len)) {
		why = "a channel that is no topic of this prefix";
	} else if (ev->payload_len > r->max_event_bytes) {
		why = "larger than max-message-bytes";
	} else {
		rc = gqlws_hub_deliver(r->hub, topic, topic_len, ev->payload, ev->payload_len, NULL,
				       &why);
		if (rc == GQLWS_OK)
			return;
		if (!why)
			why = "out of memory";
	}
	r->dropped++;
	if (drop_is_logged(r))
		lwsl_warn("lws-graphql-ws: Redis message on \"%.*s\" dropped: %s (%llu dropped)\n",
			  (int)(ev->channel_len > 80 ? 80 : ev->channel_len), ev->channel, why,
			  (unsigned long long)r->dropped);
}

/* One reply on l. Returns -1 (with *why) when the connection must go. */
static int on_reply(redis_link *l, const plugin_redis_event *ev, const char **why)
{
	plugin_redis *r = l->owner;

	if (l->handshake_pending) {
		if (ev->kind == PLUGIN_REDIS_STATUS) {
			if (!--l->handshake_pending)
				link_up(l);
			return 0;
		}
		if (ev->kind == PLUGIN_REDIS_ERROR) {
			lwsl_err("lws-graphql-ws: Redis refused AUTH or SELECT: %.*s\n",
				 (int)(ev->text_len > 200 ? 200 : ev->text_len), ev->text);
			*why = "AUTH or SELECT refused";
			return -1;
		}
		*why = "an unexpected answer to AUTH or SELECT";
		return -1;
	}
	switch (ev->kind) {
	case PLUGIN_REDIS_MESSAGE:
		if (!l->subscriber)
			break;
		deliver_message(r, ev);
		return 0;
	case PLUGIN_REDIS_SUBSCRIBED:
	case PLUGIN_REDIS_UNSUBSCRIBED:
		if (!l->subscriber)
			break;
		r->channels = ev->integer < 0 ? 0 : (uint64_t)ev->integer;
		return 0;
	case PLUGIN_REDIS_INTEGER:
		/* PUBLISH's answer: how many clients got it. */
		if (l->subscriber || !l->publishes_pending)
			break;
		l->publishes_pending--;
		return 0;
	case PLUGIN_REDIS_ERROR:
		if (l->subscriber || !l->publishes_pending) {
			lwsl_err("lws-graphql-ws: Redis %s got an error: %.*s\n", l->role,
				 (int)(ev->text_len > 200 ? 200 : ev->text_len), ev->text);
			*why = "an error reply";
			return -1;
		}
		l->publishes_pending--;
		r->publish_errors++;
		if (r->publish_errors <= 10 || r->publish_errors % 1000 == 0)
			lwsl_warn("lws-graphql-ws: Redis refused a PUBLISH: %.*s (%llu so far)\n",
				  (int)(ev->text_len > 200 ? 200 : ev->text_len), ev->text,
				  (unsigned long long)r->publish_errors);
		return 0;
	default:
		break;
	}
	*why = ev->kind == PLUGIN_REDIS_UNEXPECTED ? ev->text : "an unexpected reply";
	return -1;
}

/* Bytes from Redis. -1: the connection must go (logged). */
static int on_rx(redis_link *l, const char *in, size_t len)
{
	const char *why = NULL;
	bool unreadable = true;

	while (len) {
		size_t n = len < READ_SLICE_BYTES ? len : READ_SLICE_BYTES;
		plugin_redis_event ev;
		int got;

		if (plugin_redis_reader_feed(l->reader, in, n, &why))
			goto bad;
		in += n;
		len -= n;
		while ((got = plugin_redis_reader_next(l->reader, &ev, &why)) > 0)
			if (on_reply(l, &ev, &why)) {
				unreadable = false;
				goto bad;
			}
		if (got < 0)
			goto bad;
	}
	return 0;
bad:
	lwsl_err("lws-graphql-ws: Redis %s at %s:%u: %s%s; dropping the connection\n", l->role,
		 l->owner->url.host, l->owner->url.port, unreadable ? "unreadable reply: " : "",
		 why ? why : "unexpected reply");
	return -1;
}

/* ------------------------------------------------------ connected, write */

static void resubscribe_one(void *arg, const char *topic)
{
	redis_link *l = arg;

	if (send_channel_command(l, "SUBSCRIBE", topic))
		lwsl_err("lws-graphql-ws: Redis: cannot SUBSCRIBE \"%s\" (out of memory)\n",
			 topic);
}

/* A Redis host that vanishes without closing (power, network) would leave
 * the subscriber waiting forever for pushes: TCP keepalive notices it in
 * about a minute (30 s idle, then 3 probes 10 s apart). Best effort. */
static void keep_alive(struct lws *wsi)
{
	int fd = (int)lws_get_socket_fd(wsi);
	int on = 1, idle = 30, interval = 10, count = 3;

	if (fd < 0)
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
#if defined(TCP_KEEPIDLE)
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
#else
	(void)idle;
	(void)interval;
	(void)count;
#endif
}

static void on_connected(redis_link *l, struct lws *wsi)
{
	plugin_redis *r = l->owner;
	size_t topics;

	keep_alive(wsi);
	l->wsi = wsi;
	l->connected = true;
	l->handshake_pending = 0;
	if (r->url.password) {
		const char *argv[3] = { "AUTH", r->url.user, r->url.password };
		size_t lens[3] = { 4, r->url.user ? strlen(r->url.user) : 0,
				   strlen(r->url.password) };

		if (r->url.user) {
			send_command(l, 3, argv, lens);
		} else {
			argv[1] = r->url.password;
			lens[1] = lens[2];
			send_command(l, 2, argv, lens);
		}
		l->handshake_pending++;
	}
	if (r->url.db) {
		char db[16];
		const char *argv[2] = { "SELECT", db };
		size_t lens[2] = { 6, (size_t)snprintf(db, sizeof(db), "%u", r->url.db) };

		send_command(l, 2, argv, lens);
		l->handshake_pending++;
	}
	if (!l->handshake_pending)
		link_up(l);
	else
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, HANDSHAKE_TIMEOUT_S);
	if (!l->subscriber)
		return;
	/* Pipelined behind AUTH and SELECT: Redis answers in order. */
	topics = gqlws_hub_each_active_topic(r->hub, resubscribe_one, l);
	if (topics)
		lwsl_notice("lws-graphql-ws: Redis subscriber: subscribing %zu topics\n", topics);
}

static int on_writeable(redis_link *l)
{
	size_t n = l->len < WRITE_CHUNK_BYTES ? l->len : WRITE_CHUNK_BYTES;

	if (!n)
		return 0;
	/* Raw sockets need no room before the bytes; lws keeps whatever the
	 * socket did not take and calls back once it is sent. */
	if (lws_write(l->wsi, (unsigned char *)l->queue + l->head, n, LWS_WRITE_RAW) < (int)n)
		return -1;
	l->head += n;
	l->len -= n;
	if (l->len) {
		lws_callback_on_writable(l->wsi);
	} else {
		l->head = 0;
		/* A burst's buffer goes back once it is sent. */
		if (l->cap > WRITE_CHUNK_BYTES)
			queue_reset(l);
	}
	return 0;
}

bool plugin_redis_reason(enum lws_callback_reasons reason)
{
	switch (reason) {
	case LWS_CALLBACK_RAW_CONNECTED:
	case LWS_CALLBACK_RAW_RX:
	case LWS_CALLBACK_RAW_WRITEABLE:
	case LWS_CALLBACK_RAW_CLOSE:
	case LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL:
	case LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL:
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		return true;
	default:
		return false;
	}
}

int plugin_redis_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			  size_t len)
{
	redis_link *l = user;

	if (!l || l->magic != LINK_MAGIC)
		return reason == LWS_CALLBACK_RAW_CONNECTED || reason == LWS_CALLBACK_RAW_RX ? -1 : 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_CONNECTED:
		on_connected(l, wsi);
		return 0;
	case LWS_CALLBACK_RAW_RX:
		return l->wsi == wsi && l->reader && in ? on_rx(l, in, len) : 0;
	case LWS_CALLBACK_RAW_WRITEABLE:
		return l->wsi == wsi ? on_writeable(l) : 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (l->wsi == wsi || !l->wsi)
			link_lost(l, "connection failed");
		return 0;
	case LWS_CALLBACK_RAW_CLOSE:
	case LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL:
		if (l->wsi == wsi || (!l->wsi && l->state != PLUGIN_REDIS_DOWN))
			link_lost(l, l->connected ? "closed" : "connection failed");
		return 0;
	default:
		return 0;
	}
}

/* ------------------------------------------------------ the hub's hooks */

static int on_publish(void *arg, const char *topic, const char *json, size_t len,
		      const char **why)
{
	plugin_redis *r = arg;
	redis_link *l = &r->pub;
	char channel[PLUGIN_REDIS_PREFIX_MAX_BYTES + GQLWS_HUB_TOPIC_MAX_BYTES + 1];
	size_t channel_len;
	const char *argv[3];
	size_t lens[3];
	char *cmd;
	size_t n;

	if (l->state != PLUGIN_REDIS_UP) {
		*why = "Redis is not connected";
		return -1;
	}
	channel_len = plugin_redis_channel(r->prefix, topic, strlen(topic), channel,
					   sizeof(channel));
	if (!channel_len) {
		*why = "the channel name is too long";
		return -1;
	}
	argv[0] = "PUBLISH";
	argv[1] = channel;
	argv[2] = json;
	lens[0] = 7;
	lens[1] = channel_len;
	lens[2] = len;
	cmd = plugin_redis_command(3, argv, lens, &n);
	if (!cmd) {
		*why = "out of memory";
		return -1;
	}
	if (l->len + n > WRITE_QUEUE_BOUND) {
		plugin_redis_command_free(cmd);
		*why = "Redis is not keeping up (16 MiB of commands not yet sent)";
		return -1;
	}
	if (queue_append(l, cmd, n)) {
		plugin_redis_command_free(cmd);
		*why = "out of memory";
		return -1;
	}
	plugin_redis_command_free(cmd);
	l->publishes_pending++;
	r->messages_out++;
	return 0;
}

static void on_topic_active(void *arg, const char *topic, bool active)
{
	plugin_redis *r = arg;
	redis_link *l = &r->sub;

	/* Before the connection, the topic is in the list that on_connected
	 * subscribes. */
	if (!l->connected)
		return;
	if (send_channel_command(l, active ? "SUBSCRIBE" : "UNSUBSCRIBE", topic)) {
		/* Cannot be queued: start again, which subscribes the
		 * topics active then. */
		lwsl_err("lws-graphql-ws: Redis: cannot %s \"%s\"; reconnecting the subscriber\n",
			 active ? "SUBSCRIBE" : "UNSUBSCRIBE", topic);
		if (l->wsi)
			lws_set_timeout(l->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
	}
}

/* ------------------------------------------------------------- lifetime */

static void link_init(plugin_redis *r, redis_link *l, const char *role, bool subscriber)
{
	l->magic = LINK_MAGIC;
	l->owner = r;
	l->role = role;
	l->subscriber = subscriber;
	l->state = PLUGIN_REDIS_DOWN;
}

plugin_redis *plugin_redis_new(const lws_gqlws_config *cfg, gqlws_hub *hub, const char *protocol,
			       char *why, size_t why_size)
{
	plugin_redis *r = calloc(1, sizeof(*r));
	char url_why[160];

	if (!r) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	if (plugin_redis_url_parse(cfg->redis, &r->url, url_why, sizeof(url_why))) {
		snprintf(why, why_size, "option \"redis\": %s", url_why);
		plugin_redis_url_free(&r->url);
		free(r);
		return NULL;
	}
	if (cfg->redis_password) {
		size_t n = strlen(cfg->redis_password);

		free(r->url.password);
		r->url.password = malloc(n + 1);
		if (r->url.password)
			memcpy(r->url.password, cfg->redis_password, n + 1);
		if (!r->url.password) {
			snprintf(why, why_size, "out of memory");
			plugin_redis_url_free(&r->url);
			free(r);
			return NULL;
		}
	}
	snprintf(r->prefix, sizeof(r->prefix), "%s", cfg->redis_prefix ? cfg->redis_prefix : "gqlws:");
	snprintf(r->protocol, sizeof(r->protocol), "%s", protocol);
	r->context = cfg->context;
	r->vhost = cfg->vhost;
	r->hub = hub;
	r->max_event_bytes = cfg->core.max_message_bytes;
	link_init(r, &r->sub, "subscriber", true);
	link_init(r, &r->pub, "publisher", false);
	gqlws_hub_set_transport(hub, on_publish, on_topic_active, r);
	/* The first connects wait for the loop: this runs in PROTOCOL_INIT,
	 * before an event library (lwsws: libuv) serves the vhost. */
	r->sub.retry_scheduled = r->pub.retry_scheduled = true;
	lws_sul_schedule(r->context, 0, &r->sub.retry_sul, on_retry, LWS_US_PER_MS);
	lws_sul_schedule(r->context, 0, &r->pub.retry_sul, on_retry, LWS_US_PER_MS);
	lwsl_notice("lws-graphql-ws: vhost \"%s\" shares topics through Redis at %s:%u (db %u, "
		    "prefix \"%s\")\n", lws_get_vhost_name(r->vhost), r->url.host, r->url.port,
		    r->url.db, r->prefix);
	return r;
}

void plugin_redis_stop(plugin_redis *r)
{
	if (!r)
		return;
	r->stopping = true;
	lws_sul_cancel(&r->sub.retry_sul);
	lws_sul_cancel(&r->pub.retry_sul);
}

static void link_destroy(redis_link *l)
{
	lws_sul_cancel(&l->retry_sul);
	/* lws tells every end of a socket (link_lost), so a wsi still here is
	 * alive: close it now, while l can still hear about it. */
	if (l->wsi)
		lws_set_timeout(l->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_SYNC);
	l->wsi = NULL;
	plugin_redis_reader_free(l->reader);
	l->reader = NULL;
	queue_reset(l);
	l->magic = 0;
}

void plugin_redis_destroy(plugin_redis *r)
{
	if (!r)
		return;
	r->stopping = true;
	gqlws_hub_set_transport(r->hub, NULL, NULL, NULL);
	link_destroy(&r->sub);
	link_destroy(&r->pub);
	plugin_redis_url_free(&r->url);
	free(r);
}

void plugin_redis_get_metrics(const plugin_redis *r, plugin_redis_metrics *out)
{
	memset(out, 0, sizeof(*out));
	out->subscriber = r->sub.state;
	out->publisher = r->pub.state;
	out->reconnects_subscriber = r->sub.reconnects;
	out->reconnects_publisher = r->pub.reconnects;
	out->channels = r->channels;
	out->messages_in = r->messages_in;
	out->messages_out = r->messages_out;
	out->dropped = r->dropped;
	out->publish_errors = r->publish_errors;
	out->write_queue_bytes = r->sub.len + r->pub.len;
}
