/*
 * op_map.c - the index of a session's live operations by id and by serial
 * (lib/src/op_map.c): found without a scan, gone once retired, ids that share
 * a chain all found, a client unable to carry colliding ids from one session
 * to the next, growth and shrink, and its heap charged to the connection and
 * given back. Driven through the operation registry of a real session, and
 * through client messages where the protocol decides (id reuse, replacement).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "session_internal.h"

#define LEGACY GQLWS_SUBPROTOCOL_LEGACY
#define MODERN GQLWS_SUBPROTOCOL_MODERN

static int no_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)op, (void)req;
	return 0;
}

static void no_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s, (void)op;
}

/* A bare session whose ops are made by the registry directly (held, never
 * started: nothing reaches an executor). */
static gqlws_session *bare_session(size_t max_connection_bytes)
{
	gqlws_callbacks cb = {.op_start = no_start, .op_stop = no_stop};
	gqlws_options opts;

	gqlws_options_init(&opts);
	opts.keepalive_ms = 0;
	opts.init_timeout_ms = 0;
	if (max_connection_bytes)
		opts.max_connection_bytes = max_connection_bytes;
	return gqlws_session_new(MODERN, &cb, &opts, NULL, 0);
}

static gqlws_op *add(gqlws_session *s, const char *id, bool is_string)
{
	bool over_limit;
	gqlws_op *op = ops_create(s, id, strlen(id), is_string, &over_limit);

	ck_assert_msg(op, "ops_create(%s) failed%s", id, over_limit ? " (over the budget)" : "");
	return op;
}

static gqlws_op *find(gqlws_session *s, const char *id)
{
	return ops_find(s, id, strlen(id), true);
}

/* What the session charges besides itself: its ops and the index. */
static size_t ops_cost(const gqlws_session *s)
{
	size_t total = s->ops_index.cost;

	for (const gqlws_op *op = s->ops_head; op; op = op->next)
		total += op->own_cost;
	return total;
}

/* The bucket (of that capacity) an id lands in, under the session's key. */
static size_t bucket_of(const gqlws_session *s, const char *id, size_t capacity)
{
	return (size_t)op_map_hash_id(&s->ops_index, id, strlen(id), true) & (capacity - 1);
}

/* Fills ids[count] with ids that all land in bucket 0 of that capacity. */
static void colliding_ids(const gqlws_session *s, size_t capacity, char (*ids)[16], size_t count)
{
	size_t found = 0;

	for (unsigned long n = 0; found < count; n++) {
		snprintf(ids[found], 16, "c%lu", n);
		if (bucket_of(s, ids[found], capacity) == 0)
			found++;
	}
}

/* ---------------------------------------------------------------- basics */

START_TEST(ops_are_found_by_id_and_serial_until_retired)
{
	gqlws_session *s = bare_session(0);
	gqlws_op *a = add(s, "a", true), *b = add(s, "b", true);

	ck_assert_ptr_eq(find(s, "a"), a);
	ck_assert_ptr_eq(find(s, "b"), b);
	ck_assert_ptr_null(find(s, "c"));
	ck_assert_ptr_null(find(s, ""));
	/* Held ops are found by id (a start may replace them) but not by
	 * serial: the executor never saw them. */
	ck_assert_ptr_eq(op_map_find_serial(&s->ops_index, a->serial), a);
	ck_assert_ptr_null(gqlws_session_find_op(s, a->serial));
	a->state = OP_RUNNING;
	ck_assert_ptr_eq(gqlws_session_find_op(s, a->serial), a);
	ck_assert_ptr_null(gqlws_session_find_op(s, a->serial + 1000));

	ops_retire(s, a);
	ck_assert_ptr_null(find(s, "a"));
	ck_assert_ptr_null(gqlws_session_find_op(s, a->serial));
	ck_assert_ptr_eq(find(s, "b"), b);
	ck_assert_uint_eq(s->ops_index.count, 1);
	gqlws_session_destroy(s);
}
END_TEST

START_TEST(a_number_id_and_the_same_text_as_a_string_are_different_ops)
{
	gqlws_session *s = bare_session(0);
	gqlws_op *number = add(s, "7", false), *string = add(s, "7", true);

	ck_assert_ptr_eq(ops_find(s, "7", 1, false), number);
	ck_assert_ptr_eq(ops_find(s, "7", 1, true), string);
	ops_retire(s, number);
	ck_assert_ptr_null(ops_find(s, "7", 1, false));
	ck_assert_ptr_eq(ops_find(s, "7", 1, true), string);
	gqlws_session_destroy(s);
}
END_TEST

START_TEST(ten_thousand_ops_are_each_found_by_id_and_serial)
{
	enum { COUNT = 10000 };
	gqlws_session *s = bare_session(64 * 1024 * 1024);
	static gqlws_op *ops[COUNT];
	char id[16];

	for (int i = 0; i < COUNT; i++) {
		snprintf(id, sizeof(id), "op-%d", i);
		ops[i] = add(s, id, true);
		ops[i]->state = OP_RUNNING;
	}
	for (int i = 0; i < COUNT; i++) {
		snprintf(id, sizeof(id), "op-%d", i);
		ck_assert_ptr_eq(find(s, id), ops[i]);
		ck_assert_ptr_eq(gqlws_session_find_op(s, ops[i]->serial), ops[i]);
	}
	/* Every other one ends; the rest are still found, the ended ones not. */
	for (int i = 0; i < COUNT; i += 2)
		ops_retire(s, ops[i]);
	for (int i = 0; i < COUNT; i++) {
		snprintf(id, sizeof(id), "op-%d", i);
		ck_assert_ptr_eq(find(s, id), i % 2 ? ops[i] : NULL);
		ck_assert_ptr_eq(gqlws_session_find_op(s, ops[i]->serial), i % 2 ? ops[i] : NULL);
	}
	gqlws_session_destroy(s);
}
END_TEST

/* ------------------------------------------------------------ collisions */

/* Ids that share one chain (found by trying ids against this session's key)
 * are all found, and any of them can leave without losing the others. */
START_TEST(ids_sharing_a_chain_are_each_found_and_removed)
{
	enum { COUNT = 8 }; /* the table ends at 8 chains: all in chain 0 there */
	gqlws_session *s = bare_session(0);
	char ids[COUNT][16];
	gqlws_op *ops[COUNT];
	const int order[COUNT] = {3, 0, 7, 5, 1, 6, 2, 4};

	colliding_ids(s, 8, ids, COUNT);
	for (int i = 0; i < COUNT; i++)
		ops[i] = add(s, ids[i], true);
	ck_assert_uint_eq(s->ops_index.capacity, 8);
	for (int i = 0; i < COUNT; i++)
		ck_assert_ptr_eq(find(s, ids[i]), ops[i]);
	/* Removed from the middle, the head and the tail of the chain. */
	for (int k = 0; k < COUNT; k++) {
		ops_retire(s, ops[order[k]]);
		for (int i = 0; i < COUNT; i++) {
			bool gone = false;

			for (int j = 0; j <= k; j++)
				gone = gone || order[j] == i;
			ck_assert_ptr_eq(find(s, ids[i]), gone ? NULL : ops[i]);
		}
	}
	gqlws_session_destroy(s);
}
END_TEST

/* Every session hashes ids under a key of its own: ids that a client found
 * to collide in one session do not collide in the next. */
START_TEST(ids_colliding_in_one_session_spread_in_another)
{
	enum { COUNT = 16, CAPACITY = 1024 };
	gqlws_session *first = bare_session(0), *second = bare_session(0);
	char ids[COUNT][16];
	bool spread = false;

	ck_assert(first->ops_index.key[0] != second->ops_index.key[0] ||
		  first->ops_index.key[1] != second->ops_index.key[1]);
	colliding_ids(first, CAPACITY, ids, COUNT);
	for (int i = 1; i < COUNT; i++)
		spread = spread || bucket_of(second, ids[i], CAPACITY) != bucket_of(second, ids[0], CAPACITY);
	ck_assert(spread);
	gqlws_session_destroy(first);
	gqlws_session_destroy(second);
}
END_TEST

/* ------------------------------------------------------ size and memory */

START_TEST(table_grows_with_ops_and_shrinks_as_they_end)
{
	enum { COUNT = 1000 };
	gqlws_session *s = bare_session(0);
	static gqlws_op *ops[COUNT];
	char id[16];

	ck_assert_uint_eq(s->ops_index.capacity, 0);
	ck_assert_ptr_null(s->ops_index.chains);
	for (int i = 0; i < COUNT; i++) {
		snprintf(id, sizeof(id), "%d", i);
		ops[i] = add(s, id, true);
		/* At most one op per chain, at least one per four. */
		ck_assert_uint_le(s->ops_index.count, s->ops_index.capacity);
		ck_assert(s->ops_index.capacity <= 8 || s->ops_index.count * 4 >= s->ops_index.capacity);
	}
	ck_assert_uint_eq(s->ops_index.capacity, 1024);
	for (int i = 0; i < COUNT; i++) {
		ops_retire(s, ops[i]);
		if (!s->ops_index.count)
			break;
		ck_assert(s->ops_index.capacity <= 8 || s->ops_index.count * 4 >= s->ops_index.capacity);
		snprintf(id, sizeof(id), "%d", COUNT - 1);
		ck_assert_ptr_eq(find(s, id), ops[COUNT - 1]);
	}
	/* The last op took the table with it. */
	ck_assert_uint_eq(s->ops_index.count, 0);
	ck_assert_uint_eq(s->ops_index.capacity, 0);
	ck_assert_ptr_null(s->ops_index.chains);
	ck_assert_uint_eq(s->ops_index.cost, 0);
	gqlws_session_destroy(s);
}
END_TEST

START_TEST(table_memory_is_charged_and_given_back)
{
	enum { COUNT = 3000 };
	gqlws_session *s = bare_session(0);
	static gqlws_op *ops[COUNT];
	size_t base = gqlws_session_memory_bytes(s);
	char id[16];

	for (int i = 0; i < COUNT; i++) {
		snprintf(id, sizeof(id), "%d", i);
		ops[i] = add(s, id, true);
		ck_assert_uint_eq(gqlws_session_memory_bytes(s), base + ops_cost(s));
	}
	/* Two chains (id, serial) per slot, at the heap's rounding. */
	ck_assert_uint_eq(s->ops_index.cost, gqlws_alloc_bytes(2 * 4096 * sizeof(gqlws_op *)));
	ck_assert_uint_ge(gqlws_session_peak_memory_bytes(s), base + ops_cost(s));
	for (int i = 0; i < COUNT; i++) {
		ops_retire(s, ops[i]);
		ck_assert_uint_eq(gqlws_session_memory_bytes(s), base + ops_cost(s));
	}
	ck_assert_uint_eq(gqlws_session_memory_bytes(s), base);
	gqlws_session_destroy(s);
}
END_TEST

/* A table that would take the connection over max-connection-bytes is not
 * grown, and the op that needed it is refused as over the budget (though
 * the op alone would fit), with nothing left charged. The larger table is
 * charged while the smaller one still is: both are on the heap a moment. */
START_TEST(growth_over_the_budget_refuses_the_op)
{
	gqlws_session *s = bare_session(0);
	size_t base = gqlws_session_memory_bytes(s), before, op_cost, grown_cost;
	bool over_limit = false;
	char id[16];
	gqlws_op *op;

	for (int i = 0; i < 8; i++) {
		snprintf(id, sizeof(id), "%d", i);
		add(s, id, true);
	}
	ck_assert_uint_eq(s->ops_index.capacity, 8);
	/* The op with id "8" (echoed as "\"8\""), and 16 chains of each kind. */
	op_cost = gqlws_alloc_bytes(sizeof(gqlws_op) + 1 + 1 + 3 + 1);
	grown_cost = gqlws_alloc_bytes(2 * 16 * sizeof(gqlws_op *));
	before = gqlws_session_memory_bytes(s);
	s->opt.max_connection_bytes = before + op_cost + grown_cost - 1;

	op = ops_create(s, "8", 1, true, &over_limit);
	ck_assert_ptr_null(op);
	ck_assert(over_limit);
	ck_assert_uint_eq(gqlws_session_memory_bytes(s), before);
	ck_assert_ptr_null(find(s, "8"));
	ck_assert_uint_eq(s->ops_index.capacity, 8);
	ck_assert_uint_eq(s->ops_index.count, 8);

	/* One byte more and it fits, the peak within the budget. */
	s->opt.max_connection_bytes++;
	op = add(s, "8", true);
	ck_assert_ptr_eq(find(s, "8"), op);
	ck_assert_uint_eq(s->ops_index.capacity, 16);
	ck_assert_uint_eq(gqlws_session_peak_memory_bytes(s), s->opt.max_connection_bytes);
	ck_assert_uint_eq(gqlws_session_memory_bytes(s), base + ops_cost(s));
	while (s->ops_head)
		ops_retire(s, s->ops_head);
	ck_assert_uint_eq(gqlws_session_memory_bytes(s), base);
	gqlws_session_destroy(s);
}
END_TEST

/* ---------------------------------------------------- through the wire */

/* A recording executor: the ops it started (and their serials, which
 * outlive them), in order, and the ids it was asked to stop. */
static gqlws_op *started[16];
static uint64_t started_serial[16];
static size_t started_count;
static char stop_order[64];

static int record_start(void *user, gqlws_session *s, gqlws_op *op, const gqlws_request *req)
{
	(void)user, (void)s, (void)req;
	ck_assert_uint_lt(started_count, 16);
	started_serial[started_count] = gqlws_op_serial(op);
	started[started_count++] = op;
	return 0;
}

static void record_stop(void *user, gqlws_session *s, gqlws_op *op)
{
	(void)user, (void)s;
	strcat(stop_order, gqlws_op_id(op));
	strcat(stop_order, " ");
}

static void feed(gqlws_session *s, const char *text)
{
	gqlws_session_receive(s, text, strlen(text), false, 0);
}

/* A recorded, acknowledged session (no init hook: accepted at once). */
static gqlws_session *ready(gqlws_subprotocol proto)
{
	gqlws_callbacks cb = {.op_start = record_start, .op_stop = record_stop};
	gqlws_session *s = gqlws_session_new(proto, &cb, NULL, NULL, 0);

	started_count = 0;
	stop_order[0] = '\0';
	feed(s, "{\"type\":\"connection_init\"}");
	ck_assert(gqlws_session_acknowledged(s));
	return s;
}

static void start(gqlws_session *s, const char *id)
{
	char text[160];

	snprintf(text, sizeof(text),
		 "{\"id\":\"%s\",\"type\":\"%s\",\"payload\":{\"query\":\"subscription { s }\"}}", id,
		 gqlws_session_subprotocol(s) == LEGACY ? "start" : "subscribe");
	feed(s, text);
}

/* An id is free again once its op completed: a new subscribe with it starts
 * a new op (no 4409), and the old serial finds nothing. */
START_TEST(id_is_reusable_after_its_op_completed)
{
	gqlws_session *s = ready(MODERN);
	uint64_t old_serial;

	start(s, "1");
	ck_assert_uint_eq(started_count, 1);
	old_serial = started_serial[0];
	ck_assert_int_eq(gqlws_op_complete(started[0]), GQLWS_OK);
	start(s, "1");
	ck_assert(!gqlws_session_closing(s));
	ck_assert_uint_eq(started_count, 2);
	ck_assert_ptr_null(gqlws_session_find_op(s, old_serial));
	ck_assert_ptr_eq(gqlws_session_find_op(s, started_serial[1]), started[1]);
	ck_assert_ptr_eq(find(s, "1"), started[1]);
	ck_assert_str_eq(stop_order, ""); /* the first ended by itself */
	gqlws_session_destroy(s);
}
END_TEST

/* graphql-ws: a start with a running id replaces it; the index then names
 * the new op by that id, and the old serial finds nothing. */
START_TEST(legacy_start_replacing_a_running_id_reindexes_it)
{
	gqlws_session *s = ready(LEGACY);

	start(s, "1");
	start(s, "2");
	start(s, "1");
	ck_assert_uint_eq(started_count, 3);
	ck_assert_str_eq(stop_order, "1 ");
	ck_assert_ptr_null(gqlws_session_find_op(s, started_serial[0]));
	ck_assert_ptr_eq(gqlws_session_find_op(s, started_serial[2]), started[2]);
	ck_assert_ptr_eq(find(s, "1"), started[2]);
	ck_assert_ptr_eq(find(s, "2"), started[1]);
	ck_assert_uint_eq(gqlws_session_op_count(s), 2);
	gqlws_session_destroy(s);
}
END_TEST

/* A session that closes stops its ops in the order they started, whatever
 * order the index keeps them in. */
START_TEST(close_stops_ops_in_start_order)
{
	const char *ids[] = {"k", "b", "x", "a", "m", "c"};
	gqlws_session *s = ready(MODERN);

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		start(s, ids[i]);
	ck_assert_uint_eq(gqlws_session_op_count(s), 6);
	gqlws_session_closed(s);
	ck_assert_str_eq(stop_order, "k b x a m c ");
	gqlws_session_destroy(s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("op_map");
	TCase *tc = tcase_create("op_map");
	SRunner *runner;
	int failed;

	tcase_set_timeout(tc, 120); /* valgrind is slow */
	tcase_add_test(tc, ops_are_found_by_id_and_serial_until_retired);
	tcase_add_test(tc, a_number_id_and_the_same_text_as_a_string_are_different_ops);
	tcase_add_test(tc, ten_thousand_ops_are_each_found_by_id_and_serial);
	tcase_add_test(tc, ids_sharing_a_chain_are_each_found_and_removed);
	tcase_add_test(tc, ids_colliding_in_one_session_spread_in_another);
	tcase_add_test(tc, table_grows_with_ops_and_shrinks_as_they_end);
	tcase_add_test(tc, table_memory_is_charged_and_given_back);
	tcase_add_test(tc, growth_over_the_budget_refuses_the_op);
	tcase_add_test(tc, id_is_reusable_after_its_op_completed);
	tcase_add_test(tc, legacy_start_replacing_a_running_id_reindexes_it);
	tcase_add_test(tc, close_stops_ops_in_start_order);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
