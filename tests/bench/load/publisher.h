/*
 * publisher.h - the load generator's event publisher (workload W5): one
 * keep-alive HTTP/1.1 connection that POSTs an event to a topic at a steady
 * rate, each event stamped with its wall-clock send time so that the
 * subscribers measure publish-to-delivery latency. It runs in the load
 * generator's epoll loop, so its CPU is the load generator's, never the
 * server's.
 */
#ifndef GQLWS_BENCH_PUBLISHER_H
#define GQLWS_BENCH_PUBLISHER_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PUBLISHER_REQUEST_MAX 4096
#define PUBLISHER_ANSWER_MAX 8192

struct publisher_stats {
	uint64_t events;      /* requests sent */
	uint64_t accepted;    /* answered 2xx */
	uint64_t refused;     /* answered with another status */
	uint64_t skipped;     /* due while the previous answer had not come */
	uint64_t connects;    /* TCP connections opened (1 when keep-alive holds) */
	uint64_t errors;      /* refused + broken connections + unparseable answers */
	long subscribers_max; /* the largest "subscribers" count an answer gave; -1: none */
	int last_status;
};

struct publisher {
	int epfd;
	int fd;
	enum { PUB_CLOSED, PUB_CONNECTING, PUB_READY, PUB_WAITING } state;
	struct sockaddr_in dest;
	char host_port[300];
	char path[512];
	char token[512];
	const char *event_template; /* "$seq" and "$at" are replaced per event */
	double interval_s;
	double next_due;            /* monotonic seconds */
	bool due_pending;           /* due while connecting: send once connected */
	char req[PUBLISHER_REQUEST_MAX];
	size_t req_len, req_sent;
	char answer[PUBLISHER_ANSWER_MAX];
	size_t answer_len;
	struct publisher_stats st;
	unsigned errors_logged;
	bool quiet;
};

/* Parses url (http://IPv4:PORT/path/topic); false with a message on stderr
 * when it is not one. The first event is due at once (start time now). */
bool publisher_init(struct publisher *p, int epfd, const char *url, const char *token,
		    const char *event_template, double interval_ms, double now, bool quiet);

/* Whether an epoll event's data.ptr is this publisher's. */
static inline bool publisher_owns(const struct publisher *p, const void *ptr)
{
	return ptr == (const void *)p;
}

/* Sends the next event if it is due (call every loop turn). */
void publisher_tick(struct publisher *p, double now);

/* Handles an epoll event on the publisher's socket. */
void publisher_on_event(struct publisher *p, uint32_t events, double now);

/* Milliseconds until the next event is due (0 if it is), for epoll_wait. */
int publisher_wait_ms(const struct publisher *p, double now);

/* Writes `,"publish":{...}` (the counters) to f. */
void publisher_report(const struct publisher *p, const struct publisher_stats *window, FILE *f);

/* Closes the socket. */
void publisher_close(struct publisher *p);

#endif
