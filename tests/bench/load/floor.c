/*
 * floor.c - gqlws-floor: the least an lws server can do for the benchmark's
 * traffic, so that what lws and the kernel cost is known apart from ours. It
 * completes the handshake for both subprotocols, acks connection_init, and
 * answers subscribe/start with events of the demo schema's shape and size:
 * `ticks` from one shared timer, `counter` as fast as the socket drains.
 * For W5, `POST /publish/<topic>` takes an event (JSON text, not parsed) and
 * every subscription naming `bench` gets it whole as its data, so the floor
 * pays what lws costs for an HTTP publish and its fan-out (no selection, no
 * topics, no token check).
 * No GraphQL parsing, no queues: a message is recognised by its "type" only.
 */
#define _GNU_SOURCE
#include <libwebsockets.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define FLOOR_MAX_OPS 8
#define FLOOR_ID_MAX 24
#define FLOOR_EVENT_MAX 1024
#define FLOOR_FRAME_MAX (FLOOR_EVENT_MAX + 128)
#define FLOOR_RX_BYTES 1024

enum floor_op_kind { OP_NONE, OP_TICKS, OP_COUNTER, OP_HELLO, OP_BENCH };

struct floor_op {
	unsigned char kind;
	bool complete_pending;
	char id[FLOOR_ID_MAX]; /* the id's JSON text as the client sent it */
	unsigned id_len;
	unsigned value;
	unsigned limit;        /* 0: forever */
	unsigned interval_ms;  /* counter: 0 = as fast as the socket drains */
	unsigned long long next_due_us;
	unsigned tick_seq_sent;
	unsigned event_seq_sent; /* OP_BENCH: the last published event it got */
};

struct floor_pss {
	bool modern;
	bool ack_pending;
	bool pong_pending;
	bool terminate;
	struct floor_op ops[FLOOR_MAX_OPS];
};

/* One server-wide ticker shared by every subscriber of both protocols. */
static struct {
	struct lws_context *context;
	lws_sorted_usec_list_t sul;
	unsigned tick_ms;
	unsigned seq;
	char at[32];
	volatile sig_atomic_t interrupted;
} ticker;

/* The last event published over HTTP (W5), shared by every OP_BENCH. */
static struct {
	unsigned seq;
	size_t len;
	char json[FLOOR_EVENT_MAX];
} published;

/* An HTTP publish request's body as it arrives. */
struct floor_http_pss {
	bool publishing;
	bool too_large;
	size_t len;
	char body[FLOOR_EVENT_MAX];
};

static const struct lws_protocols *floor_protocols_ptr;

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000;
}

/* Milliseconds since the epoch with microseconds, as a JSON number with the
 * length our server's %.17g gives it (18 characters in this century). */
static void format_at(char *out, size_t cap)
{
	snprintf(out, cap, "%.4f", (double)now_us() / 1000.0);
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
	ticker.seq++;
	format_at(ticker.at, sizeof(ticker.at));
	lws_callback_on_writable_all_protocol(ticker.context, &floor_protocols_ptr[1]);
	lws_callback_on_writable_all_protocol(ticker.context, &floor_protocols_ptr[2]);
	lws_sul_schedule(ticker.context, 0, sul, on_tick, (lws_usec_t)ticker.tick_ms * 1000);
}

/* The value after `"key":` in buf, spaces skipped, or NULL. */
static const char *find_value(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i + klen < len; i++) {
		if (buf[i] == key[0] && !memcmp(buf + i, key, klen)) {
			i += klen;
			while (i < len && buf[i] == ' ')
				i++;
			return i < len ? buf + i : NULL;
		}
	}
	return NULL;
}

static bool type_is(const char *t, const char *end, const char *name)
{
	size_t n = strlen(name);

	return t && (size_t)(end - t) > n + 1 && t[0] == '"' && !memcmp(t + 1, name, n) &&
	       t[n + 1] == '"';
}

/* The id's JSON token (a string with its quotes, or a number). */
static bool read_id(const char *buf, size_t len, char *id, unsigned *id_len)
{
	const char *v = find_value(buf, len, "\"id\":");
	const char *end = buf + len, *e;

	if (!v)
		return false;
	e = v;
	if (*e == '"') {
		e++;
		while (e < end && *e != '"')
			e++;
		e++;
	} else {
		while (e < end && *e >= '0' && *e <= '9')
			e++;
	}
	if (e > end || e == v || (size_t)(e - v) >= FLOOR_ID_MAX)
		return false;
	memcpy(id, v, (size_t)(e - v));
	*id_len = (unsigned)(e - v);
	return true;
}

static unsigned read_arg(const char *buf, size_t len, const char *name, unsigned dflt)
{
	const char *v = find_value(buf, len, name);

	return v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

static struct floor_op *find_op(struct floor_pss *pss, const char *id, unsigned id_len)
{
	for (int i = 0; i < FLOOR_MAX_OPS; i++)
		if (pss->ops[i].kind != OP_NONE && pss->ops[i].id_len == id_len &&
		    !memcmp(pss->ops[i].id, id, id_len))
			return &pss->ops[i];
	return NULL;
}

static void start_op(struct floor_pss *pss, const char *buf, size_t len)
{
	char id[FLOOR_ID_MAX];
	unsigned id_len;
	struct floor_op *op;

	if (!read_id(buf, len, id, &id_len))
		return;
	op = find_op(pss, id, id_len);
	for (int i = 0; !op && i < FLOOR_MAX_OPS; i++)
		if (pss->ops[i].kind == OP_NONE)
			op = &pss->ops[i];
	if (!op)
		return;
	memset(op, 0, sizeof(*op));
	memcpy(op->id, id, id_len);
	op->id_len = id_len;
	/* The query is escaped JSON inside the message; a field name is enough
	 * to tell the demo operations apart. */
	if (find_value(buf, len, "bench")) {
		op->kind = OP_BENCH;
		op->event_seq_sent = published.seq;
	} else if (find_value(buf, len, "ticks")) {
		op->kind = OP_TICKS;
		op->tick_seq_sent = ticker.seq;
	} else if (find_value(buf, len, "counter")) {
		op->kind = OP_COUNTER;
		/* The arguments look like limit: 5 in the query text. */
		op->limit = read_arg(buf, len, "limit:", 0);
		op->interval_ms = read_arg(buf, len, "intervalMs:", 1000);
		op->next_due_us = now_us();
	} else {
		op->kind = OP_HELLO;
	}
}

static void on_message(struct lws *wsi, struct floor_pss *pss, const char *buf, size_t len)
{
	const char *end = buf + len;
	const char *t = find_value(buf, len, "\"type\":");

	if (type_is(t, end, "connection_init")) {
		pss->ack_pending = true;
	} else if (type_is(t, end, pss->modern ? "subscribe" : "start")) {
		start_op(pss, buf, len);
	} else if (type_is(t, end, pss->modern ? "complete" : "stop")) {
		char id[FLOOR_ID_MAX];
		unsigned id_len;
		struct floor_op *op;

		if (read_id(buf, len, id, &id_len) && (op = find_op(pss, id, id_len))) {
			op->kind = OP_NONE;
			if (!pss->modern) { /* legacy answers a stop with complete */
				op->kind = OP_HELLO;
				op->complete_pending = true;
			}
		}
	} else if (type_is(t, end, "ping")) {
		pss->pong_pending = true;
	} else if (type_is(t, end, "connection_terminate")) {
		pss->terminate = true;
	}
	lws_callback_on_writable(wsi);
}

/* Formats the next frame this connection owes, if any, into out. */
static int next_frame(struct floor_pss *pss, char *out, size_t cap, bool *more)
{
	unsigned long long now = 0;

	*more = false;
	if (pss->ack_pending) {
		pss->ack_pending = false;
		return snprintf(out, cap, "{\"type\":\"connection_ack\"}");
	}
	if (pss->pong_pending) {
		pss->pong_pending = false;
		return snprintf(out, cap, "{\"type\":\"pong\"}");
	}
	for (int i = 0; i < FLOOR_MAX_OPS; i++) {
		struct floor_op *op = &pss->ops[i];
		int n = 0;

		switch (op->kind) {
		case OP_TICKS:
			if (op->tick_seq_sent == ticker.seq)
				continue;
			op->tick_seq_sent = ticker.seq;
			n = pss->modern
				    ? snprintf(out, cap,
					       "{\"id\":%.*s,\"type\":\"next\",\"payload\":{\"data\":"
					       "{\"ticks\":{\"seq\":%u,\"at\":%s}}}}",
					       (int)op->id_len, op->id, ticker.seq, ticker.at)
				    : snprintf(out, cap,
					       "{\"type\":\"data\",\"id\":%.*s,\"payload\":{\"data\":"
					       "{\"ticks\":{\"seq\":%u,\"at\":%s}}}}",
					       (int)op->id_len, op->id, ticker.seq, ticker.at);
			break;
		case OP_BENCH:
			if (op->event_seq_sent == published.seq)
				continue;
			op->event_seq_sent = published.seq;
			n = pss->modern
				    ? snprintf(out, cap,
					       "{\"id\":%.*s,\"type\":\"next\",\"payload\":{\"data\":"
					       "{\"bench\":%.*s}}}",
					       (int)op->id_len, op->id, (int)published.len, published.json)
				    : snprintf(out, cap,
					       "{\"type\":\"data\",\"id\":%.*s,\"payload\":{\"data\":"
					       "{\"bench\":%.*s}}}",
					       (int)op->id_len, op->id, (int)published.len, published.json);
			break;
		case OP_COUNTER: {
			char at[32];

			if (op->complete_pending)
				goto complete;
			if (!now)
				now = now_us();
			if (op->interval_ms && now < op->next_due_us)
				continue;
			format_at(at, sizeof(at));
			n = pss->modern
				    ? snprintf(out, cap,
					       "{\"id\":%.*s,\"type\":\"next\",\"payload\":{\"data\":"
					       "{\"counter\":{\"value\":%u,\"at\":%s}}}}",
					       (int)op->id_len, op->id, op->value, at)
				    : snprintf(out, cap,
					       "{\"type\":\"data\",\"id\":%.*s,\"payload\":{\"data\":"
					       "{\"counter\":{\"value\":%u,\"at\":%s}}}}",
					       (int)op->id_len, op->id, op->value, at);
			op->value++;
			op->next_due_us += (unsigned long long)op->interval_ms * 1000;
			if (op->limit && op->value >= op->limit)
				op->complete_pending = true;
			*more = !op->interval_ms || op->complete_pending;
			break;
		}
		case OP_HELLO:
			if (!op->complete_pending) {
				op->complete_pending = true;
				n = snprintf(out, cap,
					     pss->modern ? "{\"id\":%.*s,\"type\":\"next\",\"payload\":"
							   "{\"data\":{\"hello\":\"world\"}}}"
							 : "{\"type\":\"data\",\"id\":%.*s,\"payload\":"
							   "{\"data\":{\"hello\":\"world\"}}}",
					     (int)op->id_len, op->id);
				*more = true;
				break;
			}
complete:
			n = snprintf(out, cap,
				     pss->modern ? "{\"id\":%.*s,\"type\":\"complete\"}"
						 : "{\"type\":\"complete\",\"id\":%.*s}",
				     (int)op->id_len, op->id);
			op->kind = OP_NONE;
			break;
		default:
			continue;
		}
		/* Whatever else is owed goes in the next writeable callback. */
		for (int j = i + 1; j < FLOOR_MAX_OPS && !*more; j++)
			*more = pss->ops[j].kind == OP_HELLO ||
				(pss->ops[j].kind == OP_TICKS && pss->ops[j].tick_seq_sent != ticker.seq) ||
				(pss->ops[j].kind == OP_BENCH && pss->ops[j].event_seq_sent != published.seq) ||
				(pss->ops[j].kind == OP_COUNTER && !pss->ops[j].interval_ms);
		return n;
	}
	return 0;
}

static bool has_timed_counter(const struct floor_pss *pss, unsigned long long *due)
{
	bool any = false;

	for (int i = 0; i < FLOOR_MAX_OPS; i++)
		if (pss->ops[i].kind == OP_COUNTER && pss->ops[i].interval_ms &&
		    !pss->ops[i].complete_pending) {
			if (!any || pss->ops[i].next_due_us < *due)
				*due = pss->ops[i].next_due_us;
			any = true;
		}
	return any;
}

static int floor_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			  void *in, size_t len)
{
	struct floor_pss *pss = user;
	unsigned char buf[LWS_PRE + FLOOR_FRAME_MAX];
	unsigned long long due = 0;
	bool more;
	int n;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(pss, 0, sizeof(*pss));
		pss->modern = lws_get_protocol(wsi)->id == 2;
		break;
	case LWS_CALLBACK_RECEIVE:
		if (lws_is_first_fragment(wsi) && lws_is_final_fragment(wsi))
			on_message(wsi, pss, in, len);
		break;
	case LWS_CALLBACK_TIMER:
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (pss->terminate) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, NULL, 0);
			return -1;
		}
		n = next_frame(pss, (char *)buf + LWS_PRE, FLOOR_FRAME_MAX, &more);
		if (n > 0 && lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_TEXT) < n)
			return -1;
		if (more || pss->ack_pending || pss->pong_pending)
			lws_callback_on_writable(wsi);
		else if (has_timed_counter(pss, &due)) {
			unsigned long long now = now_us();

			lws_set_timer_usecs(wsi, due > now ? (lws_usec_t)(due - now) : 1);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* Answers an HTTP request with status and a short JSON body, keeping the
 * connection for the next request (the publisher's keep-alive). */
static int http_answer(struct lws *wsi, unsigned status, const char *body)
{
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start,
					  *end = buf + sizeof(buf) - 1;
	size_t len = strlen(body);

	if (lws_add_http_common_headers(wsi, status, "application/json", len, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	memcpy(start, body, len);
	if (lws_write(wsi, start, len, LWS_WRITE_HTTP_FINAL) < (int)len)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* protocols[0]: POST /publish/<topic> (W5); anything else as lws's dummy. */
static int floor_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		      size_t len)
{
	struct floor_http_pss *pss = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (strncmp(in, "/publish/", 9))
			break;
		if (!lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI))
			return http_answer(wsi, 405, "{\"error\":\"POST only\"}");
		pss->publishing = true;
		pss->too_large = false;
		pss->len = 0;
		return 0; /* the body follows */
	case LWS_CALLBACK_HTTP_BODY:
		if (!pss->publishing)
			break;
		if (pss->len + len > sizeof(pss->body))
			pss->too_large = true;
		else {
			memcpy(pss->body + pss->len, in, len);
			pss->len += len;
		}
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (!pss->publishing)
			break;
		pss->publishing = false;
		if (pss->too_large || !pss->len)
			return http_answer(wsi, 413, "{\"error\":\"event too large or empty\"}");
		memcpy(published.json, pss->body, pss->len);
		published.len = pss->len;
		published.seq++;
		lws_callback_on_writable_all_protocol(ticker.context, &floor_protocols_ptr[1]);
		lws_callback_on_writable_all_protocol(ticker.context, &floor_protocols_ptr[2]);
		return http_answer(wsi, 202, "{}");
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols floor_protocols[] = {
	{ "http-only", floor_http, sizeof(struct floor_http_pss), 0, 0, NULL, 0 },
	{ "graphql-ws", floor_callback, sizeof(struct floor_pss), FLOOR_RX_BYTES, 1, NULL, 0 },
	{ "graphql-transport-ws", floor_callback, sizeof(struct floor_pss), FLOOR_RX_BYTES, 2, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static bool floor_uv;

static void on_signal(int sig)
{
	(void)sig;
	/* lws_service() runs the libuv loop until it is stopped, and the floor
	 * owns nothing worth tearing down: leave at once. */
	if (floor_uv)
		_exit(0);
	ticker.interrupted = 1;
	if (ticker.context)
		lws_cancel_service(ticker.context);
}

static void usage(void)
{
	fprintf(stderr, "usage: gqlws-floor [--port N] [--interface ADDR] [--loop poll|uv] "
			"[--tick-ms T]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	const char *iface = "127.0.0.1";
	bool uv = false;
	int port = 7800, n = 0;
	struct rlimit rl;

	ticker.tick_ms = 1000;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--interface"))
			iface = argv[++i];
		else if (!strcmp(argv[i], "--tick-ms"))
			ticker.tick_ms = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--loop")) {
			i++;
			if (!strcmp(argv[i], "uv"))
				uv = true;
			else if (strcmp(argv[i], "poll"))
				usage();
		} else
			usage();
	}
	if (!ticker.tick_ms)
		usage();
	/* 10,000 clients need more descriptors than the default soft limit. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = iface;
	info.protocols = floor_protocols;
	floor_protocols_ptr = floor_protocols;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_DISABLE_IPV6 |
		       (uv ? LWS_SERVER_OPTION_LIBUV : 0);
	floor_uv = uv;
	ticker.context = lws_create_context(&info);
	if (!ticker.context) {
		fprintf(stderr, "gqlws-floor: context creation failed\n");
		return 1;
	}
	/* After the context: the libuv loop installs handlers of its own. */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	format_at(ticker.at, sizeof(ticker.at));
	lws_sul_schedule(ticker.context, 0, &ticker.sul, on_tick, (lws_usec_t)ticker.tick_ms * 1000);
	printf("gqlws-floor: listening on ws://%s:%d/ (%s loop)\n", iface, port, uv ? "libuv" : "poll");
	fflush(stdout);
	while (n >= 0 && !ticker.interrupted)
		n = lws_service(ticker.context, 0);
	lws_sul_cancel(&ticker.sul);
	lws_context_destroy(ticker.context);
	return 0;
}
