/*
 * plugin_queue_bound.c - send-queue-total-bytes' arithmetic and choice,
 * without lws: the sum of what every connection told is exact; passing the
 * bound evicts the largest queues first until the sum is down to 7/8 of the
 * bound; an eviction's queue leaves the sum at once; a connection gone
 * leaves it too; a bound of 0 never evicts. Connections are an array of
 * fake ones here; the adapter walks its lws list the same way.
 */
#include <check.h>
#include <unistd.h>

#include "plugin_queue_bound.h"

#define CONNS 32

typedef struct fake_conn {
	plugin_queue_share share;
	int evicted;      /* times the bound evicted it */
	int order;        /* 1 for the first evicted, 2 for the next, ... */
	bool tells_back;  /* its eviction tells 0, as the plugin's on_notify does */
} fake_conn;

typedef struct fake_vhost {
	fake_conn conns[CONNS];
	int evictions;
	plugin_queue_bound *bound;
} fake_vhost;

static plugin_queue_share *walk(void *list, void **cursor)
{
	fake_vhost *v = list;
	fake_conn *next = *cursor ? (fake_conn *)*cursor + 1 : &v->conns[0];

	if (next == &v->conns[CONNS])
		return NULL;
	*cursor = next;
	return &next->share;
}

static void evict(void *list, plugin_queue_share *share)
{
	fake_vhost *v = list;
	fake_conn *c = (fake_conn *)share; /* share is the first member */

	c->evicted++;
	c->order = ++v->evictions;
	if (c->tells_back)
		queue_bound_tell(v->bound, share, 0);
}

static void start(fake_vhost *v, plugin_queue_bound *b, size_t bound)
{
	*v = (fake_vhost){ .bound = b };
	queue_bound_init(b, bound, walk, evict, v);
}

START_TEST(the_sum_is_exact_and_nothing_is_evicted_within_the_bound)
{
	fake_vhost v;
	plugin_queue_bound b;

	start(&v, &b, 10000);
	queue_bound_tell(&b, &v.conns[0].share, 3000);
	queue_bound_tell(&b, &v.conns[1].share, 4000);
	queue_bound_tell(&b, &v.conns[0].share, 6000); /* grew */
	ck_assert_uint_eq(b.total, 10000);             /* at the bound is within it */
	queue_bound_tell(&b, &v.conns[1].share, 1000); /* drained */
	ck_assert_uint_eq(b.total, 7000);
	ck_assert_uint_eq(b.peak, 10000);
	ck_assert_int_eq(v.evictions, 0);
	ck_assert_uint_eq(b.sweeps, 0);
	queue_bound_free(&b);
}
END_TEST

START_TEST(over_the_bound_the_largest_go_first_down_to_seven_eighths)
{
	static const size_t held[CONNS] = { 500, 3000, 0, 2500, 100, 2000, 1500, 400 };
	fake_vhost v;
	plugin_queue_bound b;

	start(&v, &b, 10000);
	for (int i = 0; i < CONNS; i++)
		queue_bound_tell(&b, &v.conns[i].share, held[i]);
	ck_assert_uint_eq(b.total, 10000);
	/* One more byte on the smallest queue: 10,001 > 10,000. The sweep
	 * takes the largest (3,000), which leaves 7,001: at most 7/8 of the
	 * bound (8,750), so one is enough. */
	queue_bound_tell(&b, &v.conns[4].share, 101);
	ck_assert_int_eq(v.evictions, 1);
	ck_assert_int_eq(v.conns[1].order, 1);
	ck_assert_uint_eq(b.total, 7001);
	ck_assert_uint_eq(b.peak, 10001);
	/* A burst on one queue: 7,001 + 4,000 = 11,001; that queue (4,500)
	 * is the largest, and taking it is enough. */
	queue_bound_tell(&b, &v.conns[0].share, 4500);
	ck_assert_int_eq(v.evictions, 2);
	ck_assert_int_eq(v.conns[0].order, 2);
	ck_assert_uint_eq(b.total, 6501);
	/* Several grow; the one that passes the bound is not the largest. */
	queue_bound_tell(&b, &v.conns[3].share, 4000); /* 8,001 */
	queue_bound_tell(&b, &v.conns[5].share, 3500); /* 9,501 */
	ck_assert_int_eq(v.evictions, 2);
	queue_bound_tell(&b, &v.conns[6].share, 3000); /* 11,001 */
	ck_assert_int_eq(v.evictions, 3);
	ck_assert_int_eq(v.conns[3].order, 3);
	ck_assert_uint_eq(b.total, 7001);
	for (int i = 0; i < CONNS; i++)
		ck_assert_int_le(v.conns[i].evicted, 1);
	ck_assert_uint_eq(b.evictions, 3);
	ck_assert_uint_eq(b.sweeps, 3);
	queue_bound_free(&b);
}
END_TEST

START_TEST(one_sweep_takes_as_many_as_needed_in_order_of_size)
{
	fake_vhost v;
	plugin_queue_bound b;

	start(&v, &b, 8000);
	for (int i = 0; i < CONNS - 1; i++)
		queue_bound_tell(&b, &v.conns[i].share, 250); /* 7,750 */
	/* 8,010 > 8,000: down to 7,000 takes the 260, then three of 250. */
	queue_bound_tell(&b, &v.conns[CONNS - 1].share, 260);
	ck_assert_int_eq(v.evictions, 4);
	ck_assert_int_eq(v.conns[CONNS - 1].order, 1);
	ck_assert_uint_eq(b.total, 7000);
	ck_assert_uint_eq(b.sweeps, 1);
	queue_bound_free(&b);
}
END_TEST

START_TEST(an_eviction_that_tells_its_zero_is_counted_once)
{
	fake_vhost v;
	plugin_queue_bound b;

	start(&v, &b, 4096 * 4);
	for (int i = 0; i < CONNS; i++)
		v.conns[i].tells_back = true;
	queue_bound_tell(&b, &v.conns[0].share, 12000);
	queue_bound_tell(&b, &v.conns[1].share, 5000);
	ck_assert_int_eq(v.evictions, 1);
	ck_assert_int_eq(v.conns[0].order, 1);
	ck_assert_uint_eq(b.total, 5000);
	ck_assert_uint_eq(v.conns[0].share.heap, 0);
	queue_bound_free(&b);
}
END_TEST

START_TEST(a_connection_gone_leaves_the_sum)
{
	fake_vhost v;
	plugin_queue_bound b;

	start(&v, &b, 10000);
	queue_bound_tell(&b, &v.conns[0].share, 6000);
	queue_bound_tell(&b, &v.conns[1].share, 4000);
	queue_bound_forget(&b, &v.conns[0].share);
	ck_assert_uint_eq(b.total, 4000);
	ck_assert_uint_eq(v.conns[0].share.heap, 0);
	/* Room again for 6,000 more without an eviction. */
	queue_bound_tell(&b, &v.conns[2].share, 6000);
	ck_assert_int_eq(v.evictions, 0);
	queue_bound_free(&b);
}
END_TEST

START_TEST(a_bound_of_zero_never_evicts)
{
	fake_vhost v;
	plugin_queue_bound b;

	start(&v, &b, 0);
	queue_bound_tell(&b, &v.conns[0].share, (size_t)1 << 40);
	ck_assert_int_eq(v.evictions, 0);
	queue_bound_free(&b);
}
END_TEST

START_TEST(the_default_is_a_sixteenth_of_memory_at_most_64_mib)
{
	unsigned long long phys = (unsigned long long)sysconf(_SC_PHYS_PAGES) *
				  (unsigned long long)sysconf(_SC_PAGESIZE);
	unsigned long long expected = phys / 16 < (64ull << 20) ? phys / 16 : (64ull << 20);

	if (expected < PLUGIN_QUEUE_BOUND_MIN)
		expected = PLUGIN_QUEUE_BOUND_MIN;
	/* Within a page of 1/16: the division is done in pages. */
	ck_assert_uint_le(queue_bound_default(), expected);
	ck_assert_uint_ge(queue_bound_default() + (size_t)sysconf(_SC_PAGESIZE), expected);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("plugin_queue_bound");
	TCase *tc = tcase_create("bound");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, the_sum_is_exact_and_nothing_is_evicted_within_the_bound);
	tcase_add_test(tc, over_the_bound_the_largest_go_first_down_to_seven_eighths);
	tcase_add_test(tc, one_sweep_takes_as_many_as_needed_in_order_of_size);
	tcase_add_test(tc, an_eviction_that_tells_its_zero_is_counted_once);
	tcase_add_test(tc, a_connection_gone_leaves_the_sum);
	tcase_add_test(tc, a_bound_of_zero_never_evicts);
	tcase_add_test(tc, the_default_is_a_sixteenth_of_memory_at_most_64_mib);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
