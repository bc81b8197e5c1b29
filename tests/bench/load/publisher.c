/*
 * publisher.c - the load generator's HTTP event publisher (see publisher.h).
 * One request at a time on one keep-alive connection: an event due while the
 * previous answer is still awaited is skipped and counted, so the rate never
 * builds a backlog of requests that would hide a slow server.
 */
#define _GNU_SOURCE
#include "publisher.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void pub_error(struct publisher *p, const char *what, const char *detail)
{
	p->st.errors++;
	if (p->errors_logged++ < 5 && !p->quiet)
		fprintf(stderr, "gqlws-loadgen: publish: %s%s%s\n", what, detail ? ": " : "",
			detail ? detail : "");
}

bool publisher_init(struct publisher *p, int epfd, const char *url, const char *token,
		    const char *event_template, double interval_ms, double now, bool quiet)
{
	const char *host, *slash, *colon;
	char addr[64];
	size_t hlen;
	unsigned long port = 80;

	memset(p, 0, sizeof(*p));
	p->epfd = epfd;
	p->fd = -1;
	p->quiet = quiet;
	p->st.subscribers_max = -1;
	if (strncmp(url, "http://", 7) || interval_ms <= 0) {
		fprintf(stderr, "gqlws-loadgen: --publish needs http://IPv4:PORT/path and --publish-ms > 0\n");
		return false;
	}
	host = url + 7;
	slash = strchr(host, '/');
	if (!slash)
		slash = host + strlen(host);
	colon = memchr(host, ':', (size_t)(slash - host));
	hlen = (size_t)((colon ? colon : slash) - host);
	if (!hlen || hlen >= sizeof(addr) || strlen(slash) >= sizeof(p->path) ||
	    (token && strlen(token) >= sizeof(p->token))) {
		fprintf(stderr, "gqlws-loadgen: bad --publish URL or token\n");
		return false;
	}
	memcpy(addr, host, hlen);
	addr[hlen] = '\0';
	if (colon)
		port = strtoul(colon + 1, NULL, 10);
	p->dest.sin_family = AF_INET;
	p->dest.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &p->dest.sin_addr) != 1) {
		fprintf(stderr, "gqlws-loadgen: --publish host must be an IPv4 address\n");
		return false;
	}
	snprintf(p->host_port, sizeof(p->host_port), "%s:%lu", addr, port);
	snprintf(p->path, sizeof(p->path), "%s", *slash ? slash : "/");
	snprintf(p->token, sizeof(p->token), "%s", token ? token : "");
	p->event_template = event_template;
	p->interval_s = interval_ms / 1e3;
	p->next_due = now;
	return true;
}

void publisher_close(struct publisher *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->state = PUB_CLOSED;
	p->answer_len = 0;
}

static void set_interest(struct publisher *p, bool out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = p };

	epoll_ctl(p->epfd, EPOLL_CTL_MOD, p->fd, &ev);
}

static void pub_connect(struct publisher *p)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = p };
	int one = 1;

	p->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		pub_error(p, "socket() failed", strerror(errno));
		return;
	}
	setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(p->fd, (struct sockaddr *)&p->dest, sizeof(p->dest)) < 0 && errno != EINPROGRESS) {
		pub_error(p, "connect failed", strerror(errno));
		publisher_close(p);
		return;
	}
	p->st.connects++;
	p->state = PUB_CONNECTING;
	epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->fd, &ev);
}

/* The event's JSON: the template with $seq and $at replaced. */
static size_t format_event(const struct publisher *p, char *out, size_t cap, uint64_t seq, double at)
{
	size_t n = 0;

	for (const char *t = p->event_template; *t && n + 40 < cap;) {
		if (!strncmp(t, "$seq", 4)) {
			n += (size_t)snprintf(out + n, cap - n, "%llu", (unsigned long long)seq);
			t += 4;
		} else if (!strncmp(t, "$at", 3)) {
			n += (size_t)snprintf(out + n, cap - n, "%.4f", at);
			t += 3;
		} else {
			out[n++] = *t++;
		}
	}
	out[n] = '\0';
	return n;
}

static void flush_request(struct publisher *p)
{
	while (p->req_sent < p->req_len) {
		ssize_t n = send(p->fd, p->req + p->req_sent, p->req_len - p->req_sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				set_interest(p, true);
				return;
			}
			pub_error(p, "send failed", strerror(errno));
			publisher_close(p);
			return;
		}
		p->req_sent += (size_t)n;
	}
	set_interest(p, false);
}

static void send_event(struct publisher *p)
{
	char body[PUBLISHER_REQUEST_MAX / 2];
	size_t blen;
	int hl;

	/* Stamped as late as possible: latency is from here to the client's read. */
	blen = format_event(p, body, sizeof(body), p->st.events + 1, wall_ms());
	hl = snprintf(p->req, sizeof(p->req),
		      "POST %s HTTP/1.1\r\nHost: %s\r\n%s%s%sContent-Type: application/json\r\n"
		      "Content-Length: %zu\r\n\r\n",
		      p->path, p->host_port, p->token[0] ? "Authorization: Bearer " : "", p->token,
		      p->token[0] ? "\r\n" : "", blen);
	if (hl < 0 || (size_t)hl + blen > sizeof(p->req)) {
		pub_error(p, "event too large", NULL);
		return;
	}
	memcpy(p->req + hl, body, blen);
	p->req_len = (size_t)hl + blen;
	p->req_sent = 0;
	p->answer_len = 0;
	p->state = PUB_WAITING;
	p->st.events++;
	flush_request(p);
}

void publisher_tick(struct publisher *p, double now)
{
	if (now < p->next_due)
		return;
	switch (p->state) {
	case PUB_CLOSED:
		pub_connect(p);
		p->due_pending = p->state == PUB_CONNECTING;
		break;
	case PUB_CONNECTING:
		p->due_pending = true;
		break;
	case PUB_READY:
		send_event(p);
		break;
	case PUB_WAITING:
		p->st.skipped++;
		break;
	}
	p->next_due += p->interval_s;
	/* Far behind (a stalled loop): restart the schedule rather than burst. */
	if (p->next_due < now)
		p->next_due = now + p->interval_s;
}

int publisher_wait_ms(const struct publisher *p, double now)
{
	double ms = (p->next_due - now) * 1e3;

	return ms <= 0 ? 0 : (int)ms + 1;
}

/* Header value (case-insensitive name, e.g. "content-length:") in the header
 * block head[0..len), or NULL. */
static const char *header_value(const char *head, size_t len, const char *name)
{
	size_t nlen = strlen(name);

	for (const char *line = head; line && line < head + len;) {
		const char *eol = memmem(line, (size_t)(head + len - line), "\r\n", 2);

		if (!eol)
			break;
		if ((size_t)(eol - line) > nlen && !strncasecmp(line, name, nlen)) {
			line += nlen;
			while (*line == ' ')
				line++;
			return line;
		}
		line = eol + 2;
	}
	return NULL;
}

/* Looks at the bytes received so far: true once the whole answer is there
 * (or the connection closed, eof), which is then counted. */
static bool answer_complete(struct publisher *p, bool eof)
{
	const char *a = p->answer;
	const char *end_head = memmem(a, p->answer_len, "\r\n\r\n", 4);
	const char *cl, *te, *conn, *body, *subs;
	size_t head_len, body_len;
	bool keep = true, chunked = false;
	int status;

	if (!end_head)
		return false;
	head_len = (size_t)(end_head - a) + 4;
	body = a + head_len;
	body_len = p->answer_len - head_len;
	cl = header_value(a, head_len, "content-length:");
	te = header_value(a, head_len, "transfer-encoding:");
	conn = header_value(a, head_len, "connection:");
	chunked = te && !strncasecmp(te, "chunked", 7);
	if (conn && !strncasecmp(conn, "close", 5))
		keep = false;
	if (cl) {
		if (body_len < strtoul(cl, NULL, 10))
			return false;
	} else if (chunked) {
		if (body_len < 5 || memcmp(body + body_len - 5, "0\r\n\r\n", 5))
			return false;
	} else if (!eof) {
		return false;
	}
	if (sscanf(a, "HTTP/1.%*d %d", &status) != 1) {
		pub_error(p, "answer without a status line", NULL);
		publisher_close(p);
		return true;
	}
	p->st.last_status = status;
	if (status >= 200 && status < 300) {
		p->st.accepted++;
		subs = memmem(body, body_len, "\"subscribers\":", 14);
		if (subs) {
			long n = strtol(subs + 14, NULL, 10);

			if (n > p->st.subscribers_max)
				p->st.subscribers_max = n;
		}
	} else {
		char what[160];

		p->st.refused++;
		snprintf(what, sizeof(what), "HTTP %d: %.*s", status, (int)(body_len < 100 ? body_len : 100),
			 body);
		pub_error(p, "refused", what);
	}
	p->answer_len = 0;
	if (!keep || eof)
		publisher_close(p);
	else
		p->state = PUB_READY;
	return true;
}

void publisher_on_event(struct publisher *p, uint32_t events, double now)
{
	(void)now;
	if (p->state == PUB_CONNECTING && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		int err = 0;
		socklen_t elen = sizeof(err);

		getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err) {
			pub_error(p, "connect failed", strerror(err));
			publisher_close(p);
			return;
		}
		p->state = PUB_READY;
		set_interest(p, false);
		if (p->due_pending) {
			p->due_pending = false;
			send_event(p);
		}
		return;
	}
	if (p->state == PUB_WAITING && p->req_sent < p->req_len && (events & EPOLLOUT))
		flush_request(p);
	if (p->fd < 0 || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (;;) {
		ssize_t n;

		if (p->answer_len == sizeof(p->answer)) {
			pub_error(p, "answer too large", NULL);
			publisher_close(p);
			return;
		}
		n = recv(p->fd, p->answer + p->answer_len, sizeof(p->answer) - p->answer_len, MSG_DONTWAIT);
		if (n > 0) {
			p->answer_len += (size_t)n;
			if (p->state == PUB_WAITING && answer_complete(p, false))
				return;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		/* Closed (or failed): an answer read to the end is complete, a
		 * connection the server closed between requests (its keep-alive
		 * timeout) is reopened at the next event, anything else is an error. */
		if (p->state == PUB_WAITING && !answer_complete(p, true))
			pub_error(p, "connection closed before the answer", NULL);
		if (p->state == PUB_READY && p->answer_len)
			pub_error(p, "bytes after the answer", NULL);
		publisher_close(p);
		return;
	}
}

void publisher_report(const struct publisher *p, const struct publisher_stats *window, FILE *f)
{
	fprintf(f,
		",\"publish\":{\"url\":\"http://%s%s\",\"interval_ms\":%.1f,\"events\":%llu,"
		"\"events_in_window\":%llu,\"accepted\":%llu,\"refused\":%llu,\"skipped\":%llu,"
		"\"connects\":%llu,\"errors\":%llu,\"last_status\":%d,\"subscribers_max\":%ld}",
		p->host_port, p->path, p->interval_s * 1e3, (unsigned long long)p->st.events,
		(unsigned long long)window->events, (unsigned long long)p->st.accepted,
		(unsigned long long)p->st.refused, (unsigned long long)p->st.skipped,
		(unsigned long long)p->st.connects, (unsigned long long)p->st.errors, p->st.last_status,
		p->st.subscribers_max);
}
