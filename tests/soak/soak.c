/*
 * soak.c - gqlws-soak: hostile clients against one server for a bounded time,
 * on one epoll loop, while the server's resident memory and open descriptors
 * are sampled; then the clients vanish and the samples must come back near
 * the baseline. `--check` is the opposite: one well-behaved client per
 * subprotocol asks `query { hello }` and must get `world`.
 *
 * Each kind of client runs a cycle over and over on its own slots (bounded
 * concurrency) at a bounded start rate, alternating the two subprotocols.
 * Lines starting "check:" are verdicts the caller counts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proc_stat.h"
#include "ws_wire.h"

#define PROTO_MODERN "graphql-transport-ws"
#define PROTO_LEGACY "graphql-ws"

#define SMALL_OUT_BYTES 4096
#define IN_MAX_BYTES (2 * 1024 * 1024)
#define RECV_CHUNK 65536
#define SLOW_READ_BYTES 2048
#define SLOW_READ_EVERY_S 0.05
#define SMALL_RCVBUF 8192
#define STEP_TIMEOUT_S 10.0 /* a server that answers nothing this long is stuck */
#define TICK_S 0.01
#define SAMPLE_EVERY_S 0.25
#define MAX_CODES 8
#define PING_FRAMES_IN_BLOB 4096

/* ------------------------------------------------------------ the kinds */

enum kind {
	K_RST,            /* init, ack, subscribe, first event, then a TCP reset */
	K_FIN,            /* the same, then a plain close: FIN, no close frame */
	K_HALF_CLOSE,     /* the same, then shutdown(SHUT_WR), reading until the server closes */
	K_CUT_FRAME,      /* after the ack, half a frame (header or payload), then gone */
	K_BEFORE_INIT,    /* 101 received, gone before connection_init */
	K_MID_HANDSHAKE,  /* part of the HTTP upgrade request, then gone */
	K_SLOW_READER,    /* a drain-paced counter read 2 KiB every 50 ms */
	K_STALLED_READER, /* a drain-paced counter and ticks, never read */
	K_PING_FLOOD,     /* `ping` before init, never reading the answers */
	K_BIG_INIT,       /* connection_init of about max-message-bytes, or of 60 KB */
	K_COUNT
};

static const char *const kind_names[K_COUNT] = {
	"rst", "fin", "half-close", "cut-frame", "before-init",
	"mid-handshake", "slow-reader", "stalled-reader", "ping-flood", "big-init",
};

struct kind_plan {
	unsigned slots;     /* connections of this kind at once */
	double rate;        /* cycle starts per second for the kind */
	double life_s;      /* how long a holding client stays (long-lived kinds) */
	double next_start;
};

struct kind_stats {
	uint64_t cycles;        /* cycles ended, however they ended */
	uint64_t by_proto[2];   /* [0] graphql-transport-ws, [1] graphql-ws */
	uint64_t acked;
	uint64_t events;        /* next/data received */
	uint64_t sent;          /* messages sent (pings for the flood) */
	uint64_t server_closed; /* the server closed first (frame or hang-up) */
	uint64_t stalls;        /* a step the server should answer timed out */
	uint64_t errors;        /* refused, invalid 101, invalid frames */
	struct {
		unsigned code; /* 0: hung up with no close frame */
		uint64_t n;
	} codes[MAX_CODES];
};

enum step { ST_IDLE, ST_CONNECTING, ST_UPGRADING, ST_WAIT_ACK, ST_WAIT_EVENT, ST_HOLD, ST_DRAIN };

enum ending { END_RST, END_FIN };

struct conn {
	int fd;
	enum kind kind;
	uint8_t step;
	bool modern;
	bool reading;     /* EPOLLIN wanted (never-readers and slow readers say no) */
	bool saw_close;   /* a close frame arrived in this cycle */
	uint32_t watched; /* the epoll mask registered */
	unsigned slot;
	unsigned cycle;
	double deadline;
	double next_read;
	char key[WS_KEY_LEN + 1];
	unsigned char *in;
	size_t in_len, in_cap;
	unsigned char out[SMALL_OUT_BYTES];
	size_t out_len;
	const unsigned char *blob; /* shared, read-only bytes to stream after out */
	size_t blob_len;           /* its period: the stream repeats it */
	uint64_t blob_sent, blob_end;
};

struct config {
	struct sockaddr_in dest;
	char host_port[64];
	double duration_s;
	double settle_s;
	pid_t server_pid;
	unsigned sources;
	unsigned churn_slots;
	double churn_rate;
	unsigned slow_slots, stalled_slots, flood_slots, big_slots;
	double flood_rate;      /* pings per second per flooding connection */
	uint64_t flood_max;     /* pings per flooding connection */
	size_t big_init_bytes;  /* the whole connection_init message, refused */
	size_t held_init_bytes; /* the same, under max-init-payload-bytes */
	long rss_slack_kib;
	double rss_slack_pct;
	int fd_slack;
	bool rss_informational;
	bool check;
};

static struct config cfg;
static struct kind_plan plan[K_COUNT];
static struct kind_stats stats[K_COUNT];
static struct conn *conns;
static unsigned conn_count;
static int epfd;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static unsigned char *ping_blob;
static size_t ping_blob_len;
static size_t ping_frame_len;
static unsigned char *big_init_frame;
static size_t big_init_frame_len;
static unsigned char *held_init_frame;
static size_t held_init_frame_len;
static unsigned open_now, open_peak;

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rand_unit(void)
{
	return (double)(ws_rand(&rng) >> 11) / (double)(1ULL << 53);
}

static const char *proto_name(bool modern)
{
	return modern ? PROTO_MODERN : PROTO_LEGACY;
}

/* ---------------------------------------------------- the server's side */

struct server_sample {
	long rss_kib;
	int fds;
	double cpu_s;
};

static int count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static bool server_sample_read(struct server_sample *s)
{
	struct proc_sample p;

	if (!proc_sample_read(cfg.server_pid, &p))
		return false;
	s->rss_kib = p.rss_kib;
	s->cpu_s = p.cpu_s;
	s->fds = count_fds(cfg.server_pid);
	return s->fds >= 0;
}

/* ------------------------------------------------------------ recording */

static void record_code(enum kind k, unsigned code)
{
	struct kind_stats *s = &stats[k];

	for (int i = 0; i < MAX_CODES; i++) {
		if (s->codes[i].n && s->codes[i].code == code) {
			s->codes[i].n++;
			return;
		}
		if (!s->codes[i].n) {
			s->codes[i].code = code;
			s->codes[i].n = 1;
			return;
		}
	}
}

static unsigned errors_logged;

static void client_error(struct conn *c, const char *what)
{
	stats[c->kind].errors++;
	if (errors_logged++ < 10)
		fprintf(stderr, "gqlws-soak: %s (%s): %s\n", kind_names[c->kind],
			proto_name(c->modern), what);
}

/* ------------------------------------------------------------- plumbing */

static void watch(struct conn *c)
{
	uint32_t mask = EPOLLRDHUP;
	struct epoll_event ev = { .data.ptr = c };

	if (c->reading)
		mask |= EPOLLIN;
	if (c->step == ST_CONNECTING || c->out_len || c->blob_sent < c->blob_end)
		mask |= EPOLLOUT;
	if (mask == c->watched)
		return;
	ev.events = mask;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->watched = mask;
}

static void cycle_done(struct conn *c, enum ending how)
{
	if (how == END_RST) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(c->fd);
	open_now--;
	stats[c->kind].cycles++;
	stats[c->kind].by_proto[c->modern ? 0 : 1]++;
	c->fd = -1;
	c->step = ST_IDLE;
	c->in_len = 0;
	c->out_len = 0;
	c->blob = NULL;
	c->blob_sent = c->blob_end = 0;
	c->cycle++;
}

/* The kinds that vanish "either way" alternate reset and FIN by cycle. */
static enum ending either_way(const struct conn *c)
{
	return (c->cycle / 2) % 2 ? END_FIN : END_RST;
}

/* Pushes pending bytes: small output first, then the shared blob. Returns
 * false when the connection is gone (cycle ended). */
static bool flush_out(struct conn *c)
{
	while (c->out_len) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				goto blocked;
			stats[c->kind].server_closed++;
			if (!c->saw_close)
				record_code(c->kind, 0);
			cycle_done(c, END_FIN);
			return false;
		}
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	while (c->blob_sent < c->blob_end) {
		size_t at = (size_t)(c->blob_sent % c->blob_len);
		size_t len = c->blob_len - at;
		ssize_t n;

		if ((uint64_t)len > c->blob_end - c->blob_sent)
			len = (size_t)(c->blob_end - c->blob_sent);
		n = send(c->fd, c->blob + at, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			stats[c->kind].server_closed++;
			if (!c->saw_close)
				record_code(c->kind, 0);
			cycle_done(c, END_FIN);
			return false;
		}
		c->blob_sent += (uint64_t)n;
	}
blocked:
	watch(c);
	return true;
}

static bool queue_bytes(struct conn *c, const void *data, size_t len)
{
	if (c->out_len + len > sizeof(c->out))
		return false;
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
	return true;
}

static bool queue_frame(struct conn *c, enum ws_opcode op, const char *payload, size_t len)
{
	unsigned char hdr[WS_CLIENT_HEADER_MAX], mask[4];
	size_t hl = ws_client_header(hdr, op, len, mask, &rng);
	size_t at = c->out_len;

	if (!queue_bytes(c, hdr, hl) || !queue_bytes(c, payload, len))
		return false;
	ws_mask(c->out + at + hl, len, mask);
	return true;
}

static bool queue_text(struct conn *c, const char *text)
{
	stats[c->kind].sent++;
	return queue_frame(c, WS_OP_TEXT, text, strlen(text));
}

static bool send_init(struct conn *c)
{
	return queue_text(c, "{\"type\":\"connection_init\",\"payload\":{}}") && flush_out(c);
}

static bool send_operation(struct conn *c, unsigned id, const char *query)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "{\"id\":\"%u\",\"type\":\"%s\",\"payload\":{\"query\":\"%s\"}}",
		 id, c->modern ? "subscribe" : "start", query);
	return queue_text(c, msg);
}

/* ------------------------------------------------------------- a cycle */

static void hold(struct conn *c, double now, double for_s, bool reading)
{
	c->step = ST_HOLD;
	c->deadline = now + for_s;
	c->reading = reading;
	c->next_read = now;
	watch(c);
}

static void await(struct conn *c, double now, enum step step)
{
	c->step = step;
	c->deadline = now + STEP_TIMEOUT_S;
	c->reading = true;
	watch(c);
}

static void after_connect(struct conn *c, double now)
{
	char req[1024];
	size_t len;

	ws_make_key(c->key, &rng);
	len = ws_build_upgrade(req, sizeof(req), cfg.host_port, "/", c->key, proto_name(c->modern));
	if (c->kind == K_MID_HANDSHAKE) {
		/* A prefix of 1..len-2 bytes: somewhere inside the request line or
		 * a header, never the blank line that completes it. */
		size_t cut = 1 + (size_t)(rand_unit() * (double)(len - 2));

		queue_bytes(c, req, cut);
		hold(c, now, rand_unit() * 0.05, true);
		flush_out(c);
		return;
	}
	queue_bytes(c, req, len);
	await(c, now, ST_UPGRADING);
	flush_out(c);
}

static void after_upgrade(struct conn *c, double now)
{
	switch (c->kind) {
	case K_BEFORE_INIT:
		hold(c, now, rand_unit() * 0.05, true);
		break;
	case K_PING_FLOOD:
		c->blob = ping_blob;
		c->blob_len = ping_blob_len;
		hold(c, now, plan[c->kind].life_s, false);
		break;
	case K_BIG_INIT:
		/* Over max-init-payload-bytes one time (refused), under it the
		 * next (accepted, and held by the connection). */
		c->blob = c->cycle % 2 ? held_init_frame : big_init_frame;
		c->blob_len = c->cycle % 2 ? held_init_frame_len : big_init_frame_len;
		c->blob_end = c->blob_len;
		stats[c->kind].sent++;
		await(c, now, ST_WAIT_ACK);
		c->deadline = now + 2 * STEP_TIMEOUT_S;
		flush_out(c);
		break;
	default:
		await(c, now, ST_WAIT_ACK);
		send_init(c);
		break;
	}
}

static void after_ack(struct conn *c, double now)
{
	static const char stream[] = "subscription { counter(intervalMs: 0, limit: 100000000) { value at } }";
	/* Not timer counters of 1 ms: lws 4.1's poll loop spins on deadlines
	 * under a millisecond, and that would measure the spin, not us. */
	static const char fanned[] = "subscription { ticks { seq at } }";

	stats[c->kind].acked++;
	switch (c->kind) {
	case K_RST:
	case K_FIN:
	case K_HALF_CLOSE:
		await(c, now, ST_WAIT_EVENT);
		send_operation(c, 1, stream);
		flush_out(c);
		break;
	case K_CUT_FRAME: {
		/* A subscribe frame announced in full but sent in part: cut
		 * inside its header one time, inside its payload the next. */
		char msg[256];
		unsigned char hdr[WS_CLIENT_HEADER_MAX], mask[4];
		size_t len = (size_t)snprintf(msg, sizeof(msg),
					      "{\"id\":\"1\",\"type\":\"%s\",\"payload\":{\"query\":\"%s\"}}",
					      c->modern ? "subscribe" : "start", "{ hello }");
		size_t hl = ws_client_header(hdr, WS_OP_TEXT, len, mask, &rng);

		ws_mask((unsigned char *)msg, len, mask);
		if (c->cycle % 2) {
			queue_bytes(c, hdr, 1);
		} else {
			queue_bytes(c, hdr, hl);
			queue_bytes(c, msg, len / 2);
		}
		hold(c, now, rand_unit() * 0.05, true);
		flush_out(c);
		break;
	}
	case K_SLOW_READER:
		send_operation(c, 1, stream);
		hold(c, now, plan[c->kind].life_s, false);
		flush_out(c);
		break;
	case K_STALLED_READER:
		send_operation(c, 1, stream);
		send_operation(c, 2, fanned);
		hold(c, now, plan[c->kind].life_s, false);
		flush_out(c);
		break;
	case K_BIG_INIT:
		hold(c, now, plan[c->kind].life_s, true);
		break;
	default:
		break;
	}
}

static void after_first_event(struct conn *c, double now)
{
	switch (c->kind) {
	case K_RST:
		cycle_done(c, END_RST);
		break;
	case K_FIN:
		cycle_done(c, END_FIN);
		break;
	case K_HALF_CLOSE:
		shutdown(c->fd, SHUT_WR);
		await(c, now, ST_DRAIN);
		break;
	default:
		break;
	}
}

/* The value of "type" in a server message, or NULL. */
static const char *type_of(const char *p, size_t n, size_t *len)
{
	const char *t = memmem(p, n, "\"type\":", 7);
	const char *end = p + n, *q;

	if (!t)
		return NULL;
	t += 7;
	while (t < end && *t == ' ')
		t++;
	if (t >= end || *t != '"')
		return NULL;
	t++;
	q = memchr(t, '"', (size_t)(end - t));
	if (!q)
		return NULL;
	*len = (size_t)(q - t);
	return t;
}

static bool type_is(const char *t, size_t len, const char *name)
{
	return len == strlen(name) && !memcmp(t, name, len);
}

/* Returns false when the cycle ended. */
static bool on_text(struct conn *c, const unsigned char *payload, size_t n, double now)
{
	size_t tlen = 0;
	const char *t = type_of((const char *)payload, n, &tlen);

	if (!t)
		return true;
	if (type_is(t, tlen, "connection_ack")) {
		if (c->step == ST_WAIT_ACK)
			after_ack(c, now);
	} else if (type_is(t, tlen, c->modern ? "next" : "data")) {
		stats[c->kind].events++;
		if (c->step == ST_WAIT_EVENT)
			after_first_event(c, now);
	}
	return c->step != ST_IDLE;
}

/* Consumes the HTTP answer and whole frames from c->in. Returns false when
 * the cycle ended. */
static bool consume(struct conn *c, double now)
{
	size_t off = 0;

	if (c->kind == K_MID_HANDSHAKE) {
		/* Whatever lws says to half a request is not frames. */
		c->in_len = 0;
		return true;
	}
	if (c->step == ST_UPGRADING) {
		long hl = ws_check_upgrade_answer((const char *)c->in, c->in_len, c->key,
						  proto_name(c->modern));

		if (hl < 0 || (hl == 0 && c->in_len > 8192)) {
			client_error(c, "the upgrade was refused or its answer is invalid");
			cycle_done(c, END_RST);
			return false;
		}
		if (hl == 0)
			return true;
		off = (size_t)hl;
		after_upgrade(c, now);
		if (c->step == ST_IDLE)
			return false;
	}
	while (off < c->in_len) {
		struct ws_frame f;
		int r = ws_parse_header(c->in + off, c->in_len - off, &f);
		const unsigned char *payload;

		if (r < 0) {
			client_error(c, "an invalid frame from the server");
			cycle_done(c, END_RST);
			return false;
		}
		if (r == 0 || c->in_len - off < f.header_len + f.payload_len)
			break;
		payload = c->in + off + f.header_len;
		off += f.header_len + (size_t)f.payload_len;
		if (f.opcode == WS_OP_CLOSE) {
			unsigned code = f.payload_len >= 2 ? (unsigned)(payload[0] << 8 | payload[1]) : 1005;

			c->saw_close = true;
			record_code(c->kind, code);
			if (c->step != ST_DRAIN) {
				stats[c->kind].server_closed++;
				cycle_done(c, END_FIN);
				return false;
			}
		} else if (f.opcode == WS_OP_TEXT && f.fin) {
			if (!on_text(c, payload, (size_t)f.payload_len, now))
				return false;
		}
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
	return true;
}

/* The server closed the TCP connection (or reset it). */
static void on_hangup(struct conn *c)
{
	if (c->step == ST_DRAIN) {
		cycle_done(c, END_FIN); /* what a half-close asks for */
		return;
	}
	if (c->step == ST_CONNECTING || c->step == ST_UPGRADING) {
		client_error(c, "the server hung up during the handshake");
		cycle_done(c, END_RST);
		return;
	}
	stats[c->kind].server_closed++;
	if (!c->saw_close)
		record_code(c->kind, 0);
	cycle_done(c, END_FIN);
}

/* Reads up to `limit` bytes (0: all there is). Returns false when the cycle
 * ended. */
static bool read_some(struct conn *c, size_t limit, double now)
{
	size_t budget = limit ? limit : SIZE_MAX;

	while (budget) {
		size_t want = budget < RECV_CHUNK ? budget : RECV_CHUNK;
		ssize_t n;

		if (c->in_cap - c->in_len < want) {
			size_t ncap = c->in_cap ? c->in_cap : RECV_CHUNK;
			unsigned char *nb;

			while (ncap - c->in_len < want)
				ncap *= 2;
			if (ncap > IN_MAX_BYTES) {
				client_error(c, "a frame from the server is too large");
				cycle_done(c, END_RST);
				return false;
			}
			nb = realloc(c->in, ncap);
			if (!nb) {
				client_error(c, "out of memory");
				cycle_done(c, END_RST);
				return false;
			}
			c->in = nb;
			c->in_cap = ncap;
		}
		n = recv(c->fd, c->in + c->in_len, want, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
			if (!consume(c, now))
				return false;
			on_hangup(c);
			return false;
		}
		if (n < 0)
			return true;
		c->in_len += (size_t)n;
		budget -= (size_t)n;
		if (!consume(c, now))
			return false;
		if ((size_t)n < want)
			return true;
	}
	return true;
}

static void cycle_start(struct conn *c, double now)
{
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLRDHUP, .data.ptr = c };
	int one = 1;

	c->modern = (c->cycle + c->slot) % 2 == 0;
	c->saw_close = false;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		client_error(c, "socket() failed");
		return;
	}
	open_now++;
	if (open_now > open_peak)
		open_peak = open_now;
	c->step = ST_CONNECTING;
	c->deadline = now + STEP_TIMEOUT_S;
	c->reading = false;
	/* Source addresses 127.0.0.1..N: ephemeral ports never run out. */
	src.sin_addr.s_addr = htonl(0x7f000001u + (c->slot + c->cycle) % cfg.sources);
	setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (c->kind == K_SLOW_READER || c->kind == K_STALLED_READER || c->kind == K_PING_FLOOD) {
		/* A small window moves the backlog from our kernel to the server. */
		int rcv = SMALL_RCVBUF;

		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	}
	if (bind(c->fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    (connect(c->fd, (struct sockaddr *)&cfg.dest, sizeof(cfg.dest)) < 0 &&
	     errno != EINPROGRESS)) {
		client_error(c, strerror(errno));
		cycle_done(c, END_RST);
		return;
	}
	c->watched = ev.events;
	epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static void on_event(struct conn *c, uint32_t events, double now)
{
	if (c->step == ST_CONNECTING) {
		int err = 0;
		socklen_t elen = sizeof(err);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err || events & EPOLLHUP) {
			client_error(c, err ? strerror(err) : "connection failed");
			cycle_done(c, END_RST);
			return;
		}
		after_connect(c, now);
		return;
	}
	if (events & EPOLLOUT && !flush_out(c))
		return;
	if (events & EPOLLIN && c->reading) {
		if (!read_some(c, 0, now))
			return;
	}
	if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		/* A client that does not read still learns the server closed:
		 * read what is left (the close frame, if one came) to the end. */
		if (read_some(c, 0, now))
			on_hangup(c);
	}
}

/* Deadlines, paced reading and paced flooding: every tick. */
static void on_tick(double now, double dt)
{
	for (unsigned i = 0; i < conn_count; i++) {
		struct conn *c = &conns[i];

		if (c->step == ST_IDLE)
			continue;
		if (now >= c->deadline) {
			if (c->step == ST_HOLD) {
				switch (c->kind) {
				case K_BEFORE_INIT:
				case K_MID_HANDSHAKE:
				case K_CUT_FRAME:
					cycle_done(c, either_way(c));
					break;
				default:
					cycle_done(c, END_RST);
					break;
				}
			} else {
				stats[c->kind].stalls++;
				if (errors_logged++ < 10)
					fprintf(stderr, "gqlws-soak: %s (%s): no answer in step %d\n",
						kind_names[c->kind], proto_name(c->modern), c->step);
				cycle_done(c, END_RST);
			}
			continue;
		}
		if (c->step != ST_HOLD)
			continue;
		if (c->kind == K_SLOW_READER && now >= c->next_read) {
			c->next_read = now + SLOW_READ_EVERY_S;
			read_some(c, SLOW_READ_BYTES, now);
		} else if (c->kind == K_PING_FLOOD && c->blob_end / ping_frame_len < cfg.flood_max) {
			uint64_t pings = (uint64_t)(cfg.flood_rate * dt + rand_unit());

			/* Only more pings when the last ones were taken. */
			if (c->blob_sent == c->blob_end && pings) {
				c->blob_end += pings * ping_frame_len;
				stats[c->kind].sent += pings;
				flush_out(c);
			}
		}
	}
}

static void start_cycles(double now)
{
	for (unsigned i = 0; i < conn_count; i++) {
		struct conn *c = &conns[i];
		struct kind_plan *p = &plan[c->kind];
		double interval = 1.0 / p->rate;

		if (c->step != ST_IDLE || now < p->next_start)
			continue;
		/* A kind that fell behind catches up by at most one second. */
		if (p->next_start < now - 1.0)
			p->next_start = now - 1.0;
		p->next_start += interval;
		cycle_start(c, now);
	}
}

/* ------------------------------------------------------- static payloads */

/* A masked connection_init frame whose message is exactly message_bytes
 * long, its payload an array of the number `element` repeated: "0" is the
 * costliest to parse per byte; a longer one keeps the count of values under
 * max-message-values so that the init is accepted. */
static void build_init_frame(size_t message_bytes, const char *element, unsigned char **frame,
			     size_t *frame_len)
{
	static const char head[] = "{\"type\":\"connection_init\",\"payload\":{\"numbers\":[";
	const size_t head_len = sizeof(head) - 1, elen = strlen(element);
	unsigned char hdr[WS_CLIENT_HEADER_MAX], mask[4];
	size_t hl, content = message_bytes - 3 - head_len, count = (content + 1) / (elen + 1);
	char *body = malloc(message_bytes);
	char *p;

	if (!body)
		exit(1);
	memcpy(body, head, head_len);
	/* Spaces first for what the whole "e,e,...,e" leaves over. */
	p = body + head_len;
	memset(p, ' ', content - (count * (elen + 1) - 1));
	p += content - (count * (elen + 1) - 1);
	for (size_t i = 0; i < count; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, element, elen);
		p += elen;
	}
	memcpy(body + message_bytes - 3, "]}}", 3);
	hl = ws_client_header(hdr, WS_OP_TEXT, message_bytes, mask, &rng);
	*frame = malloc(hl + message_bytes);
	if (!*frame)
		exit(1);
	memcpy(*frame, hdr, hl);
	memcpy(*frame + hl, body, message_bytes);
	ws_mask(*frame + hl, message_bytes, mask);
	*frame_len = hl + message_bytes;
	free(body);
}

static void build_payloads(void)
{
	static const char ping[] = "{\"type\":\"ping\"}";
	const size_t plen = sizeof(ping) - 1;
	unsigned char hdr[WS_CLIENT_HEADER_MAX], mask[4];
	size_t hl = 0;

	ping_blob = malloc(PING_FRAMES_IN_BLOB * (WS_CLIENT_HEADER_MAX + plen));
	if (!ping_blob)
		exit(1);
	for (unsigned i = 0; i < PING_FRAMES_IN_BLOB; i++) {
		hl = ws_client_header(hdr, WS_OP_TEXT, plen, mask, &rng);
		memcpy(ping_blob + ping_blob_len, hdr, hl);
		memcpy(ping_blob + ping_blob_len + hl, ping, plen);
		ws_mask(ping_blob + ping_blob_len + hl, plen, mask);
		ping_blob_len += hl + plen;
	}
	ping_frame_len = hl + plen;
	build_init_frame(cfg.big_init_bytes, "0", &big_init_frame, &big_init_frame_len);
	build_init_frame(cfg.held_init_bytes, "1234", &held_init_frame, &held_init_frame_len);
}

/* ----------------------------------------------------------- the report */

static void fmt_codes(const struct kind_stats *s, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < MAX_CODES && s->codes[i].n && n < cap; i++) {
		if (s->codes[i].code)
			n += (size_t)snprintf(out + n, cap - n, "%s%u:%llu", n ? " " : "",
					      s->codes[i].code, (unsigned long long)s->codes[i].n);
		else
			n += (size_t)snprintf(out + n, cap - n, "%shangup:%llu", n ? " " : "",
					      (unsigned long long)s->codes[i].n);
	}
	if (!n)
		snprintf(out, cap, "-");
}

static void print_kinds(double ran_s)
{
	uint64_t total = 0;

	printf("%-15s %5s %9s %8s %8s %8s %8s %10s %7s %6s %6s  %s\n", "kind", "slots", "cycles",
	       "per s", "modern", "legacy", "acked", "sent", "srv-cls", "stall", "error",
	       "server close codes");
	for (int k = 0; k < K_COUNT; k++) {
		const struct kind_stats *s = &stats[k];
		char codes[160];

		if (!plan[k].slots)
			continue;
		fmt_codes(s, codes, sizeof(codes));
		printf("%-15s %5u %9llu %8.1f %8llu %8llu %8llu %10llu %7llu %6llu %6llu  %s\n",
		       kind_names[k], plan[k].slots, (unsigned long long)s->cycles, s->cycles / ran_s,
		       (unsigned long long)s->by_proto[0], (unsigned long long)s->by_proto[1],
		       (unsigned long long)s->acked, (unsigned long long)s->sent,
		       (unsigned long long)s->server_closed, (unsigned long long)s->stalls,
		       (unsigned long long)s->errors, codes);
		total += s->cycles;
	}
	printf("%-15s %5u %9llu %8.1f   (at most %u connections open at once)\n", "total", conn_count,
	       (unsigned long long)total, total / ran_s, open_peak);
}

static int verdict(bool ok, const char *name, const char *detail)
{
	printf("check: %s %s%s%s\n", name, ok ? "ok" : "FAILED", *detail ? ": " : "", detail);
	return ok ? 0 : 1;
}

/* ------------------------------------------------------------- the soak */

static void set_plans(void)
{
	const enum kind churn[] = { K_RST, K_FIN, K_HALF_CLOSE, K_CUT_FRAME, K_BEFORE_INIT,
				    K_MID_HANDSHAKE };
	const size_t nchurn = sizeof(churn) / sizeof(churn[0]);

	for (size_t i = 0; i < nchurn; i++) {
		plan[churn[i]].slots = cfg.churn_slots;
		plan[churn[i]].rate = cfg.churn_rate / (double)nchurn;
	}
	plan[K_SLOW_READER] = (struct kind_plan){ cfg.slow_slots, 10, 5.0, 0 };
	plan[K_STALLED_READER] = (struct kind_plan){ cfg.stalled_slots, 5, 15.0, 0 };
	plan[K_PING_FLOOD] = (struct kind_plan){ cfg.flood_slots, 5, 15.0, 0 };
	plan[K_BIG_INIT] = (struct kind_plan){ cfg.big_slots, 2, 2.0, 0 };
}

static int soak(void)
{
	struct epoll_event evs[256];
	struct server_sample base, peak, cur, after;
	double t0, now, last_tick, last_sample, end, ran_s, settle_t0, settled_s = -1;
	long rss_limit;
	int fd_limit, failed = 0;
	char detail[256];
	uint64_t stalls = 0, errors = 0;
	double cpu_used_s = -1;

	set_plans();
	build_payloads();
	for (int k = 0; k < K_COUNT; k++)
		conn_count += plan[k].slots;
	conns = calloc(conn_count, sizeof(*conns));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || epfd < 0)
		return 2;
	{
		unsigned i = 0;

		for (int k = 0; k < K_COUNT; k++)
			for (unsigned s = 0; s < plan[k].slots; s++, i++) {
				conns[i].fd = -1;
				conns[i].kind = (enum kind)k;
				conns[i].slot = s;
			}
	}
	if (!server_sample_read(&base)) {
		fprintf(stderr, "gqlws-soak: cannot read /proc/%d\n", (int)cfg.server_pid);
		return 2;
	}
	peak = base;
	t0 = now = last_tick = last_sample = mono_s();
	end = t0 + cfg.duration_s;
	for (int k = 0; k < K_COUNT; k++)
		plan[k].next_start = t0;
	while (now < end) {
		int n;

		start_cycles(now);
		n = epoll_wait(epfd, evs, 256, (int)(TICK_S * 1000));
		now = mono_s();
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->step != ST_IDLE)
				on_event(c, evs[i].events, now);
		}
		if (now - last_tick >= TICK_S) {
			on_tick(now, now - last_tick);
			last_tick = now;
		}
		if (now - last_sample >= SAMPLE_EVERY_S) {
			last_sample = now;
			if (!server_sample_read(&cur)) {
				fprintf(stderr, "gqlws-soak: the server (pid %d) is gone\n",
					(int)cfg.server_pid);
				break;
			}
			if (cur.rss_kib > peak.rss_kib)
				peak.rss_kib = cur.rss_kib;
			if (cur.fds > peak.fds)
				peak.fds = cur.fds;
		}
	}
	ran_s = now - t0;
	{
		struct server_sample last;

		if (server_sample_read(&last))
			cpu_used_s = last.cpu_s - base.cpu_s;
	}
	/* Every client vanishes at once, by reset: nothing left to wait for
	 * on our side. */
	for (unsigned i = 0; i < conn_count; i++)
		if (conns[i].step != ST_IDLE)
			cycle_done(&conns[i], END_RST);

	rss_limit = base.rss_kib + (long)((double)base.rss_kib * cfg.rss_slack_pct / 100.0);
	if (rss_limit < base.rss_kib + cfg.rss_slack_kib)
		rss_limit = base.rss_kib + cfg.rss_slack_kib;
	fd_limit = base.fds + cfg.fd_slack;
	settle_t0 = mono_s();
	after = base;
	for (;;) {
		bool alive = server_sample_read(&after);

		now = mono_s();
		if (!alive) {
			after.rss_kib = -1;
			after.fds = -1;
			break;
		}
		if (after.fds <= fd_limit && (cfg.rss_informational || after.rss_kib <= rss_limit)) {
			settled_s = now - settle_t0;
			break;
		}
		if (now - settle_t0 >= cfg.settle_s)
			break;
		usleep(250000);
	}

	print_kinds(ran_s);
	if (cpu_used_s >= 0)
		printf("server CPU: %.1f s in %.0f s (%.0f%% of one core)\n", cpu_used_s, ran_s,
		       100.0 * cpu_used_s / ran_s);
	printf("\n%-10s %12s %12s %12s   %s\n", "server", "baseline", "peak", "after", "after must be");
	printf("%-10s %12ld %12ld %12ld   <= %ld (baseline + max(%ld KiB, %.0f%%))%s\n", "RSS KiB",
	       base.rss_kib, peak.rss_kib, after.rss_kib, rss_limit, cfg.rss_slack_kib,
	       cfg.rss_slack_pct, cfg.rss_informational ? " [not checked]" : "");
	printf("%-10s %12d %12d %12d   <= %d (baseline + %d)\n", "open fds", base.fds, peak.fds,
	       after.fds, fd_limit, cfg.fd_slack);
	if (settled_s >= 0)
		printf("after: %.1f s after the clients were gone\n\n", settled_s);
	else if (after.fds < 0)
		printf("after: the server is gone\n\n");
	else
		printf("after: not back within the settle period of %.0f s\n\n", cfg.settle_s);

	{
		uint64_t cycles = 0;

		for (int k = 0; k < K_COUNT; k++) {
			stalls += stats[k].stalls;
			errors += stats[k].errors;
			cycles += stats[k].cycles;
		}
		/* One line for run.sh's summary table. */
		char settled[32] = "never";

		if (settled_s >= 0)
			snprintf(settled, sizeof(settled), "%.1f", settled_s);
		printf("figures: cycles=%llu seconds=%.0f open_peak=%u rss_kib=%ld/%ld/%ld fds=%d/%d/%d settled_s=%s cpu_pct=%.0f\n",
		       (unsigned long long)cycles, ran_s, open_peak, base.rss_kib, peak.rss_kib,
		       after.rss_kib, base.fds, peak.fds, after.fds, settled,
		       cpu_used_s >= 0 ? 100.0 * cpu_used_s / ran_s : -1.0);
	}
	snprintf(detail, sizeof(detail), "%llu refused or invalid answers, %llu steps unanswered for %.0f s",
		 (unsigned long long)errors, (unsigned long long)stalls, STEP_TIMEOUT_S);
	failed += verdict(!errors && !stalls, "clients-answered", detail);
	{
		int idle_kinds = 0;

		for (int k = 0; k < K_COUNT; k++)
			idle_kinds += plan[k].slots && !stats[k].cycles;
		snprintf(detail, sizeof(detail), "%d kinds ran no cycle", idle_kinds);
		failed += verdict(idle_kinds == 0, "every-kind-ran", detail);
	}
	snprintf(detail, sizeof(detail), "%d at baseline, %d at peak, %d after", base.fds, peak.fds,
		 after.fds);
	failed += verdict(after.fds >= 0 && after.fds <= fd_limit, "fds-back", detail);
	snprintf(detail, sizeof(detail), "%ld KiB at baseline, %ld at peak, %ld after (limit %ld)%s",
		 base.rss_kib, peak.rss_kib, after.rss_kib, rss_limit,
		 cfg.rss_informational ? ", not checked for this target" : "");
	if (cfg.rss_informational)
		printf("check: rss-back not checked: %s\n", detail);
	else
		failed += verdict(after.rss_kib >= 0 && after.rss_kib <= rss_limit, "rss-back", detail);
	return failed ? 1 : 0;
}

/* ------------------------------------------------------------ --check */

/* One blocking client: connect, upgrade, init, ack, `query { hello }`,
 * "world", complete, close. Returns NULL on success, else what went wrong. */
static const char *check_hello(bool modern)
{
	static char why[160];
	struct timeval tv = { 5, 0 };
	unsigned char buf[65536];
	size_t len = 0;
	bool got_world = false;
	struct conn c = { .modern = modern };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long hl;
	char req[1024];

	if (fd < 0)
		return "socket() failed";
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&cfg.dest, sizeof(cfg.dest)) < 0) {
		snprintf(why, sizeof(why), "connect: %s", strerror(errno));
		goto fail;
	}
	ws_make_key(c.key, &rng);
	len = ws_build_upgrade(req, sizeof(req), cfg.host_port, "/", c.key, proto_name(modern));
	queue_bytes(&c, req, len);
	queue_frame(&c, WS_OP_TEXT, "{\"type\":\"connection_init\"}", 26);
	{
		char msg[160];

		snprintf(msg, sizeof(msg), "{\"id\":\"1\",\"type\":\"%s\",\"payload\":{\"query\":\"query { hello }\"}}",
			 modern ? "subscribe" : "start");
		queue_frame(&c, WS_OP_TEXT, msg, strlen(msg));
	}
	if (send(fd, c.out, c.out_len, MSG_NOSIGNAL) != (ssize_t)c.out_len) {
		snprintf(why, sizeof(why), "send: %s", strerror(errno));
		goto fail;
	}
	len = 0;
	hl = 0;
	for (;;) {
		ssize_t n = recv(fd, buf + len, sizeof(buf) - len, 0);
		size_t off;

		if (n <= 0) {
			snprintf(why, sizeof(why), "%s before the answer was complete",
				 n == 0 ? "the server closed" : strerror(errno));
			goto fail;
		}
		len += (size_t)n;
		if (!hl) {
			hl = ws_check_upgrade_answer((const char *)buf, len, c.key, proto_name(modern));
			if (hl < 0) {
				snprintf(why, sizeof(why), "upgrade refused: %.40s", buf);
				goto fail;
			}
			if (!hl)
				continue;
		}
		off = (size_t)hl;
		while (off < len) {
			struct ws_frame f;
			int r = ws_parse_header(buf + off, len - off, &f);
			const char *p;
			size_t tlen = 0;
			const char *t;

			if (r < 0) {
				snprintf(why, sizeof(why), "an invalid frame");
				goto fail;
			}
			if (r == 0 || len - off < f.header_len + f.payload_len)
				break;
			p = (const char *)buf + off + f.header_len;
			off += f.header_len + (size_t)f.payload_len;
			if (f.opcode == WS_OP_CLOSE) {
				snprintf(why, sizeof(why), "closed by the server (%u)",
					 f.payload_len >= 2 ? (unsigned)((unsigned char)p[0] << 8 | (unsigned char)p[1]) : 1005);
				goto fail;
			}
			t = type_of(p, (size_t)f.payload_len, &tlen);
			if (!t)
				continue;
			if (type_is(t, tlen, modern ? "next" : "data") &&
			    memmem(p, (size_t)f.payload_len, "{\"data\":{\"hello\":\"world\"}}", 26))
				got_world = true;
			if (type_is(t, tlen, "complete")) {
				unsigned char closing[WS_CLIENT_HEADER_MAX + 2], mask[4];
				size_t chl = ws_client_header(closing, WS_OP_CLOSE, 2, mask, &rng);

				closing[chl] = 0x03;
				closing[chl + 1] = 0xe8;
				ws_mask(closing + chl, 2, mask);
				send(fd, closing, chl + 2, MSG_NOSIGNAL);
				close(fd);
				return got_world ? NULL : "complete without {\"data\":{\"hello\":\"world\"}}";
			}
		}
		/* Keep the unparsed tail at the front, after the header block. */
		memmove(buf + hl, buf + off, len - off);
		len = (size_t)hl + (len - off);
		if (len == sizeof(buf)) {
			snprintf(why, sizeof(why), "answer too large");
			goto fail;
		}
	}
fail:
	close(fd);
	return why;
}

static int check(void)
{
	int failed = 0;

	for (int m = 1; m >= 0; m--) {
		const char *why = check_hello(m);
		char name[64];

		snprintf(name, sizeof(name), "hello-%s", proto_name(m));
		failed += verdict(!why, name, why ? why : "query { hello } answered world");
	}
	return failed ? 1 : 0;
}

/* ------------------------------------------------------------ options */

static void usage(void)
{
	fprintf(stderr,
		"usage: gqlws-soak --port P [options]           hostile clients, then the verdicts\n"
		"       gqlws-soak --port P --check             query { hello } on both subprotocols\n"
		"  --address A          the server's 127.x address (default 127.0.0.1)\n"
		"  --server-pid PID     the serving process to sample (required for the soak)\n"
		"  --duration S         seconds of hostile clients (default 60)\n"
		"  --settle S           how long the server may take to come back (default 20)\n"
		"  --sources N          client addresses 127.0.0.1..N (default 8)\n"
		"  --churn-slots N      connections at once per churn kind (default 4)\n"
		"  --churn-rate R       churn cycles per second, all six kinds (default 600)\n"
		"  --slow-slots N       slow readers at once (default 4)\n"
		"  --stalled-slots N    readers that never read at once (default 2)\n"
		"  --flood-slots N      ping flooders at once (default 2)\n"
		"  --flood-rate R       pings per second per flooder (default 40000)\n"
		"  --flood-max N        pings per flooding connection (default 400000)\n"
		"  --big-slots N        oversized inits at once (default 2)\n"
		"  --big-init-bytes B   the oversized connection_init, every other cycle (default 1048000)\n"
		"  --held-init-bytes B  the large one under max-init-payload-bytes, the others (default 60000)\n"
		"  --rss-slack-kib K    RSS after may exceed baseline by max(K, pct) (default 8192)\n"
		"  --rss-slack-pct P    (default 25)\n"
		"  --fd-slack N         open fds after may exceed baseline by N (default 0)\n"
		"  --rss-informational  report RSS but do not judge it (sanitizer builds)\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "address", required_argument, NULL, 'a' },
		{ "server-pid", required_argument, NULL, 'P' },
		{ "duration", required_argument, NULL, 'd' },
		{ "settle", required_argument, NULL, 'S' },
		{ "sources", required_argument, NULL, 's' },
		{ "churn-slots", required_argument, NULL, 'c' },
		{ "churn-rate", required_argument, NULL, 'r' },
		{ "slow-slots", required_argument, NULL, 'l' },
		{ "stalled-slots", required_argument, NULL, 't' },
		{ "flood-slots", required_argument, NULL, 'f' },
		{ "flood-rate", required_argument, NULL, 'F' },
		{ "flood-max", required_argument, NULL, 'M' },
		{ "big-slots", required_argument, NULL, 'b' },
		{ "big-init-bytes", required_argument, NULL, 'B' },
		{ "held-init-bytes", required_argument, NULL, 'H' },
		{ "rss-slack-kib", required_argument, NULL, 'k' },
		{ "rss-slack-pct", required_argument, NULL, 'K' },
		{ "fd-slack", required_argument, NULL, 'x' },
		{ "rss-informational", no_argument, NULL, 'I' },
		{ "check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *address = "127.0.0.1";
	long port = 0;
	int o;

	cfg.duration_s = 60;
	cfg.settle_s = 20;
	cfg.sources = 8;
	cfg.churn_slots = 4;
	cfg.churn_rate = 600;
	cfg.slow_slots = 4;
	cfg.stalled_slots = 2;
	cfg.flood_slots = 2;
	cfg.flood_rate = 40000;
	cfg.flood_max = 400000;
	cfg.big_slots = 2;
	cfg.big_init_bytes = 1048000;
	cfg.held_init_bytes = 60000;
	cfg.rss_slack_kib = 8192;
	cfg.rss_slack_pct = 25;
	cfg.fd_slack = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'a': address = optarg; break;
		case 'P': cfg.server_pid = (pid_t)strtol(optarg, NULL, 10); break;
		case 'd': cfg.duration_s = strtod(optarg, NULL); break;
		case 'S': cfg.settle_s = strtod(optarg, NULL); break;
		case 's': cfg.sources = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': cfg.churn_slots = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': cfg.churn_rate = strtod(optarg, NULL); break;
		case 'l': cfg.slow_slots = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': cfg.stalled_slots = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'f': cfg.flood_slots = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'F': cfg.flood_rate = strtod(optarg, NULL); break;
		case 'M': cfg.flood_max = strtoull(optarg, NULL, 10); break;
		case 'b': cfg.big_slots = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'B': cfg.big_init_bytes = (size_t)strtoul(optarg, NULL, 10); break;
		case 'H': cfg.held_init_bytes = (size_t)strtoul(optarg, NULL, 10); break;
		case 'k': cfg.rss_slack_kib = strtol(optarg, NULL, 10); break;
		case 'K': cfg.rss_slack_pct = strtod(optarg, NULL); break;
		case 'x': cfg.fd_slack = (int)strtol(optarg, NULL, 10); break;
		case 'I': cfg.rss_informational = true; break;
		case 'C': cfg.check = true; break;
		default: usage();
		}
	}
	cfg.dest.sin_family = AF_INET;
	cfg.dest.sin_port = htons((uint16_t)port);
	/* Loopback only: this program is for the machine it runs on. */
	if (port < 1 || port > 65535 || inet_pton(AF_INET, address, &cfg.dest.sin_addr) != 1 ||
	    (ntohl(cfg.dest.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "gqlws-soak: --port and a 127.x --address are required\n");
		usage();
	}
	snprintf(cfg.host_port, sizeof(cfg.host_port), "%s:%ld", address, port);
	if (cfg.check)
		return;
	if (!cfg.server_pid || cfg.duration_s <= 0 || cfg.duration_s > 86400 || !cfg.sources ||
	    cfg.sources > 250 || cfg.churn_slots > 64 || cfg.churn_rate <= 0 ||
	    cfg.churn_rate > 20000 || cfg.slow_slots > 64 || cfg.stalled_slots > 64 ||
	    cfg.flood_slots > 16 || cfg.flood_rate <= 0 || cfg.flood_rate > 1e6 ||
	    cfg.big_slots > 16 || cfg.big_init_bytes < 128 || cfg.big_init_bytes > (64u << 20) ||
	    cfg.held_init_bytes < 128 || cfg.held_init_bytes > (64u << 20) ||
	    cfg.fd_slack < 0)
		usage();
}

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	rng ^= (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cfg.check ? check() : soak();
}
