/*
 * redis_proto.h - the parts of the Redis transport that need no lws: the
 * "redis" URL, the reconnect schedule, channel names, commands (hiredis's
 * formatter) and what the replies mean (hiredis's reader, with reply
 * objects of our own so that every reply is bounded before it is built).
 * plugin_redis.c carries the bytes on lws's loop.
 */
#ifndef GQLWS_PLUGIN_REDIS_PROTO_H
#define GQLWS_PLUGIN_REDIS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------- URL */

#define PLUGIN_REDIS_HOST_MAX_BYTES 253
#define PLUGIN_REDIS_SECRET_MAX_BYTES 1024

/* redis://[[user]:password@]host[:port][/db] */
typedef struct plugin_redis_url {
	char host[PLUGIN_REDIS_HOST_MAX_BYTES + 1]; /* without the [] of an IPv6 address */
	unsigned port;                               /* default 6379 */
	unsigned db;                                 /* default 0 */
	char *user;     /* NULL: none (AUTH password); owned */
	char *password; /* NULL: no AUTH; owned (percent-decoded) */
} plugin_redis_url;

/* Parses text into *out (zeroed first). Returns 0, or -1 with a one-line
 * reason in why (never quoting the password). plugin_redis_url_free()
 * releases what it allocated, whatever it returned. */
int plugin_redis_url_parse(const char *text, plugin_redis_url *out, char *why, size_t why_size);
void plugin_redis_url_free(plugin_redis_url *url);

/* NULL when prefix (the "redis-prefix" option) is acceptable: at most 64
 * visible ASCII characters, no blanks (may be empty); else why. */
#define PLUGIN_REDIS_PREFIX_MAX_BYTES 64
const char *plugin_redis_prefix_invalid(const char *prefix);

/* ------------------------------------------------------------- reconnect */

#define PLUGIN_REDIS_BACKOFF_FIRST_MS 100u
#define PLUGIN_REDIS_BACKOFF_CAP_MS 5000u

/* The wait before reconnect attempt number `attempt` (0: the first after a
 * loss): 100 ms doubling up to 5 s, then drawn from its upper half with
 * `random` so that nodes that lost Redis together do not come back in step.
 * Always within [50, 5000] ms. */
uint32_t plugin_redis_backoff_ms(unsigned attempt, uint32_t random);

/* --------------------------------------------------------------- channels */

/* Writes prefix + topic into out (size bytes); returns its length, or 0
 * when it does not fit. */
size_t plugin_redis_channel(const char *prefix, const char *topic, size_t topic_len, char *out,
			    size_t size);

/* The topic a channel carries (a pointer into channel), or NULL when the
 * channel is not prefix + something. */
const char *plugin_redis_topic_of(const char *prefix, const char *channel, size_t channel_len,
				  size_t *topic_len);

/* --------------------------------------------------------------- commands */

/* One command in RESP (hiredis's redisFormatCommandArgv): argc arguments
 * of the given lengths. Returns the text (release it with
 * plugin_redis_command_free) and its length in *len; NULL when out of memory. */
char *plugin_redis_command(int argc, const char *const *argv, const size_t *lens, size_t *len);
void plugin_redis_command_free(char *cmd);

/* ---------------------------------------------------------------- replies */

typedef enum plugin_redis_event_kind {
	PLUGIN_REDIS_MESSAGE = 1,  /* ["message", channel, payload] */
	PLUGIN_REDIS_SUBSCRIBED,   /* ["subscribe", channel, count] */
	PLUGIN_REDIS_UNSUBSCRIBED, /* ["unsubscribe", channel or nil, count] */
	PLUGIN_REDIS_STATUS,       /* +text */
	PLUGIN_REDIS_ERROR,        /* -text */
	PLUGIN_REDIS_INTEGER,      /* :n */
	PLUGIN_REDIS_UNEXPECTED,   /* any other shape (text says which) */
} plugin_redis_event_kind;

/* One reply, read. Pointers stay valid until the next call on the reader. */
typedef struct plugin_redis_event {
	plugin_redis_event_kind kind;
	const char *channel;  /* MESSAGE, (UN)SUBSCRIBED (NULL: nil) */
	size_t channel_len;
	const char *payload;  /* MESSAGE */
	size_t payload_len;
	const char *text;     /* STATUS, ERROR, UNEXPECTED (a description) */
	size_t text_len;
	long long integer;    /* INTEGER; (UN)SUBSCRIBED: the server's count */
} plugin_redis_event;

typedef struct plugin_redis_reader plugin_redis_reader;

/* A reader whose bulk strings are at most max_bulk bytes; bytes fed but not
 * yet read may hold at most one reply of that size plus 64 KiB. NULL when
 * out of memory. */
plugin_redis_reader *plugin_redis_reader_new(size_t max_bulk);
void plugin_redis_reader_free(plugin_redis_reader *r);

/* Feeds len bytes. Returns 0, or -1 with *why (lasting until the next
 * call) when the server broke the protocol or a bound; the connection
 * must then be dropped (the reader is useless afterwards). */
int plugin_redis_reader_feed(plugin_redis_reader *r, const char *bytes, size_t len,
			     const char **why);

/* The next whole reply: 1 with *ev, 0 when more bytes are needed, -1 with
 * *why as for feed. */
int plugin_redis_reader_next(plugin_redis_reader *r, plugin_redis_event *ev, const char **why);

#endif /* GQLWS_PLUGIN_REDIS_PROTO_H */
