/*
 * session_message_cost.c - what one incoming message can cost in heap: while it is
 * handled (parsing is bounded by max-message-values) and afterwards (the
 * init payload and held legacy starts are kept as compact text, not as cJSON
 * trees). Bytes are counted as glibc counts them: each block's usable size
 * plus its 8-byte header.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_harness.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

/* ----------------------------------------------- cJSON's allocations */

static long long cjson_live, cjson_peak;

static void *counting_malloc(size_t n)
{
	void *p = malloc(n);

	if (p) {
		cjson_live += (long long)malloc_usable_size(p) + 8;
		if (cjson_live > cjson_peak)
			cjson_peak = cjson_live;
	}
	return p;
}

static void counting_free(void *p)
{
	if (p)
		cjson_live -= (long long)malloc_usable_size(p) + 8;
	free(p);
}

/* Counts every block cJSON allocates (parse, duplicate, print) until
 * stop_counting(). The counting hooks have no realloc, so cJSON prints by
 * malloc and copy: the same blocks it keeps. */
static void start_counting(void)
{
	cJSON_Hooks hooks = {.malloc_fn = counting_malloc, .free_fn = counting_free};

	cjson_live = cjson_peak = 0;
	cJSON_InitHooks(&hooks);
}

static void stop_counting(void)
{
	cJSON_InitHooks(NULL);
}

/* ---------------------------------------- every allocation (glibc's view) */

/* Heap in use, from glibc's own statistics; -1 when they do not see this
 * process's allocations (valgrind replaces the allocator). */
static long long heap_in_use(void)
{
	return (long long)mallinfo2().uordblks;
}

static bool heap_statistics_work(void)
{
	long long before = heap_in_use();
	void *probe = malloc(200000);
	bool works;

	ck_assert_ptr_nonnull(probe);
	((volatile char *)probe)[0] = 1;
	works = heap_in_use() - before >= 200000;
	free(probe);
	return works;
}

/* ------------------------------------------------------------ sessions */

static int never_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)op, (void)req;
	return 0;
}

static void never_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

/* An init hook that answers later: whatever the init left is held. */
static void answer_later(void *user, gqlws_session *s, const cJSON *payload)
{
	(void)user, (void)s, (void)payload;
}

static gqlws_session *new_session(gqlws_subprotocol proto, size_t max_values)
{
	gqlws_callbacks cb = {.on_init = answer_later, .op_start = never_start, .op_stop = never_stop};
	gqlws_options opts;
	gqlws_session *s;

	gqlws_options_init(&opts);
	opts.keepalive_ms = 0;
	opts.init_timeout_ms = 0;
	if (max_values)
		opts.max_message_values = max_values;
	s = gqlws_session_new(proto, &cb, &opts, NULL, 1);
	ck_assert_ptr_nonnull(s);
	return s;
}

static void feed(gqlws_session *s, const char *text, size_t len)
{
	ck_assert_int_eq(gqlws_session_receive(s, text, len, false, 1), GQLWS_OK);
}

/* head + [<item>,<item>,...] + tail, at most len bytes (NUL-terminated). */
static char *message_of_items(const char *head, bool object, const char *item, const char *tail,
			      size_t len, size_t *out_len)
{
	size_t item_len = strlen(item), tail_len = strlen(tail), n = strlen(head);
	char *text = malloc(len + item_len + n + tail_len + 8);

	ck_assert_ptr_nonnull(text);
	memcpy(text, head, n);
	text[n++] = object ? '{' : '[';
	while (n + item_len + 2 + tail_len <= len) {
		memcpy(text + n, item, item_len);
		n += item_len;
		text[n++] = ',';
	}
	text[n - 1] = object ? '}' : ']';
	memcpy(text + n, tail, tail_len + 1);
	*out_len = n + tail_len;
	return text;
}

/* ------------------------------------------------------------- tests */

START_TEST(parsing_one_message_costs_at_most_144_bytes_a_value_plus_its_size)
{
	/* The costliest shapes per byte and per value, filled to the default
	 * max-message-values or to 1 MiB: cJSON's peak while the session
	 * handles each stays within 144 bytes a value plus the message (a
	 * 64-byte node, and a block of at least 32 bytes for a string and for
	 * a member name). */
	static const struct {
		bool object;
		const char *item;
		size_t len;
	} shapes[] = {
		{false, "0", 16380 * 2},
		{false, "\"\"", 16380 * 3},
		{true, "\"\":\"\"", 16380 * 6},
		{false, "[]", 16380 * 3},
		{false, "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"", 16380 * 64},
		{true, "\"kkkkkkkkkkkkkkkkkkkkkkkkkkkk\":\"vvvvvvvvvvvvvvvvvvvvvvvvvvvv\"", 16380 * 62},
		{true, "\"\\u00e9\\u00e9\\u00e9\":\"\\ud83d\\ude00\"", 16380 * 33},
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		size_t len, values = 16384;
		char *text = message_of_items("{\"type\":\"pong\",\"payload\":{\"a\":", shapes[i].object,
					      shapes[i].item, "}}", shapes[i].len, &len);
		gqlws_session *s = new_session(MODERN, 0);

		start_counting();
		feed(s, text, len);
		stop_counting();
		ck_assert_msg(!gqlws_session_closing(s), "shape %zu refused", i);
		ck_assert_msg(cjson_peak <= (long long)(144 * values + len),
			      "shape %zu: %lld bytes for a %zu-byte message", i, cjson_peak, len);
		ck_assert_int_eq(cjson_live, 0);
		gqlws_session_destroy(s);
		free(text);
	}
}
END_TEST

START_TEST(a_large_message_of_small_values_is_refused_before_it_is_parsed)
{
	/* 1 MiB of [0,0,...] was ~40 MiB of cJSON nodes. */
	size_t len;
	char *text = message_of_items("{\"type\":\"pong\",\"payload\":{\"a\":", false, "0", "}}",
				      1024 * 1024 - 64, &len);
	gqlws_session *s = new_session(MODERN, 0);

	start_counting();
	feed(s, text, len);
	stop_counting();
	ck_assert(gqlws_session_closing(s));
	ck_assert_int_eq(cjson_peak, 0);
	gqlws_session_destroy(s);
	free(text);
}
END_TEST

START_TEST(a_pending_init_holds_its_payload_as_compact_text)
{
	/* A 60 KB payload of 30,000 small numbers (values bound lifted): as a
	 * cJSON tree it held ~2.4 MB for the life of the connection. */
	size_t len, payload_len = 60000;
	char *text = message_of_items("{\"type\":\"connection_init\",\"payload\":{\"a\":", false, "0", "}}",
				      payload_len + 40, &len);
	gqlws_session *s = new_session(MODERN, 1u << 20);
	long long before;

	if (!heap_statistics_work()) {
		gqlws_session_destroy(s);
		free(text);
		return; /* under valgrind: glibc's statistics see nothing */
	}
	before = heap_in_use();
	feed(s, text, len);
	ck_assert(!gqlws_session_closing(s));
	ck_assert_ptr_nonnull(gqlws_session_init_payload_json(s, NULL));
	ck_assert_msg(heap_in_use() - before <= (long long)payload_len + 4096,
		      "%lld bytes held for a %zu-byte payload", heap_in_use() - before, payload_len);
	gqlws_session_destroy(s);
	free(text);
}
END_TEST

START_TEST(a_held_legacy_start_holds_its_payload_as_compact_text)
{
	/* Starts behind a pending init are held until the hook answers: as
	 * cJSON trees, each could hold ~40 times its message. */
	size_t len;
	char *text = message_of_items("{\"type\":\"start\",\"id\":\"1\",\"payload\":{\"query\":\"{ a }\","
				      "\"variables\":{\"a\":",
				      false, "0", "}}}", 60000, &len);
	gqlws_session *s = new_session(LEGACY, 1u << 20);

	feed(s, "{\"type\":\"connection_init\"}", 26);
	start_counting();
	feed(s, text, len);
	stop_counting();
	ck_assert_uint_eq(gqlws_session_op_count(s), 1);
	ck_assert(!gqlws_session_closing(s));
	/* The message's text and one raw node. */
	ck_assert_msg(cjson_live <= (long long)len + 256, "%lld bytes held for a %zu-byte start",
		      cjson_live, len);
	gqlws_session_destroy(s);
	free(text);
}
END_TEST

START_TEST(a_held_legacy_start_runs_with_the_same_payload)
{
	harness *h = harness_new(LEGACY, NULL, INIT_PENDING);
	h_send(h, "{'type':'connection_init'}");
	h_send(h, "{'id':'1','type':'start','payload':{'query':'query Q($n: Int) { a(n: $n) }',"
		  "'variables':{'n':1.5e300,'s':'caf\\u00e9 \\ud83d\\ude00','l':[true,null,{}],"
		  "'huge':1e400,'long':0.1000000000000000055511151231257827},"
		  "'operationName':'Q','extensions':{'x':[1]}}}");
	ck_assert_uint_eq(h_started(h), 0);
	ck_assert_int_eq(h_accept(h, NULL), GQLWS_OK);
	fake_op *op = h_live(h, "1");
	ck_assert_str_eq(op->query, "query Q($n: Int) { a(n: $n) }");
	ck_assert_str_eq(op->operation_name, "Q");
	/* Numbers reach the executor as a direct start gives them: the text
	 * is parsed again, not printed and parsed (cJSON prints inf as null). */
	const cJSON *huge = cJSON_GetObjectItemCaseSensitive(op->variables, "huge");
	ck_assert(cJSON_IsNumber(huge) && isinf(huge->valuedouble));
	ck_assert(cJSON_GetObjectItemCaseSensitive(op->variables, "long")->valuedouble == 0.1);
	cJSON_DeleteItemFromObjectCaseSensitive(op->variables, "huge");
	cJSON_DeleteItemFromObjectCaseSensitive(op->variables, "long");
	ck_assert(h_json_matches("{'n':1.5e300,'s':'caf\xc3\xa9 \xf0\x9f\x98\x80','l':[true,null,{}]}",
				 op->variables));
	ck_assert(h_json_matches("{'x':[1]}", op->extensions));
	harness_free(h);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("session_message_cost");
	TCase *tc = h_tcase("memory per message");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parsing_one_message_costs_at_most_144_bytes_a_value_plus_its_size);
	tcase_add_test(tc, a_large_message_of_small_values_is_refused_before_it_is_parsed);
	tcase_add_test(tc, a_pending_init_holds_its_payload_as_compact_text);
	tcase_add_test(tc, a_held_legacy_start_holds_its_payload_as_compact_text);
	tcase_add_test(tc, a_held_legacy_start_runs_with_the_same_payload);
	suite_add_tcase(suite, tc);
	return h_run_suite(suite);
}
