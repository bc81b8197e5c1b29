/*
 * loadgen.c - gqlws-loadgen: many GraphQL-over-WebSocket clients in one
 * single-threaded epoll process, cheap enough per message to share two cores
 * with the server it measures. Prints one JSON line of results.
 *
 * Modes: "subscribe" opens N connections, subscribes K operations on each,
 * waits until every connection has seen an event, then measures a window;
 * "churn" runs N concurrent loops of connect, init, ack, subscribe, first
 * result, close, and counts full cycles.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "latency.h"
#include "proc_stat.h"
#include "publisher.h"
#include "syscall_count.h"
#include "ws_wire.h"

#define PROTO_MODERN "graphql-transport-ws"
#define PROTO_LEGACY "graphql-ws"

#define READ_BUF_BYTES (256 * 1024)
#define MAX_MESSAGE_BYTES (1024 * 1024)
#define MAX_HTTP_ANSWER 8192
#define HANDSHAKE_TIMEOUT_S 15.0
#define CLOSE_TIMEOUT_S 3.0
#define MAX_QUERY_BYTES 4096
/* --query may be given this many times: connection i runs query i mod count. */
#define MAX_QUERIES 8

enum conn_state { ST_FREE, ST_CONNECTING, ST_UPGRADING, ST_WAIT_ACK, ST_ACTIVE, ST_CLOSING };
enum phase { PH_RAMP, PH_WARMUP, PH_WINDOW, PH_SYSCALLS };

struct conn {
	int fd;
	uint8_t state;
	bool got_event;
	bool assembling;     /* inside a fragmented message */
	bool want_out;       /* EPOLLOUT registered */
	bool stalled;        /* --stall: no longer read (its socket fills up) */
	unsigned char msg_opcode;
	char key[WS_KEY_LEN + 1];
	double t_start;      /* monotonic seconds: connect time */
	double t_close;      /* monotonic seconds: when our close frame went out */
	unsigned char *in;   /* bytes of an incomplete frame or HTTP answer */
	size_t in_len, in_cap;
	unsigned char *msg;  /* a fragmented message being assembled */
	size_t msg_len, msg_cap;
	unsigned char *out;  /* bytes the kernel did not take yet */
	size_t out_len, out_cap;
};

struct config {
	char host[256];
	char host_port[300];
	char path[512];
	struct sockaddr_in dest;
	const char *protocol;
	bool modern;
	bool churn;
	unsigned connections;
	unsigned ops;
	const char *queries[MAX_QUERIES];
	unsigned query_count;
	double duration_s;
	uint64_t messages;
	unsigned sources;
	unsigned inflight_max;
	double warmup_s;
	double ramp_timeout_s;
	pid_t server_pid;
	double syscalls_s;        /* after the window: count the server's syscalls this long */
	const char *syscall_tool; /* "perf" or "strace" */
	bool quiet;
	double interval_s; /* > 0: a sample line every interval_s of the window */
	unsigned stall_pct; /* --stall: this percentage of connections stop reading */
	/* --publish (W5): POST events to this URL at a steady rate. */
	const char *publish_url;
	const char *publish_token;
	const char *publish_event;
	double publish_ms;
};

struct stats {
	uint64_t connected, failed, protocol_errors, server_closes;
	uint64_t messages, bytes, cycles;
	uint64_t sys_messages, sys_cycles; /* in the syscall window (--syscalls) */
	struct latency lat;  /* from the events' "at" (subscribe mode) */
	struct latency cycle; /* full cycle times (churn mode) */
};

static struct config cfg;
static struct stats st;
/* --interval: what the current interval saw, reset by each sample line. */
static struct latency interval_lat;
static uint64_t interval_messages;
static unsigned stalled_count; /* --stall: connections that stopped reading */
static struct conn *conns;
static int epfd;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static unsigned char read_buf[READ_BUF_BYTES];
static enum phase phase = PH_RAMP;
static unsigned inflight;      /* connections not yet acknowledged */
static unsigned opened;        /* subscribe mode: connections started so far */
static unsigned ready;         /* subscribe mode: connections that saw an event */
static char init_msg[64];
static size_t init_len;
/* The subscribe message after its id, one per --query. */
static char *sub_suffix[MAX_QUERIES];
static size_t sub_suffix_len[MAX_QUERIES];
static struct publisher pub;   /* --publish */
static bool publishing;
/* SIGINT or SIGTERM: the window ends now and is reported (W6's publisher
 * runs until the subscribers' load generators are done). */
static volatile sig_atomic_t stop_requested;
static unsigned errors_logged;

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void log_error(const char *what)
{
	if (errors_logged < 5 && !cfg.quiet)
		fprintf(stderr, "gqlws-loadgen: %s\n", what);
	errors_logged++;
}

static void protocol_error(const char *what)
{
	st.protocol_errors++;
	log_error(what);
}

static bool grow(unsigned char **buf, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 256;
	unsigned char *nb;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	nb = realloc(*buf, ncap);
	if (!nb)
		return false;
	*buf = nb;
	*cap = ncap;
	return true;
}

static void set_out_interest(struct conn *c, bool want)
{
	struct epoll_event ev = { .events = (c->stalled ? 0 : EPOLLIN) | (want ? EPOLLOUT : 0),
				  .data.ptr = c };

	if (c->want_out == want)
		return;
	c->want_out = want;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void conn_release(struct conn *c)
{
	if (c->state == ST_CONNECTING || c->state == ST_UPGRADING || c->state == ST_WAIT_ACK)
		inflight--;
	close(c->fd);
	free(c->in);
	free(c->msg);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->state = ST_FREE;
}

/* A connection that was never acknowledged counts as failed; one that was
 * and then broke counts as a protocol error. */
static void conn_fail(struct conn *c, const char *why)
{
	if (c->state == ST_CONNECTING || c->state == ST_UPGRADING || c->state == ST_WAIT_ACK) {
		st.failed++;
		log_error(why);
	} else if (c->state != ST_CLOSING) {
		protocol_error(why);
	}
	conn_release(c);
}

/* Sends bytes as they are, keeping what the kernel refuses for EPOLLOUT.
 * Returns false when the connection had to be dropped. */
static bool conn_write(struct conn *c, const unsigned char *data, size_t len)
{
	ssize_t n = 0;

	if (!c->out_len) {
		n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				conn_fail(c, "send failed");
				return false;
			}
			n = 0;
		}
		if ((size_t)n == len)
			return true;
	}
	if (!grow(&c->out, &c->out_cap, c->out_len + len - (size_t)n)) {
		conn_fail(c, "out of memory");
		return false;
	}
	memcpy(c->out + c->out_len, data + n, len - (size_t)n);
	c->out_len += len - (size_t)n;
	set_out_interest(c, true);
	return true;
}

static bool conn_send_frame(struct conn *c, enum ws_opcode op, const void *payload, size_t len)
{
	unsigned char frame[WS_CLIENT_HEADER_MAX + MAX_QUERY_BYTES + 128];
	unsigned char mask[4];
	size_t hl;

	if (len > sizeof(frame) - WS_CLIENT_HEADER_MAX)
		return false;
	hl = ws_client_header(frame, op, len, mask, &rng);
	memcpy(frame + hl, payload, len);
	ws_mask(frame + hl, len, mask);
	return conn_write(c, frame, hl + len);
}

static bool send_subscribe(struct conn *c, unsigned id)
{
	char msg[MAX_QUERY_BYTES + 128];
	int n = snprintf(msg, sizeof(msg), "{\"id\":\"%u\",", id);
	/* Connections take the queries in turn, so each has its share. */
	unsigned q = (unsigned)(c - conns) % cfg.query_count;

	memcpy(msg + n, sub_suffix[q], sub_suffix_len[q]);
	return conn_send_frame(c, WS_OP_TEXT, msg, (size_t)n + sub_suffix_len[q]);
}

static void start_close(struct conn *c)
{
	static const unsigned char normal[2] = { 0x03, 0xe8 }; /* 1000 */

	c->state = ST_CLOSING;
	c->t_close = mono_s();
	conn_send_frame(c, WS_OP_CLOSE, normal, sizeof(normal));
}

/* The value after `"key":` (spaces skipped), or NULL. */
static const char *find_value(const char *p, size_t n, const char *key, size_t key_len)
{
	const char *end = p + n;
	const char *k = memmem(p, n, key, key_len);

	if (!k)
		return NULL;
	k += key_len;
	while (k < end && *k == ' ')
		k++;
	return k < end ? k : NULL;
}

static bool type_is(const char *t, const char *end, const char *name)
{
	size_t len = strlen(name);

	return (size_t)(end - t) > len + 1 && t[0] == '"' && !memcmp(t + 1, name, len) &&
	       t[1 + len] == '"';
}

static void on_event(struct conn *c, const char *p, size_t n)
{
	if (!c->got_event) {
		c->got_event = true;
		if (!cfg.churn)
			ready++;
	}
	if (phase == PH_SYSCALLS && !cfg.churn)
		st.sys_messages++;
	if (phase == PH_WINDOW && !cfg.churn) {
		const char *at = find_value(p, n, "\"at\":", 5);

		st.messages++;
		if (at) {
			char num[40];
			size_t len = (size_t)(p + n - at) < sizeof(num) - 1 ? (size_t)(p + n - at)
									     : sizeof(num) - 1;

			memcpy(num, at, len);
			num[len] = '\0';
			double ms = wall_ms() - strtod(num, NULL);

			latency_add(&st.lat, ms);
			if (cfg.interval_s > 0)
				latency_add(&interval_lat, ms);
		}
		interval_messages++;
	}
	if (cfg.churn && c->state == ST_ACTIVE)
		start_close(c);
}

static void on_message(struct conn *c, const unsigned char *payload, size_t n, unsigned char op)
{
	const char *p = (const char *)payload;
	const char *end = p + n;
	const char *t;

	if (op != WS_OP_TEXT) {
		protocol_error("binary message from the server");
		return;
	}
	t = find_value(p, n, "\"type\":", 7);
	if (!t) {
		protocol_error("message without a type");
		return;
	}
	if (type_is(t, end, cfg.modern ? "next" : "data")) {
		on_event(c, p, n);
	} else if (type_is(t, end, "complete")) {
		/* A finished stream is restarted so the load stays constant. */
		if (!cfg.churn && c->state == ST_ACTIVE) {
			const char *id = find_value(p, n, "\"id\":", 5);

			if (id && *id == '"')
				send_subscribe(c, (unsigned)strtoul(id + 1, NULL, 10));
		}
	} else if (type_is(t, end, "connection_ack")) {
		if (c->state != ST_WAIT_ACK) {
			protocol_error("unexpected connection_ack");
			return;
		}
		c->state = ST_ACTIVE;
		inflight--;
		st.connected++;
		for (unsigned id = 1; id <= cfg.ops; id++)
			if (!send_subscribe(c, id))
				return;
	} else if (type_is(t, end, "ka") || type_is(t, end, "pong")) {
		/* keep-alive */
	} else if (type_is(t, end, "ping")) {
		static const char pong[] = "{\"type\":\"pong\"}";

		conn_send_frame(c, WS_OP_TEXT, pong, sizeof(pong) - 1);
	} else {
		char what[96];

		snprintf(what, sizeof(what), "unexpected message: %.*s", (int)(n < 70 ? n : 70), p);
		protocol_error(what);
	}
}

/* Returns false when the connection was dropped. */
static bool on_frame(struct conn *c, const struct ws_frame *f, const unsigned char *payload)
{
	size_t n = (size_t)f->payload_len;

	switch (f->opcode) {
	case WS_OP_PING:
		return conn_send_frame(c, WS_OP_PONG, payload, n);
	case WS_OP_PONG:
		return true;
	case WS_OP_CLOSE:
		if (c->state != ST_CLOSING) {
			char what[64];
			unsigned code = n >= 2 ? (unsigned)(payload[0] << 8 | payload[1]) : 0;

			snprintf(what, sizeof(what), "server closed the connection (%u)", code);
			st.server_closes++;
			protocol_error(what);
			c->state = ST_CLOSING;
			c->t_close = mono_s();
			return conn_send_frame(c, WS_OP_CLOSE, payload, n < 2 ? n : 2);
		}
		return true;
	case WS_OP_CONTINUATION:
		if (!c->assembling) {
			conn_fail(c, "continuation without a start");
			return false;
		}
		if (c->msg_len + n > MAX_MESSAGE_BYTES || !grow(&c->msg, &c->msg_cap, c->msg_len + n)) {
			conn_fail(c, "message too large");
			return false;
		}
		memcpy(c->msg + c->msg_len, payload, n);
		c->msg_len += n;
		if (f->fin) {
			c->assembling = false;
			on_message(c, c->msg, c->msg_len, c->msg_opcode);
			c->msg_len = 0;
		}
		return c->state != ST_FREE;
	default:
		if (c->assembling) {
			conn_fail(c, "new message inside a fragmented one");
			return false;
		}
		if (f->fin) {
			on_message(c, payload, n, f->opcode);
			return c->state != ST_FREE;
		}
		if (!grow(&c->msg, &c->msg_cap, n)) {
			conn_fail(c, "out of memory");
			return false;
		}
		memcpy(c->msg, payload, n);
		c->msg_len = n;
		c->msg_opcode = f->opcode;
		c->assembling = true;
		return true;
	}
}

/* Consumes whole frames (and, first, the HTTP answer) from data[0..len).
 * Returns the bytes consumed, or -1 when the connection was dropped. */
static long feed(struct conn *c, const unsigned char *data, size_t len)
{
	size_t off = 0;

	if (c->state == ST_UPGRADING) {
		long hl = ws_check_upgrade_answer((const char *)data, len, c->key, cfg.protocol);

		if (hl < 0 || (hl == 0 && len > MAX_HTTP_ANSWER)) {
			conn_fail(c, "upgrade refused or invalid");
			return -1;
		}
		if (hl == 0)
			return 0;
		off = (size_t)hl;
		c->state = ST_WAIT_ACK;
		if (!conn_write(c, (const unsigned char *)init_msg, init_len))
			return -1;
	}
	while (off < len) {
		struct ws_frame f;
		int r = ws_parse_header(data + off, len - off, &f);

		if (r < 0) {
			conn_fail(c, "invalid frame from the server");
			return -1;
		}
		if (r == 0)
			break;
		if (f.payload_len > MAX_MESSAGE_BYTES) {
			conn_fail(c, "frame too large");
			return -1;
		}
		if (len - off < f.header_len + f.payload_len)
			break;
		if (!on_frame(c, &f, data + off + f.header_len))
			return -1;
		off += f.header_len + (size_t)f.payload_len;
	}
	return (long)off;
}

static void on_eof(struct conn *c)
{
	if (c->state == ST_CLOSING) {
		if (cfg.churn && c->got_event && phase == PH_SYSCALLS)
			st.sys_cycles++;
		if (cfg.churn && c->got_event && phase == PH_WINDOW) {
			st.cycles++;
			latency_add(&st.cycle, (mono_s() - c->t_start) * 1e3);
		}
		conn_release(c);
		return;
	}
	st.server_closes += c->state == ST_ACTIVE;
	conn_fail(c, "server hung up");
}

/* --stall: from the start of the window, every connection whose index
 * modulo 100 is below the percentage stops reading, as a slow client
 * would: the server's writes to it fill the kernel's buffers, then its
 * queue. The others go on reading and are the ones measured. */
static void stall_connections(void)
{
	for (unsigned i = 0; i < cfg.connections; i++) {
		struct conn *c = &conns[i];
		struct epoll_event ev = { .events = c->want_out ? EPOLLOUT : 0, .data.ptr = c };

		if (i % 100 >= cfg.stall_pct || c->state == ST_FREE)
			continue;
		c->stalled = true;
		stalled_count++;
		epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
	}
}

static void on_readable(struct conn *c)
{
	ssize_t n = recv(c->fd, read_buf, sizeof(read_buf), MSG_DONTWAIT);
	const unsigned char *data;
	size_t len;
	long used;

	if (n == 0) {
		on_eof(c);
		return;
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		if (c->state == ST_CLOSING) {
			on_eof(c);
			return;
		}
		conn_fail(c, "recv failed");
		return;
	}
	if (phase == PH_WINDOW)
		st.bytes += (uint64_t)n;
	if (c->in_len) {
		if (!grow(&c->in, &c->in_cap, c->in_len + (size_t)n)) {
			conn_fail(c, "out of memory");
			return;
		}
		memcpy(c->in + c->in_len, read_buf, (size_t)n);
		c->in_len += (size_t)n;
		data = c->in;
		len = c->in_len;
	} else {
		data = read_buf;
		len = (size_t)n;
	}
	used = feed(c, data, len);
	if (used < 0)
		return;
	if ((size_t)used == len) {
		c->in_len = 0;
	} else if (data == c->in) {
		memmove(c->in, c->in + used, len - (size_t)used);
		c->in_len = len - (size_t)used;
	} else {
		if (!grow(&c->in, &c->in_cap, len - (size_t)used)) {
			conn_fail(c, "out of memory");
			return;
		}
		memcpy(c->in, data + used, len - (size_t)used);
		c->in_len = len - (size_t)used;
	}
}

static void on_writable(struct conn *c)
{
	if (c->state == ST_CONNECTING) {
		char req[1024];
		size_t len;
		int err = 0;
		socklen_t elen = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err) {
			conn_fail(c, strerror(err));
			return;
		}
		ws_make_key(c->key, &rng);
		len = ws_build_upgrade(req, sizeof(req), cfg.host_port, cfg.path, c->key, cfg.protocol);
		c->state = ST_UPGRADING;
		set_out_interest(c, false);
		conn_write(c, (const unsigned char *)req, len);
		return;
	}
	if (c->out_len) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_fail(c, "send failed");
			return;
		}
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	if (!c->out_len)
		set_out_interest(c, false);
}

static void conn_open(struct conn *c, unsigned index)
{
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct epoll_event ev;
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		st.failed++;
		log_error("socket() failed (descriptor limit?)");
		c->state = ST_FREE;
		return;
	}
	c->state = ST_CONNECTING;
	c->t_start = mono_s();
	inflight++;
	/* Spread the source addresses so ephemeral ports never run out; the
	 * port is chosen at connect() time, per destination. */
	src.sin_addr.s_addr = htonl(0x7f000001u + index % cfg.sources);
	setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(c->fd, (struct sockaddr *)&src, sizeof(src)) < 0) {
		conn_fail(c, "bind failed");
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&cfg.dest, sizeof(cfg.dest)) < 0 &&
	    errno != EINPROGRESS) {
		conn_fail(c, strerror(errno));
		return;
	}
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.ptr = c;
	c->want_out = true;
	epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static void check_deadlines(double now)
{
	for (unsigned i = 0; i < cfg.connections; i++) {
		struct conn *c = &conns[i];

		if ((c->state == ST_CONNECTING || c->state == ST_UPGRADING ||
		     c->state == ST_WAIT_ACK) && now - c->t_start > HANDSHAKE_TIMEOUT_S) {
			conn_fail(c, "handshake timed out");
		} else if (c->state == ST_CLOSING && now - c->t_close > CLOSE_TIMEOUT_S) {
			protocol_error("no close from the server");
			conn_release(c);
		}
	}
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The syscall window after the measured one (--syscalls), if it ran. */
struct syscall_window {
	bool ok;
	double window_s;
	uint64_t messages, cycles;
	struct syscall_counts counts;
};

static void report(double window_s, double cpu_s, const struct proc_sample *idle,
		   const struct proc_sample *s0, const struct proc_sample *s1, bool have_server,
		   double machine_busy, const struct syscall_window *sys,
		   const struct publisher_stats *pub_window)
{
	const struct latency *lat = cfg.churn ? &st.cycle : &st.lat;

	printf("{\"url\":");
	json_string(stdout, cfg.host_port);
	printf(",\"protocol\":\"%s\",\"mode\":\"%s\",\"connections\":%u,\"ops_per_connection\":%u,"
	       "\"query\":",
	       cfg.protocol, cfg.churn ? "churn" : "subscribe", cfg.connections, cfg.ops);
	json_string(stdout, cfg.queries[0]);
	if (cfg.query_count > 1) {
		printf(",\"queries\":[");
		for (unsigned q = 0; q < cfg.query_count; q++) {
			if (q)
				putchar(',');
			json_string(stdout, cfg.queries[q]);
		}
		putchar(']');
	}
	printf(",\"connected\":%llu,\"failed\":%llu,\"ready\":%u,\"window_s\":%.3f,"
	       "\"messages\":%llu,\"messages_per_s\":%.1f,\"cycles\":%llu,\"cycles_per_s\":%.1f,"
	       "\"latency_kind\":\"%s\",\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
	       "\"bytes_received\":%llu,\"protocol_errors\":%llu,\"server_closes\":%llu,"
	       "\"loadgen_cpu_s\":%.3f,\"machine_busy\":%.3f",
	       (unsigned long long)st.connected, (unsigned long long)st.failed, ready, window_s,
	       (unsigned long long)st.messages, st.messages / window_s,
	       (unsigned long long)st.cycles, st.cycles / window_s,
	       cfg.churn ? "cycle" : "event_at", latency_quantile(lat, 0.5),
	       latency_quantile(lat, 0.99), lat->max_ms, (unsigned long long)st.bytes,
	       (unsigned long long)st.protocol_errors, (unsigned long long)st.server_closes, cpu_s,
	       machine_busy);
	if (have_server)
		printf(",\"server\":{\"pid\":%d,\"cpu_s\":%.3f,\"user_s\":%.3f,\"sys_s\":%.3f,"
		       "\"rss_kib_idle\":%ld,\"rss_kib_start\":%ld,\"rss_kib_end\":%ld}",
		       (int)cfg.server_pid, s1->cpu_s - s0->cpu_s, s1->user_s - s0->user_s,
		       s1->sys_s - s0->sys_s, idle->rss_kib, s0->rss_kib, s1->rss_kib);
	if (sys->ok)
		printf(",\"syscalls\":{\"tool\":\"%s\",\"window_s\":%.3f,\"messages\":%llu,"
		       "\"cycles\":%llu,\"total\":%llu,\"epoll_ctl\":%llu,\"send\":%llu,"
		       "\"recv\":%llu,\"wait\":%llu}",
		       cfg.syscall_tool, sys->window_s, (unsigned long long)sys->messages,
		       (unsigned long long)sys->cycles, (unsigned long long)sys->counts.total,
		       (unsigned long long)sys->counts.epoll_ctl, (unsigned long long)sys->counts.send,
		       (unsigned long long)sys->counts.recv, (unsigned long long)sys->counts.wait);
	if (publishing)
		publisher_report(&pub, pub_window, stdout);
	printf("}\n");
	fflush(stdout);
}

/* One line per interval of the window (--interval): delivered rate, latency,
 * and the server's memory and CPU over that interval, so that a run shows
 * how they move over time (tests/bench/overload.sh). */
static void report_interval(double t, double span_s, struct proc_sample *prev, bool have_server)
{
	struct proc_sample now = { 0 };
	bool sampled = have_server && proc_sample_read(cfg.server_pid, &now);

	printf("{\"sample\":true,\"t_s\":%.1f,\"messages_per_s\":%.1f,"
	       "\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
	       "\"open\":%llu,\"stalled\":%u,\"server_closes\":%llu",
	       t, interval_messages / span_s, latency_quantile(&interval_lat, 0.5),
	       latency_quantile(&interval_lat, 0.99), interval_lat.max_ms,
	       (unsigned long long)(st.connected - st.server_closes - stalled_count), stalled_count,
	       (unsigned long long)st.server_closes);
	if (sampled)
		printf(",\"server\":{\"rss_kib\":%ld,\"cpu\":%.3f}", now.rss_kib,
		       (now.cpu_s - prev->cpu_s) / span_s);
	printf("}\n");
	fflush(stdout);
	if (sampled)
		*prev = now;
	interval_messages = 0;
	latency_reset(&interval_lat);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gqlws-loadgen --url ws://127.0.0.1:PORT/ [options]\n"
		"  --protocol P      graphql-transport-ws (or: modern) | graphql-ws (or: legacy)\n"
		"  --connections N   concurrent connections (default 10); 0 with --publish:\n"
		"                    publish only, until --duration ends or SIGINT/SIGTERM\n"
		"  --ops K           operations per connection (default 1)\n"
		"  --query Q         GraphQL document (default: subscription { ticks { seq at } });\n"
		"                    given up to 8 times, connection i runs query i mod count\n"
		"  --duration S      measured window in seconds (default 5)\n"
		"  --messages M      end the window after M events instead\n"
		"  --interval S      also print a sample line every S seconds of the window\n"
		"                    (rate, latency, server RSS and CPU; overload runs)\n"
		"  --stall P         P%% of the connections stop reading when the window starts\n"
		"  --mode M          subscribe (default) | churn\n"
		"  --sources K       source addresses 127.0.0.1..K (default 8)\n"
		"  --inflight H      handshakes in progress at once (default 256)\n"
		"  --warmup S        seconds between ready and the window (default 1)\n"
		"  --ramp-timeout S  give up waiting for every connection (default 60)\n"
		"  --server-pid PID  sample this process's CPU and RSS around the window\n"
		"  --syscalls S      then count the server's system calls for S more seconds\n"
		"  --syscall-tool T  perf (default: syscall tracepoints) | strace (-c -f)\n"
		"  --publish URL     also POST an event to http://IPv4:PORT/path every\n"
		"                    --publish-ms (default 1000) on one keep-alive connection\n"
		"  --publish-token T its Authorization: Bearer token\n"
		"  --publish-event J the event's JSON; $seq and $at (wall-clock ms, the\n"
		"                    send time) are replaced (default {\"seq\":$seq,\"at\":$at})\n"
		"  --quiet           no diagnostics on stderr\n");
	exit(2);
}

static void parse_url(const char *url)
{
	const char *p, *slash, *colon;
	size_t hlen;
	unsigned long port = 80;

	if (strncmp(url, "ws://", 5))
		usage();
	p = url + 5;
	slash = strchr(p, '/');
	if (!slash)
		slash = p + strlen(p);
	colon = memchr(p, ':', (size_t)(slash - p));
	hlen = (size_t)((colon ? colon : slash) - p);
	if (hlen == 0 || hlen >= sizeof(cfg.host))
		usage();
	memcpy(cfg.host, p, hlen);
	cfg.host[hlen] = '\0';
	if (colon)
		port = strtoul(colon + 1, NULL, 10);
	snprintf(cfg.host_port, sizeof(cfg.host_port), "%s:%lu", cfg.host, port);
	snprintf(cfg.path, sizeof(cfg.path), "%s", *slash ? slash : "/");
	if (!strcmp(cfg.host, "localhost"))
		strcpy(cfg.host, "127.0.0.1");
	cfg.dest.sin_family = AF_INET;
	cfg.dest.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, cfg.host, &cfg.dest.sin_addr) != 1) {
		fprintf(stderr, "gqlws-loadgen: host must be an IPv4 address\n");
		exit(2);
	}
}

/* The subscribe message of one query, after its id. */
static void build_subscribe(unsigned q)
{
	const char *query = cfg.queries[q];
	size_t qlen = strlen(query), n = 0;
	const char *head = cfg.modern ? "\"type\":\"subscribe\",\"payload\":{\"query\":\""
				      : "\"type\":\"start\",\"payload\":{\"query\":\"";
	char *out;

	if (qlen > MAX_QUERY_BYTES / 2 - 64) {
		fprintf(stderr, "gqlws-loadgen: query too long\n");
		exit(2);
	}
	out = malloc(MAX_QUERY_BYTES);
	if (!out)
		exit(1);
	n = (size_t)sprintf(out, "%s", head);
	for (size_t i = 0; i < qlen; i++) {
		char ch = query[i];

		if (ch == '"' || ch == '\\')
			out[n++] = '\\', out[n++] = ch;
		else if (ch == '\n')
			out[n++] = '\\', out[n++] = 'n';
		else if ((unsigned char)ch >= 0x20)
			out[n++] = ch;
	}
	n += (size_t)sprintf(out + n, "\"}}");
	sub_suffix[q] = out;
	sub_suffix_len[q] = n;
}

/* Builds the constant parts of the client's messages once. */
static void build_messages(void)
{
	init_len = (size_t)snprintf(init_msg, sizeof(init_msg),
				    "{\"type\":\"connection_init\",\"payload\":{}}");
	for (unsigned q = 0; q < cfg.query_count; q++)
		build_subscribe(q);
	/* The init frame is masked once and reused: any mask is a valid mask. */
	{
		unsigned char frame[sizeof(init_msg) + WS_CLIENT_HEADER_MAX], mask[4];
		size_t hl = ws_client_header(frame, WS_OP_TEXT, init_len, mask, &rng);

		memcpy(frame + hl, init_msg, init_len);
		ws_mask(frame + hl, init_len, mask);
		memcpy(init_msg, frame, hl + init_len);
		init_len += hl;
	}
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "protocol", required_argument, NULL, 'p' },
		{ "connections", required_argument, NULL, 'c' },
		{ "ops", required_argument, NULL, 'k' },
		{ "query", required_argument, NULL, 'q' },
		{ "duration", required_argument, NULL, 'd' },
		{ "messages", required_argument, NULL, 'm' },
		{ "mode", required_argument, NULL, 'M' },
		{ "sources", required_argument, NULL, 's' },
		{ "inflight", required_argument, NULL, 'i' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "ramp-timeout", required_argument, NULL, 'r' },
		{ "server-pid", required_argument, NULL, 'P' },
		{ "syscalls", required_argument, NULL, 'S' },
		{ "syscall-tool", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "interval", required_argument, NULL, 'I' },
		{ "stall", required_argument, NULL, 'X' },
		{ "publish", required_argument, NULL, 'B' },
		{ "publish-token", required_argument, NULL, 'K' },
		{ "publish-event", required_argument, NULL, 'E' },
		{ "publish-ms", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	const char *url = NULL;
	int o;

	cfg.protocol = PROTO_MODERN;
	cfg.connections = 10;
	cfg.ops = 1;
	cfg.publish_event = "{\"seq\":$seq,\"at\":$at}";
	cfg.publish_ms = 1000;
	cfg.duration_s = 5;
	cfg.sources = 8;
	cfg.inflight_max = 256;
	cfg.warmup_s = 1;
	cfg.ramp_timeout_s = 60;
	cfg.syscall_tool = "perf";
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'u': url = optarg; break;
		case 'p':
			if (!strcmp(optarg, "modern") || !strcmp(optarg, PROTO_MODERN))
				cfg.protocol = PROTO_MODERN;
			else if (!strcmp(optarg, "legacy") || !strcmp(optarg, PROTO_LEGACY))
				cfg.protocol = PROTO_LEGACY;
			else
				usage();
			break;
		case 'c': cfg.connections = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': cfg.ops = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'q':
			if (cfg.query_count == MAX_QUERIES)
				usage();
			cfg.queries[cfg.query_count++] = optarg;
			break;
		case 'd': cfg.duration_s = strtod(optarg, NULL); break;
		case 'm': cfg.messages = strtoull(optarg, NULL, 10); break;
		case 'M':
			if (!strcmp(optarg, "churn"))
				cfg.churn = true;
			else if (strcmp(optarg, "subscribe"))
				usage();
			break;
		case 's': cfg.sources = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': cfg.inflight_max = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': cfg.warmup_s = strtod(optarg, NULL); break;
		case 'r': cfg.ramp_timeout_s = strtod(optarg, NULL); break;
		case 'P': cfg.server_pid = (pid_t)strtol(optarg, NULL, 10); break;
		case 'S': cfg.syscalls_s = strtod(optarg, NULL); break;
		case 'T':
			if (strcmp(optarg, "perf") && strcmp(optarg, "strace"))
				usage();
			cfg.syscall_tool = optarg;
			break;
		case 'Q': cfg.quiet = true; break;
		case 'I': cfg.interval_s = strtod(optarg, NULL); break;
		case 'X': cfg.stall_pct = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'B': cfg.publish_url = optarg; break;
		case 'K': cfg.publish_token = optarg; break;
		case 'E': cfg.publish_event = optarg; break;
		case 'R': cfg.publish_ms = strtod(optarg, NULL); break;
		default: usage();
		}
	}
	if (!url || (!cfg.connections && !cfg.publish_url) || !cfg.ops || cfg.ops > 10000 || !cfg.sources ||
	    cfg.stall_pct > 100 ||
	    cfg.sources > 250 || !cfg.inflight_max || cfg.duration_s <= 0)
		usage();
	if (!cfg.query_count)
		cfg.queries[cfg.query_count++] = "subscription { ticks { seq at } }";
	cfg.modern = !strcmp(cfg.protocol, PROTO_MODERN);
	parse_url(url);
}

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < cfg.connections + 16)
		fprintf(stderr, "gqlws-loadgen: only %llu descriptors for %u connections\n",
			(unsigned long long)rl.rlim_cur, cfg.connections);
}

int main(int argc, char **argv)
{
	struct epoll_event evs[1024];
	struct proc_sample idle = { 0 }, s0 = { 0 }, s1 = { 0 };
	bool have_server = false;
	double t0, now, ramp_end, warm_end = 0, win_start = 0, win_end = 0, last_scan = 0;
	double cpu0 = 0, cpu = 0, busy = -1, window_s = 0, sys_end = 0, next_sample = 0, last_sample = 0;
	struct machine_sample m0 = { 0 }, m1 = { 0 };
	struct proc_sample sample_prev = { 0 };
	struct syscall_counter counter;
	struct syscall_window sys = { 0 };
	struct publisher_stats pub0 = { 0 }, pub_window = { 0 };

	parse_args(argc, argv);
	raise_fd_limit();
	{
		/* No SA_RESTART: epoll_wait returns at once with EINTR. */
		struct sigaction sa = { .sa_handler = on_stop_signal };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	build_messages();
	rng ^= (uint64_t)getpid() << 32 ^ (uint64_t)wall_ms();
	conns = calloc(cfg.connections, sizeof(*conns));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || epfd < 0)
		return 1;
	for (unsigned i = 0; i < cfg.connections; i++)
		conns[i].fd = -1;
	if (cfg.server_pid)
		have_server = proc_sample_read(cfg.server_pid, &idle);
	t0 = mono_s();
	/* The publisher starts with the clients: they are ready when an event
	 * reached them, which needs events during the ramp. */
	if (cfg.publish_url) {
		if (!publisher_init(&pub, epfd, cfg.publish_url, cfg.publish_token, cfg.publish_event,
				    cfg.publish_ms, t0, cfg.quiet))
			return 2;
		publishing = true;
	}
	ramp_end = t0 + cfg.ramp_timeout_s;
	if (cfg.churn) {
		phase = PH_WARMUP;
		warm_end = t0 + cfg.warmup_s;
	}
	for (;;) {
		int n;

		now = mono_s();
		/* Open (or, in churn, reopen) connections within the handshake budget. */
		if (cfg.churn) {
			for (unsigned i = 0; i < cfg.connections && inflight < cfg.inflight_max; i++)
				if (conns[i].state == ST_FREE)
					conn_open(&conns[i], i);
		} else {
			while (opened < cfg.connections && inflight < cfg.inflight_max) {
				conn_open(&conns[opened], opened);
				opened++;
			}
		}
		if (publishing)
			publisher_tick(&pub, now);
		n = epoll_wait(epfd, evs, 1024,
			       publishing && publisher_wait_ms(&pub, mono_s()) < 20
				       ? publisher_wait_ms(&pub, mono_s())
				       : 20);
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (publishing && publisher_owns(&pub, c)) {
				publisher_on_event(&pub, evs[i].events, mono_s());
				continue;
			}

			if (c->state == ST_FREE)
				continue; /* dropped earlier in this batch */
			if (c->stalled) {
				/* Reports a hang-up whatever it asked for: it is gone. */
				if (evs[i].events & (EPOLLHUP | EPOLLERR))
					conn_release(c);
				continue;
			}
			if (evs[i].events & (EPOLLOUT | EPOLLERR) && (c->state == ST_CONNECTING ||
								      c->out_len)) {
				on_writable(c);
				if (c->state == ST_FREE)
					continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR) && c->state != ST_CONNECTING)
				on_readable(c);
		}
		now = mono_s();
		/* Stopped before the window opened: nothing to report. */
		if (stop_requested && phase != PH_WINDOW && phase != PH_SYSCALLS) {
			if (!cfg.quiet)
				fprintf(stderr, "gqlws-loadgen: stopped before the window\n");
			return 4;
		}
		if (now - last_scan > 0.25) {
			check_deadlines(now);
			last_scan = now;
		}
		if (phase == PH_RAMP) {
			if (ready + st.failed >= cfg.connections || now > ramp_end) {
				if (now > ramp_end && !cfg.quiet)
					fprintf(stderr, "gqlws-loadgen: ramp timed out: %u of %u ready\n",
						ready, cfg.connections);
				phase = PH_WARMUP;
				warm_end = now + cfg.warmup_s;
			}
		} else if (phase == PH_WARMUP) {
			if (now >= warm_end) {
				phase = PH_WINDOW;
				win_start = now;
				win_end = now + cfg.duration_s;
				st.messages = st.bytes = st.cycles = 0;
				latency_reset(&st.lat);
				latency_reset(&st.cycle);
				cpu0 = self_cpu_s();
				pub0 = pub.st;
				machine_sample_read(&m0);
				if (have_server)
					have_server = proc_sample_read(cfg.server_pid, &s0);
				if (cfg.stall_pct)
					stall_connections();
				sample_prev = s0;
				interval_messages = 0;
				latency_reset(&interval_lat);
				last_sample = now;
				next_sample = now + cfg.interval_s;
			}
		} else if (phase == PH_WINDOW && cfg.interval_s > 0 && now >= next_sample && now < win_end) {
			report_interval(now - win_start, now - last_sample, &sample_prev, have_server);
			last_sample = now;
			next_sample += cfg.interval_s;
		} else if (phase == PH_WINDOW && (now >= win_end || stop_requested ||
						  (cfg.messages && st.messages >= cfg.messages))) {
			cpu = self_cpu_s() - cpu0;
			window_s = now - win_start;
			pub_window.events = pub.st.events - pub0.events;
			if (have_server)
				have_server = proc_sample_read(cfg.server_pid, &s1);
			if (machine_sample_read(&m1) && m1.total > m0.total)
				busy = (double)(m1.busy - m0.busy) / (double)(m1.total - m0.total);
			/* The syscall counter runs after the measured window, so that
			 * its own cost (strace's above all) is not in the CPU figures. */
			if (!have_server || cfg.syscalls_s <= 0 || stop_requested ||
			    !syscall_counter_start(&counter, cfg.syscall_tool, cfg.server_pid))
				break;
			phase = PH_SYSCALLS;
			now = mono_s();
			sys.window_s = now;
			sys_end = now + cfg.syscalls_s;
		} else if (phase == PH_SYSCALLS && (now >= sys_end || stop_requested)) {
			sys.window_s = now - sys.window_s;
			sys.messages = st.sys_messages;
			sys.cycles = st.sys_cycles;
			sys.ok = syscall_counter_stop(&counter, &sys.counts);
			if (!sys.ok && !cfg.quiet)
				fprintf(stderr, "gqlws-loadgen: %s counted no system calls\n", cfg.syscall_tool);
			break;
		}
	}
	report(window_s, cpu, &idle, &s0, &s1, have_server, busy, &sys, &pub_window);
	if (publishing)
		publisher_close(&pub);
	return st.failed || st.protocol_errors || (publishing && (pub.st.errors || !pub.st.accepted)) ||
	       (!cfg.churn && cfg.connections && !st.messages) ||
			       (cfg.churn && !st.cycles)
		       ? 3
		       : 0;
}
