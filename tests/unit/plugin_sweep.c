/*
 * plugin_sweep.c - the grid that session deadlines are served on: never
 * early, late by at most 1/16 of the deadline's distance (or one smallest
 * step), a second at most; deadlines set at nearby times share a point, and
 * a keep-alive served at its point keeps that company interval after
 * interval: 10,000 connections whose handshakes spread over seconds wake
 * the loop a few times per keep-alive interval, not every 20 ms.
 */
#include <check.h>

#include "plugin_sweep.h"

#define KEEPALIVE_MS 10000u

START_TEST(no_deadline_is_no_point)
{
	ck_assert_uint_eq(plugin_sweep_point(0, 12345), 0);
}
END_TEST

START_TEST(never_early_and_late_by_at_most_a_sixteenth_or_one_small_step)
{
	for (uint64_t now = 1000; now < 1000 + 3 * PLUGIN_SWEEP_STEP_MAX_MS; now += 7) {
		for (uint64_t distance = 0; distance < 40000; distance = distance * 3 / 2 + 1) {
			uint64_t deadline = now + distance, point = plugin_sweep_point(deadline, now);
			uint64_t allowed = distance / PLUGIN_SWEEP_LATENESS_SHARE;

			if (allowed < PLUGIN_SWEEP_STEP_MIN_MS)
				allowed = PLUGIN_SWEEP_STEP_MIN_MS;
			if (allowed > PLUGIN_SWEEP_STEP_MAX_MS)
				allowed = PLUGIN_SWEEP_STEP_MAX_MS;
			ck_assert_uint_ge(point, deadline);
			ck_assert_uint_lt(point - deadline, allowed);
			ck_assert_uint_eq(point % PLUGIN_SWEEP_STEP_MIN_MS, 0);
		}
	}
}
END_TEST

START_TEST(steps_follow_the_distance)
{
	/* A point that is already on the grid is served at once. */
	ck_assert_uint_eq(plugin_sweep_point(4096, 0), 4096);
	/* Init timeout 3 s: steps of 128 ms. */
	ck_assert_uint_eq(plugin_sweep_point(1001 + 3000, 1001), 4096);
	/* Keep-alive 10 s: steps of 512 ms. */
	ck_assert_uint_eq(plugin_sweep_point(1001 + 10000, 1001), 11264);
	/* A minute: steps of a second, at most. */
	ck_assert_uint_eq(plugin_sweep_point(1 + 60000, 1), 60416);
	/* Short ones: the smallest step. */
	ck_assert_uint_eq(plugin_sweep_point(1001 + 200, 1001), 1216);
	ck_assert_uint_eq(plugin_sweep_point(999, 1001), 1008); /* already past */
}
END_TEST

/* The sessions of 10,000 connections whose handshakes took 5 s, each with a
 * keep-alive every 10 s; a loop that serves each point it is woken for
 * (plus a few ms of its own lateness) and every session due by then. */
START_TEST(ten_thousand_keepalives_share_a_few_wakes_per_interval)
{
	enum { CONNS = 10000 };
	static uint64_t due[CONNS], point[CONNS];
	uint64_t now, first_interval_end = 5000 + 2 * KEEPALIVE_MS;
	unsigned wakes = 0, wakes_in_steady_interval = 0, served = 0;

	for (unsigned i = 0; i < CONNS; i++) {
		uint64_t acked = 1000 + (uint64_t)i * 5000 / CONNS;

		due[i] = acked + KEEPALIVE_MS;
		point[i] = plugin_sweep_point(due[i], acked);
	}
	for (;;) {
		uint64_t next = 0;

		for (unsigned i = 0; i < CONNS; i++)
			if (!next || point[i] < next)
				next = point[i];
		if (next > first_interval_end + KEEPALIVE_MS)
			break;
		now = next + 3; /* the loop's own lateness */
		wakes++;
		if (next > first_interval_end)
			wakes_in_steady_interval++;
		for (unsigned i = 0; i < CONNS; i++) {
			if (point[i] > now)
				continue;
			ck_assert_uint_ge(now, due[i]); /* never early */
			ck_assert_uint_le(now - due[i], KEEPALIVE_MS / PLUGIN_SWEEP_LATENESS_SHARE + 3);
			due[i] = now + KEEPALIVE_MS;
			point[i] = plugin_sweep_point(due[i], now);
			served++;
		}
	}
	/* Spread over 5 s at 512 ms: about ten points, one interval after another. */
	ck_assert_uint_le(wakes_in_steady_interval, 11);
	ck_assert_uint_ge(served, 2 * CONNS);
	ck_assert_uint_le(wakes, 40);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("plugin_sweep");
	TCase *tc = tcase_create("grid");
	SRunner *runner;
	int failed;

	tcase_add_test(tc, no_deadline_is_no_point);
	tcase_add_test(tc, never_early_and_late_by_at_most_a_sixteenth_or_one_small_step);
	tcase_add_test(tc, steps_follow_the_distance);
	tcase_add_test(tc, ten_thousand_keepalives_share_a_few_wakes_per_interval);
	suite_add_tcase(suite, tc);
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
