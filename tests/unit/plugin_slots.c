/*
 * plugin_slots.c - the connection slots behind lws_gqlws tickets: a ticket
 * finds its live connection, a ticket of a closed connection finds nothing
 * (even when its slot was taken again), and the table grows past its first
 * size keeping every ticket valid.
 */
#include <check.h>
#include <stdlib.h>

#include "plugin_slots.h"

START_TEST(ticket_finds_its_connection)
{
	plugin_slots t;
	int conn;
	uint32_t slot, gen;

	plugin_slots_init(&t);
	ck_assert_int_eq(plugin_slots_take(&t, &conn, &slot, &gen), 0);
	ck_assert_uint_ne(gen, 0);
	ck_assert_ptr_eq(plugin_slots_find(&t, slot, gen), &conn);
	plugin_slots_free(&t);
}
END_TEST

START_TEST(ticket_of_closed_connection_finds_nothing)
{
	plugin_slots t;
	int first, second;
	uint32_t slot, gen, slot2, gen2;

	plugin_slots_init(&t);
	ck_assert_int_eq(plugin_slots_take(&t, &first, &slot, &gen), 0);
	plugin_slots_release(&t, slot);
	ck_assert_ptr_null(plugin_slots_find(&t, slot, gen));
	/* The freed slot is reused with a new generation. */
	ck_assert_int_eq(plugin_slots_take(&t, &second, &slot2, &gen2), 0);
	ck_assert_uint_eq(slot2, slot);
	ck_assert_uint_ne(gen2, gen);
	ck_assert_ptr_null(plugin_slots_find(&t, slot, gen));
	ck_assert_ptr_eq(plugin_slots_find(&t, slot2, gen2), &second);
	plugin_slots_free(&t);
}
END_TEST

START_TEST(garbage_and_zeroed_tickets_find_nothing)
{
	plugin_slots t;
	int conn;
	uint32_t slot, gen;

	plugin_slots_init(&t);
	ck_assert_ptr_null(plugin_slots_find(&t, 0, 0));
	ck_assert_int_eq(plugin_slots_take(&t, &conn, &slot, &gen), 0);
	ck_assert_ptr_null(plugin_slots_find(&t, slot, 0));
	ck_assert_ptr_null(plugin_slots_find(&t, 1000000, gen));
	ck_assert_ptr_null(plugin_slots_find(&t, PLUGIN_SLOT_NONE, gen));
	plugin_slots_release(&t, 1000000); /* ignored */
	plugin_slots_release(&t, slot);
	plugin_slots_release(&t, slot); /* twice: ignored, the free list stays sound */
	ck_assert_int_eq(plugin_slots_take(&t, &conn, &slot, &gen), 0);
	ck_assert_int_eq(plugin_slots_take(&t, &conn, &slot, &gen), 0);
	plugin_slots_free(&t);
}
END_TEST

START_TEST(table_grows_and_keeps_every_ticket)
{
	enum { N = 1000 };
	static int conns[N];
	static uint32_t slots[N], gens[N];
	plugin_slots t;

	plugin_slots_init(&t);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(plugin_slots_take(&t, &conns[i], &slots[i], &gens[i]), 0);
	for (int i = 0; i < N; i += 2)
		plugin_slots_release(&t, slots[i]);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(plugin_slots_find(&t, slots[i], gens[i]), i % 2 ? &conns[i] : NULL);
	plugin_slots_free(&t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("plugin_slots");
	TCase *tc = tcase_create("tickets");
	tcase_add_test(tc, ticket_finds_its_connection);
	tcase_add_test(tc, ticket_of_closed_connection_finds_nothing);
	tcase_add_test(tc, garbage_and_zeroed_tickets_find_nothing);
	tcase_add_test(tc, table_grows_and_keeps_every_ticket);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(suite());
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
