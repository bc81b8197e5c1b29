/*
 * redis_proto.c - Redis URLs, the reconnect schedule, channel names, and the
 * meaning of replies, over hiredis's formatter and reader. No lws, no I/O:
 * tests/unit/plugin_redis_proto.c drives it with bytes.
 */
#include "redis_proto.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

/* ------------------------------------------------------------------- URL */

static int fail(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A copy of len bytes of text with %XX decoded; NULL (and *bad set when the
 * text, not memory, is at fault) on failure. */
static char *percent_decode(const char *text, size_t len, bool *bad)
{
	char *out = malloc(len + 1);
	size_t n = 0;

	*bad = false;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '%') {
			int hi = i + 2 < len ? hex_value(text[i + 1]) : -1;
			int lo = i + 2 < len ? hex_value(text[i + 2]) : -1;

			/* NUL would cut the secret short where hiredis sends it. */
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				*bad = true;
				return NULL;
			}
			out[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[n++] = text[i];
		}
	}
	out[n] = '\0';
	return out;
}

/* A decimal number of 1 to 10 digits within [min, max]. */
static bool parse_number(const char *text, size_t len, unsigned long min, unsigned long max,
			 unsigned *out)
{
	unsigned long v = 0;

	if (!len || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(text[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

int plugin_redis_url_parse(const char *text, plugin_redis_url *out, char *why, size_t why_size)
{
	static const char scheme[] = "redis://";
	const char *p, *end, *at, *host, *host_end, *port = NULL, *path;
	size_t host_len;
	bool bad;

	memset(out, 0, sizeof(*out));
	out->port = 6379;
	if (!strncasecmp(text, "rediss://", 9))
		return fail(why, why_size,
			    "rediss:// (Redis over TLS) is not supported; use redis:// to a Redis "
			    "on a trusted network or a local TLS tunnel");
	if (strncasecmp(text, scheme, sizeof(scheme) - 1))
		return fail(why, why_size, "must start with redis://");
	p = text + sizeof(scheme) - 1;
	end = p + strlen(p);
	if (strpbrk(p, "?#"))
		return fail(why, why_size, "must have no query or fragment (?, #)");
	for (const char *q = p; q < end; q++)
		if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f)
			return fail(why, why_size, "may hold only visible ASCII characters");
	path = memchr(p, '/', (size_t)(end - p));
	if (!path)
		path = end;
	/* The password may hold '@' only percent-encoded: the last '@' before
	 * the path ends the user information. */
	at = NULL;
	for (const char *q = p; q < path; q++)
		if (*q == '@')
			at = q;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));

		if (!colon)
			return fail(why, why_size,
				    "user information must be :password@ or user:password@");
		if (colon > p) {
			out->user = percent_decode(p, (size_t)(colon - p), &bad);
			if (!out->user)
				return fail(why, why_size, bad ? "the user name has a bad %%-escape"
							       : "out of memory");
		}
		if (at - colon - 1 > PLUGIN_REDIS_SECRET_MAX_BYTES)
			return fail(why, why_size, "the password is longer than 1024 bytes");
		out->password = percent_decode(colon + 1, (size_t)(at - colon - 1), &bad);
		if (!out->password)
			return fail(why, why_size, bad ? "the password has a bad %%-escape"
						       : "out of memory");
		if (!out->password[0])
			return fail(why, why_size, "the password is empty");
		p = at + 1;
	}
	host = p;
	if (*host == '[') {
		host_end = memchr(host, ']', (size_t)(path - host));
		if (!host_end)
			return fail(why, why_size, "an IPv6 address needs its closing ]");
		host++;
		for (const char *q = host; q < host_end; q++)
			if (hex_value(*q) < 0 && *q != ':' && *q != '.')
				return fail(why, why_size, "bad IPv6 address");
		if (host_end[1] == ':')
			port = host_end + 2;
		else if (host_end + 1 != path)
			return fail(why, why_size, "unexpected text after the IPv6 address");
	} else {
		host_end = host;
		while (host_end < path && *host_end != ':')
			host_end++;
		if (host_end < path)
			port = host_end + 1;
		for (const char *q = host; q < host_end; q++)
			if (!host_char(*q))
				return fail(why, why_size, "the host has a character that is not allowed");
	}
	host_len = (size_t)(host_end - host);
	if (!host_len)
		return fail(why, why_size, "has no host");
	if (host_len > PLUGIN_REDIS_HOST_MAX_BYTES)
		return fail(why, why_size, "the host is longer than 253 bytes");
	memcpy(out->host, host, host_len);
	out->host[host_len] = '\0';
	if (port && !parse_number(port, (size_t)(path - port), 1, 65535, &out->port))
		return fail(why, why_size, "the port must be a number from 1 to 65535");
	if (path < end && path + 1 < end &&
	    !parse_number(path + 1, (size_t)(end - path - 1), 0, INT_MAX, &out->db))
		return fail(why, why_size, "the database (/db) must be a number from 0 to 2147483647");
	return 0;
}

void plugin_redis_url_free(plugin_redis_url *url)
{
	if (url->password)
		memset(url->password, 0, strlen(url->password));
	free(url->password);
	free(url->user);
	url->password = NULL;
	url->user = NULL;
}

const char *plugin_redis_prefix_invalid(const char *prefix)
{
	size_t len = strlen(prefix);

	if (len > PLUGIN_REDIS_PREFIX_MAX_BYTES)
		return "must be at most 64 bytes";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)prefix[i] <= ' ' || (unsigned char)prefix[i] >= 0x7f)
			return "may hold only visible ASCII characters, no blanks";
	return NULL;
}

/* ------------------------------------------------------------- reconnect */

uint32_t plugin_redis_backoff_ms(unsigned attempt, uint32_t random)
{
	uint32_t base = PLUGIN_REDIS_BACKOFF_FIRST_MS;

	while (attempt-- && base < PLUGIN_REDIS_BACKOFF_CAP_MS)
		base *= 2;
	if (base > PLUGIN_REDIS_BACKOFF_CAP_MS)
		base = PLUGIN_REDIS_BACKOFF_CAP_MS;
	/* The upper half: at least half the schedule's wait, never more. */
	return base / 2 + random % (base / 2 + 1);
}

/* --------------------------------------------------------------- channels */

size_t plugin_redis_channel(const char *prefix, const char *topic, size_t topic_len, char *out,
			    size_t size)
{
	size_t prefix_len = strlen(prefix);

	if (prefix_len + topic_len + 1 > size)
		return 0;
	memcpy(out, prefix, prefix_len);
	memcpy(out + prefix_len, topic, topic_len);
	out[prefix_len + topic_len] = '\0';
	return prefix_len + topic_len;
}

const char *plugin_redis_topic_of(const char *prefix, const char *channel, size_t channel_len,
				  size_t *topic_len)
{
	size_t prefix_len = strlen(prefix);

	if (channel_len <= prefix_len || memcmp(channel, prefix, prefix_len))
		return NULL;
	*topic_len = channel_len - prefix_len;
	return channel + prefix_len;
}

/* --------------------------------------------------------------- commands */

char *plugin_redis_command(int argc, const char *const *argv, const size_t *lens, size_t *len)
{
	char *cmd = NULL;
	int n = redisFormatCommandArgv(&cmd, argc, (const char **)argv, lens);

	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return cmd;
}

void plugin_redis_command_free(char *cmd)
{
	redisFreeCommand(cmd);
}

/* ---------------------------------------------------------------- replies */

/* Replies are built by hiredis's reader through these objects, so that a
 * hostile server's sizes are refused before anything is allocated for
 * them: hiredis 0.14 has no bound of its own on array lengths. */
#define REPLY_MAX_ELEMENTS 16
#define REPLY_MAX_OBJECTS 64
#define PENDING_SLACK_BYTES 65536

typedef struct reply {
	int type;        /* REDIS_REPLY_* */
	long long integer;
	char *str;
	size_t len;
	size_t elements;
	struct reply **element;
} reply;

struct plugin_redis_reader {
	redisReader *reader;
	size_t max_bulk;
	size_t objects;      /* made for the reply being read */
	reply *current;      /* the last reply handed out by next() */
	char why[160];
};

static void reply_free(void *obj)
{
	reply *r = obj;

	if (!r)
		return;
	for (size_t i = 0; i < r->elements; i++)
		reply_free(r->element[i]);
	free(r->element);
	free(r->str);
	free(r);
}

/* A new object of the task's type, attached to its parent array. */
static reply *reply_make(const redisReadTask *task, int type)
{
	plugin_redis_reader *rd = task->privdata;
	reply *r;

	if (++rd->objects > REPLY_MAX_OBJECTS) {
		snprintf(rd->why, sizeof(rd->why), "a reply of more than %d values",
			 REPLY_MAX_OBJECTS);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(rd->why, sizeof(rd->why), "out of memory");
		return NULL;
	}
	r->type = type;
	if (task->parent) {
		reply *parent = task->parent->obj;

		/* hiredis hands out indexes below the count it gave the array. */
		if (!parent || task->idx < 0 || (size_t)task->idx >= parent->elements) {
			snprintf(rd->why, sizeof(rd->why), "a malformed array");
			free(r);
			return NULL;
		}
		parent->element[task->idx] = r;
	}
	return r;
}

static void *reply_string(const redisReadTask *task, char *str, size_t len)
{
	plugin_redis_reader *rd = task->privdata;
	reply *r;

	if (len > rd->max_bulk) {
		snprintf(rd->why, sizeof(rd->why), "a string of %zu bytes (at most %zu)", len,
			 rd->max_bulk);
		return NULL;
	}
	r = reply_make(task, task->type);
	if (!r)
		return NULL;
	r->str = malloc(len + 1);
	if (!r->str) {
		snprintf(rd->why, sizeof(rd->why), "out of memory");
		if (task->parent)
			((reply *)task->parent->obj)->element[task->idx] = NULL;
		free(r);
		return NULL;
	}
	memcpy(r->str, str, len);
	r->str[len] = '\0';
	r->len = len;
	return r;
}

static void *reply_array(const redisReadTask *task, int elements)
{
	plugin_redis_reader *rd = task->privdata;
	reply *r;

	if (elements < 0 || elements > REPLY_MAX_ELEMENTS) {
		snprintf(rd->why, sizeof(rd->why), "an array of %d elements", elements);
		return NULL;
	}
	r = reply_make(task, REDIS_REPLY_ARRAY);
	if (!r)
		return NULL;
	if (elements) {
		r->element = calloc((size_t)elements, sizeof(*r->element));
		if (!r->element) {
			snprintf(rd->why, sizeof(rd->why), "out of memory");
			if (task->parent)
				((reply *)task->parent->obj)->element[task->idx] = NULL;
			free(r);
			return NULL;
		}
	}
	r->elements = (size_t)elements;
	return r;
}

static void *reply_integer(const redisReadTask *task, long long value)
{
	reply *r = reply_make(task, REDIS_REPLY_INTEGER);

	if (r)
		r->integer = value;
	return r;
}

static void *reply_nil(const redisReadTask *task)
{
	return reply_make(task, REDIS_REPLY_NIL);
}

static redisReplyObjectFunctions reply_functions = {
	reply_string, reply_array, reply_integer, reply_nil, reply_free,
};

plugin_redis_reader *plugin_redis_reader_new(size_t max_bulk)
{
	plugin_redis_reader *rd = calloc(1, sizeof(*rd));

	if (!rd)
		return NULL;
	rd->reader = redisReaderCreateWithFunctions(&reply_functions);
	if (!rd->reader) {
		free(rd);
		return NULL;
	}
	rd->reader->privdata = rd;
	rd->max_bulk = max_bulk;
	return rd;
}

void plugin_redis_reader_free(plugin_redis_reader *rd)
{
	if (!rd)
		return;
	reply_free(rd->current);
	redisReaderFree(rd->reader);
	free(rd);
}

/* Why the reader stopped: our own reason when a bound refused an object
 * (hiredis then says "Out of memory"), else hiredis's. */
static const char *reader_why(plugin_redis_reader *rd)
{
	if (!rd->why[0])
		snprintf(rd->why, sizeof(rd->why), "%s",
			 rd->reader->errstr[0] ? rd->reader->errstr : "protocol error");
	return rd->why;
}

int plugin_redis_reader_feed(plugin_redis_reader *rd, const char *bytes, size_t len,
			     const char **why)
{
	size_t pending;

	if (rd->reader->err || redisReaderFeed(rd->reader, bytes, len) != REDIS_OK) {
		*why = reader_why(rd);
		return -1;
	}
	/* What hiredis holds unread is at most one reply in the making (and
	 * what came after it): a bulk string announced as huge is refused
	 * here, long before it could be whole. */
	pending = rd->reader->len - rd->reader->pos;
	if (pending > rd->max_bulk + PENDING_SLACK_BYTES) {
		snprintf(rd->why, sizeof(rd->why),
			 "more than %zu bytes of an unfinished reply", rd->max_bulk + PENDING_SLACK_BYTES);
		rd->reader->err = REDIS_ERR_PROTOCOL;
		*why = rd->why;
		return -1;
	}
	return 0;
}

static bool is_string(const reply *r)
{
	return r && r->type == REDIS_REPLY_STRING;
}

static bool word_is(const reply *r, const char *word)
{
	return is_string(r) && r->len == strlen(word) && !strncasecmp(r->str, word, r->len);
}

static void unexpected(plugin_redis_event *ev, const char *text)
{
	ev->kind = PLUGIN_REDIS_UNEXPECTED;
	ev->text = text;
	ev->text_len = strlen(text);
}

static void classify(const reply *r, plugin_redis_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	switch (r->type) {
	case REDIS_REPLY_STATUS:
	case REDIS_REPLY_ERROR:
		ev->kind = r->type == REDIS_REPLY_STATUS ? PLUGIN_REDIS_STATUS : PLUGIN_REDIS_ERROR;
		ev->text = r->str;
		ev->text_len = r->len;
		return;
	case REDIS_REPLY_INTEGER:
		ev->kind = PLUGIN_REDIS_INTEGER;
		ev->integer = r->integer;
		return;
	case REDIS_REPLY_ARRAY:
		break;
	default:
		unexpected(ev, r->type == REDIS_REPLY_NIL ? "a nil reply" : "a bulk string reply");
		return;
	}
	if (r->elements == 3 && word_is(r->element[0], "message") && is_string(r->element[1]) &&
	    is_string(r->element[2])) {
		ev->kind = PLUGIN_REDIS_MESSAGE;
		ev->channel = r->element[1]->str;
		ev->channel_len = r->element[1]->len;
		ev->payload = r->element[2]->str;
		ev->payload_len = r->element[2]->len;
		return;
	}
	if (r->elements == 3 &&
	    (word_is(r->element[0], "subscribe") || word_is(r->element[0], "unsubscribe")) &&
	    r->element[2] && r->element[2]->type == REDIS_REPLY_INTEGER &&
	    (is_string(r->element[1]) ||
	     (r->element[1] && r->element[1]->type == REDIS_REPLY_NIL))) {
		ev->kind = word_is(r->element[0], "subscribe") ? PLUGIN_REDIS_SUBSCRIBED
							      : PLUGIN_REDIS_UNSUBSCRIBED;
		if (is_string(r->element[1])) {
			ev->channel = r->element[1]->str;
			ev->channel_len = r->element[1]->len;
		}
		ev->integer = r->element[2]->integer;
		return;
	}
	unexpected(ev, "an array that is no pub/sub message or confirmation");
}

int plugin_redis_reader_next(plugin_redis_reader *rd, plugin_redis_event *ev, const char **why)
{
	void *obj = NULL;

	reply_free(rd->current);
	rd->current = NULL;
	if (rd->reader->err || redisReaderGetReply(rd->reader, &obj) != REDIS_OK) {
		*why = reader_why(rd);
		return -1;
	}
	if (!obj)
		return 0;
	rd->objects = 0;
	rd->current = obj;
	classify(rd->current, ev);
	return 1;
}
