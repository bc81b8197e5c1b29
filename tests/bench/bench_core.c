/*
 * bench_core: the protocol engine alone. One session starts one operation
 * and streams results of about 100 bytes until complete, the transport side
 * taking each frame as soon as it is queued. Prints frames per second and
 * heap bytes allocated per frame, for both subprotocols and both ways of
 * handing results over (pre-serialised text, and a cJSON tree). Then what
 * each incoming message costs: the strict JSON check beside cJSON's parse,
 * the heap a worst-case message takes while it is handled, and the heap a
 * 64 KiB init payload holds for the life of the connection. Last, what finding
 * one operation costs, by id (every start, stop and complete message) and by
 * serial (every result a worker posts), among many running operations.
 *
 * Usage: bench_core [frames-per-run]   (default 5000000)
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gqlws.h"
#include "json_strict.h"
#include "session_internal.h"

/* Counting allocator: the binary's malloc family wraps glibc's, so every
 * allocation the engine (and cJSON) makes is counted. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static unsigned long long alloc_calls, alloc_bytes;
/* Heap in use as glibc counts it (usable size plus its 8-byte chunk
 * header), and the peak since the last reset_peak(). */
static long long live_heap, peak_heap;

static void count_in(void *p)
{
	if (!p)
		return;
	live_heap += (long long)malloc_usable_size(p) + 8;
	if (live_heap > peak_heap)
		peak_heap = live_heap;
}

static void count_out(void *p)
{
	if (p)
		live_heap -= (long long)malloc_usable_size(p) + 8;
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);

	alloc_calls++;
	alloc_bytes += n;
	count_in(p);
	return p;
}

void *calloc(size_t n, size_t m)
{
	void *p = __libc_calloc(n, m);

	alloc_calls++;
	alloc_bytes += n * m;
	count_in(p);
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q;

	alloc_calls++;
	alloc_bytes += n;
	count_out(p);
	q = __libc_realloc(p, n);
	count_in(q ? q : (n ? p : NULL)); /* on failure p is still live */
	return q;
}

void free(void *p)
{
	count_out(p);
	__libc_free(p);
}

static void reset_peak(void)
{
	peak_heap = live_heap;
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

/* A transport's notification hook (as the plugin's, called once per frame
 * queued into an empty queue), so that its cost is in the figures. */
static unsigned long notices;

static void on_notify(void *user, gqlws_session *s, unsigned changes, uint64_t deadline)
{
	(void)user, (void)s, (void)changes, (void)deadline;
	notices++;
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
	gqlws_callbacks cb = {.op_start = on_start, .op_stop = on_stop, .on_notify = on_notify};
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

/* ------------------------------------------------------ incoming messages */

/* A typical subscribe message (about 200 bytes). */
static const char subscribe_text[] =
	"{\"id\":\"3f2a9c1e-77b1-4c55-9a0e-2b8d6f1c4e90\",\"type\":\"subscribe\",\"payload\":"
	"{\"query\":\"subscription OnCounter($n: Int) { counter(limit: $n) { value at } }\","
	"\"variables\":{\"n\":10},\"operationName\":\"OnCounter\",\"extensions\":{}}}";

static void time_check_and_parse(const char *what, const char *text, size_t len, unsigned long runs)
{
	double t0, t1, t2;
	size_t values = 0;

	t0 = now_seconds();
	for (unsigned long i = 0; i < runs; i++)
		if (gqlws_json_check(text, len, (size_t)-1, &values) != GQLWS_JSON_OK)
			abort();
	t1 = now_seconds();
	for (unsigned long i = 0; i < runs; i++)
		cJSON_Delete(cJSON_ParseWithLength(text, len));
	t2 = now_seconds();
	printf("%-34s %8zu B %6zu values  check %9.1f ns (%6.0f MB/s)  cJSON parse+free %10.1f ns\n",
	       what, len, values, (t1 - t0) * 1e9 / (double)runs,
	       (double)len * (double)runs / (t1 - t0) / 1e6, (t2 - t1) * 1e9 / (double)runs);
}

static int never_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)op, (void)req;
	return 0;
}

/* <head>[<item>,<item>,...]}} (or {...} when object) of at most len bytes,
 * head ending in {"a":. With the pong head the message is parsed and then
 * needs nothing else. */
static const char pong_head[] = "{\"type\":\"pong\",\"payload\":{\"a\":";
static const char init_head[] = "{\"type\":\"connection_init\",\"payload\":{\"a\":";

static char *items_message(const char *head, bool object, const char *item, size_t len,
			   size_t *out_len)
{
	size_t item_len = strlen(item), n = strlen(head);
	char *text = malloc(len + item_len + n + 8);

	memcpy(text, head, n);
	text[n++] = object ? '{' : '[';
	while (n + item_len + 1 + 3 <= len) {
		memcpy(text + n, item, item_len);
		n += item_len;
		text[n++] = ',';
	}
	memcpy(text + n - 1, object ? "}}}" : "]}}", 4);
	*out_len = n + 2;
	return text;
}

static char *pong_of_items(const char *item, size_t len, size_t *out_len)
{
	return items_message(pong_head, false, item, len, out_len);
}

/* Peak heap while one session handles the message, over what it held. */
static void message_cost(const char *what, const char *text, size_t len, size_t max_values)
{
	gqlws_callbacks cb = {.op_start = never_start, .op_stop = on_stop};
	gqlws_options opts;
	gqlws_session *s;
	long long before;
	size_t values = 0;

	gqlws_options_init(&opts);
	opts.keepalive_ms = 0;
	if (max_values)
		opts.max_message_values = max_values;
	s = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, &opts, NULL, 0);
	feed(s, "{\"type\":\"connection_init\"}");
	drain(s);
	before = live_heap;
	reset_peak();
	gqlws_session_receive(s, text, len, false, 0);
	gqlws_json_check(text, len, (size_t)-1, &values);
	printf("%-40s %8zu B %7zu values  peak +%10lld B heap  (%5.1f x the message)%s\n", what, len,
	       values, peak_heap - before, (double)(peak_heap - before) / (double)len,
	       gqlws_session_closing(s) ? "  refused" : "");
	gqlws_session_destroy(s);
}

/* Heap the session holds after accepting an init with this payload. */
static void init_payload_held(const char *what, const char *item, size_t payload_bytes)
{
	gqlws_callbacks cb = {.op_start = never_start, .op_stop = on_stop};
	gqlws_options opts;
	gqlws_session *s;
	long long before, peak;
	size_t len;
	char *text;

	/* The payload {"a":[...]} is the message less the head's type part. */
	text = items_message(init_head, false, item, payload_bytes + strlen(init_head) - 5 + 2, &len);
	gqlws_options_init(&opts);
	opts.keepalive_ms = 0;
	opts.max_message_values = (size_t)1 << 24;
	before = live_heap;
	reset_peak();
	s = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, &opts, NULL, 0);
	gqlws_session_receive(s, text, len, false, 0);
	drain(s);
	peak = peak_heap;
	printf("%-40s message %7zu B  held after the ack %8lld B  (peak while handled +%lld B)%s\n",
	       what, len, live_heap - before, peak - before,
	       gqlws_session_acknowledged(s) ? "" : "  refused");
	gqlws_session_destroy(s);
	free(text);
}

static void incoming(void)
{
	size_t mib = 1024 * 1024, len;
	char *text, *big_query;

	printf("\nincoming messages: strict JSON check beside cJSON's parse\n");
	time_check_and_parse("subscribe message", subscribe_text, sizeof(subscribe_text) - 1, 2000000);
	big_query = malloc(mib + 64);
	len = (size_t)sprintf(big_query, "{\"type\":\"pong\",\"payload\":{\"q\":\"");
	memset(big_query + len, 'x', mib - len - 4);
	memcpy(big_query + mib - 4, "\"}}", 4);
	time_check_and_parse("1 MiB message, one string", big_query, mib - 1, 200);
	text = pong_of_items("0", mib, &len);
	time_check_and_parse("1 MiB message, [0,0,...]", text, len, 20);
	free(text);

	printf("\nheap while one message is handled (default limits; 1 MiB messages)\n");
	text = pong_of_items("0", mib, &len);
	message_cost("[0,0,...], no value bound (as before)", text, len, (size_t)1 << 24);
	message_cost("[0,0,...], max-message-values 16384", text, len, 0);
	free(text);
	/* The costliest shapes that stay within 16384 values: */
	text = pong_of_items("0", 16380 * 2, &len);
	message_cost("[0,...]", text, len, 0);
	free(text);
	text = items_message(pong_head, true, "\"\":\"\"", 16380 * 6, &len);
	message_cost("{\"\":\"\",...}", text, len, 0);
	free(text);
	text = pong_of_items("\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
			     16380 * 64, &len);
	message_cost("[\"<61 x>\",...], 1 MiB", text, len, 0);
	free(text);
	text = items_message(pong_head, true,
			     "\"kkkkkkkkkkkkkkkkkkkkkkkkkkkk\":\"vvvvvvvvvvvvvvvvvvvvvvvvvvvv\"",
			     16380 * 62, &len);
	message_cost("{\"<28 k>\":\"<28 v>\",...}, 1 MiB", text, len, 0);
	free(text);
	message_cost("one string, 1 MiB", big_query, mib - 1, 0);
	free(big_query);

	printf("\nheap an accepted init payload holds for the life of the connection\n"
	       "(max-message-values lifted, so that the payload limit alone decides)\n");
	init_payload_held("64 KiB payload {\"a\":[0,0,...]}", "0", 65536 - 16);
	init_payload_held("64 KiB payload {\"a\":[\"<12 x>\",...]}", "\"xxxxxxxxxxxx\"", 65536 - 16);
	init_payload_held("1 MiB payload {\"a\":[0,0,...]}", "0", mib - 128);
}

/* ------------------------------------------------------ finding an op */

static uint64_t *started_serials;
static size_t started_count;

static int record_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)req;
	started_serials[started_count++] = gqlws_op_serial(op);
	return 0;
}

#define LOOKUP_ID_BYTES 16

/* The next index of a fixed pseudo-random walk over [0, count): lookups
 * land anywhere, as client messages and worker results do. */
static size_t next_index(uint64_t *state, size_t count)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return (size_t)((*state >> 33) % count);
}

/* Nanoseconds per lookup, repeated until the timing is long enough to trust. */
static double time_lookups(gqlws_session *s, const char (*ids)[LOOKUP_ID_BYTES], size_t count,
			   bool by_id)
{
	for (unsigned long runs = 64;; runs *= 2) {
		uint64_t state = 42;
		double t0 = now_seconds(), t1;

		for (unsigned long i = 0; i < runs; i++) {
			size_t k = next_index(&state, count);
			gqlws_op *op = by_id ? ops_find(s, ids[k], strlen(ids[k]), true)
					     : gqlws_session_find_op(s, started_serials[k]);

			if (!op || op->serial != started_serials[k])
				abort();
		}
		t1 = now_seconds();
		if (t1 - t0 > 0.3)
			return (t1 - t0) * 1e9 / (double)runs;
	}
}

static void lookups(size_t count)
{
	gqlws_callbacks cb = {.op_start = record_start, .op_stop = on_stop};
	char (*ids)[LOOKUP_ID_BYTES] = malloc(count * LOOKUP_ID_BYTES);
	gqlws_options opts;
	gqlws_session *s;
	double by_id, by_serial;

	started_serials = malloc(count * sizeof(*started_serials));
	started_count = 0;
	gqlws_options_init(&opts);
	opts.keepalive_ms = 0;
	opts.max_operations = (uint32_t)count;
	opts.max_connection_bytes = (size_t)1 << 40;
	s = gqlws_session_new(GQLWS_SUBPROTOCOL_MODERN, &cb, &opts, NULL, 0);
	feed(s, "{\"type\":\"connection_init\"}");
	drain(s);
	for (size_t i = 0; i < count; i++) {
		char text[128];

		snprintf(ids[i], LOOKUP_ID_BYTES, "op-%u", (unsigned)i);
		snprintf(text, sizeof(text),
			 "{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription{c}\"}}",
			 ids[i]);
		feed(s, text);
	}
	if (started_count != count || gqlws_session_op_count(s) != count)
		abort();
	by_id = time_lookups(s, (const char (*)[LOOKUP_ID_BYTES])ids, count, true);
	by_serial = time_lookups(s, (const char (*)[LOOKUP_ID_BYTES])ids, count, false);
	printf("%7zu running operations: find by id %10.1f ns   by serial %10.1f ns   "
	       "session memory %zu B\n",
	       count, by_id, by_serial, gqlws_session_memory_bytes(s));
	gqlws_session_destroy(s);
	free(started_serials);
	free(ids);
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
	incoming();
	printf("\nfinding one operation (each start, stop and complete message by id; each "
	       "posted result by serial)\n");
	lookups(10000);
	lookups(100000);
	return 0;
}
