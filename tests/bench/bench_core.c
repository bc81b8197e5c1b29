/*
 * bench_core: the protocol engine alone. One session starts one operation
 * and streams results of about 100 bytes until complete, the transport side
 * taking each frame as soon as it is queued. Prints frames per second and
 * heap bytes allocated per frame, for both subprotocols and both ways of
 * handing results over (pre-serialised text, and a cJSON tree).
 *
 * Usage: bench_core [frames-per-run]   (default 5000000)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gqlws.h"

/* Counting allocator: the binary's malloc family wraps glibc's, so every
 * allocation the engine (and cJSON) makes is counted. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static unsigned long long alloc_calls, alloc_bytes;

void *malloc(size_t n)
{
	alloc_calls++;
	alloc_bytes += n;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	alloc_calls++;
	alloc_bytes += n * m;
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	alloc_calls++;
	alloc_bytes += n;
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

static gqlws_op *running;

static int on_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)req;
	running = op;
	return 0;
}

static void on_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void feed(gqlws_session *s, const char *text)
{
	gqlws_session_receive(s, text, strlen(text), false, 0);
}

static size_t drain(gqlws_session *s)
{
	size_t len, bytes = 0;

	while (gqlws_session_peek_frame(s, &len)) {
		bytes += len;
		gqlws_session_frame_sent(s);
	}
	return bytes;
}

/* A typical subscription event: about 100 bytes of payload. */
static const char event_text[] =
	"{\"data\":{\"counter\":{\"value\":123456,\"at\":1764075600123.5,"
	"\"__typename\":\"Counter\",\"label\":\"abcdefgh\"}}}";

static void run(gqlws_subprotocol proto, bool as_tree, unsigned long frames)
{
	gqlws_callbacks cb = {.op_start = on_start, .op_stop = on_stop};
	gqlws_options opts;
	gqlws_session *s;
	cJSON *tree = cJSON_Parse(event_text);
	unsigned long long calls0, bytes0;
	size_t frame_bytes = 0;
	double t0, t1;

	gqlws_options_init(&opts);
	opts.frame_headroom = 16; /* as LWS_PRE */
	opts.keepalive_ms = 0;
	s = gqlws_session_new(proto, &cb, &opts, NULL, 0);
	feed(s, "{\"type\":\"connection_init\"}");
	if (proto == GQLWS_SUBPROTOCOL_LEGACY)
		feed(s, "{\"type\":\"start\",\"id\":\"1\",\"payload\":{\"query\":\"subscription{c}\"}}");
	else
		feed(s, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription{c}\"}}");
	drain(s);

	calls0 = alloc_calls;
	bytes0 = alloc_bytes;
	t0 = now_seconds();
	for (unsigned long i = 0; i < frames; i++) {
		if (as_tree)
			gqlws_op_next(running, tree);
		else
			gqlws_op_next_raw(running, event_text, sizeof(event_text) - 1);
		frame_bytes += drain(s);
	}
	gqlws_op_complete(running);
	drain(s);
	t1 = now_seconds();

	printf("%-22s %-5s frames=%lu  %.2f M frames/s  %.1f ns/frame  frame=%zu B  "
	       "allocs/frame=%.3f  alloc bytes/frame=%.1f\n",
	       gqlws_subprotocol_name(proto), as_tree ? "cJSON" : "text", frames,
	       (double)frames / (t1 - t0) / 1e6, (t1 - t0) * 1e9 / (double)frames,
	       frame_bytes / frames, (double)(alloc_calls - calls0) / (double)frames,
	       (double)(alloc_bytes - bytes0) / (double)frames);
	gqlws_session_destroy(s);
	cJSON_Delete(tree);
}

int main(int argc, char **argv)
{
	unsigned long frames = argc > 1 ? strtoul(argv[1], NULL, 10) : 5000000ul;

	if (!frames)
		frames = 1;
	printf("bench_core: one session, one operation, %zu-byte results, frame taken at once\n",
	       sizeof(event_text) - 1);
	run(GQLWS_SUBPROTOCOL_LEGACY, false, frames);
	run(GQLWS_SUBPROTOCOL_MODERN, false, frames);
	run(GQLWS_SUBPROTOCOL_LEGACY, true, frames / 4);
	run(GQLWS_SUBPROTOCOL_MODERN, true, frames / 4);
	return 0;
}
