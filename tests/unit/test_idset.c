/* idset: repeated ids are found with the row first seen; memory is capped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "idset.h"

static void test_repeats(void **state)
{
	(void)state;
	struct idset s;
	idset_init(&s);
	assert_int_equal(idset_add(&s, "A-1", 3, 1), 0);
	assert_int_equal(idset_add(&s, "A-2", 3, 2), 0);
	assert_int_equal(idset_add(&s, "A-1", 3, 3), 1);
	assert_int_equal(idset_add(&s, "A-2", 3, 9), 2);
	assert_int_equal(idset_add(&s, "a-1", 3, 4), 0);   /* ids are exact */
	idset_release(&s);
}

static void test_many_and_cap(void **state)
{
	(void)state;
	struct idset s;
	char id[32];
	idset_init(&s);
	size_t n = IDSET_MAX_SLOTS / 2 + 1000;
	for (size_t i = 1; i <= n; i++) {
		int len = snprintf(id, sizeof id, "ID-%zu", i);
		assert_int_equal(idset_add(&s, id, (size_t)len, i), 0);
	}
	assert_true(s.full);
	assert_true(s.cap <= IDSET_MAX_SLOTS);
	/* Ids remembered before the cap are still found. */
	int len = snprintf(id, sizeof id, "ID-%d", 77);
	assert_int_equal(idset_add(&s, id, (size_t)len, n + 1), 77);
	idset_release(&s);
}

/* Every id is still found, with its first row, after the table has grown
 * (and been moved) many times; ids that differ only in their last bytes,
 * past eight, or in length are different ids. */
static void test_every_id_after_growth(void **state)
{
	(void)state;
	struct idset s;
	char id[40];
	idset_init(&s);
	for (size_t i = 1; i <= 100000; i++) {
		int len = snprintf(id, sizeof id, "SQ-%04zu-%06zu", 2022 + i % 4, i);
		assert_int_equal(idset_add(&s, id, (size_t)len, i), 0);
	}
	for (size_t i = 1; i <= 100000; i++) {
		int len = snprintf(id, sizeof id, "SQ-%04zu-%06zu", 2022 + i % 4, i);
		assert_int_equal(idset_add(&s, id, (size_t)len, 200000 + i), i);
	}
	assert_int_equal(idset_add(&s, "SQ-2022-0000", 12, 1), 0);
	assert_int_equal(idset_add(&s, "SQ-2022-00000", 13, 2), 0);
	assert_int_equal(idset_add(&s, "SQ-2022-0000\0", 13, 3), 0);
	assert_int_equal(idset_add(&s, "", 0, 4), 0);
	assert_int_equal(idset_add(&s, "", 0, 5), 4);
	assert_false(s.full);
	idset_release(&s);
	idset_release(&s);   /* harmless again */
}

/* Room made at once, after some ids are in and before the rest: the
 * table has the size asked for (within the cap), the ids already in are
 * still found, and so are those added after. */
static void test_reserve(void **state)
{
	(void)state;
	struct idset s;
	char id[32];
	idset_init(&s);
	for (size_t i = 1; i <= 600; i++) {
		int len = snprintf(id, sizeof id, "R-%zu", i);
		assert_int_equal(idset_add(&s, id, (size_t)len, i), 0);
	}
	idset_reserve(&s, 50000);
	assert_int_equal(s.cap, 131072);
	idset_reserve(&s, 10);   /* never shrinks */
	assert_int_equal(s.cap, 131072);
	for (size_t i = 601; i <= 50000; i++) {
		int len = snprintf(id, sizeof id, "R-%zu", i);
		assert_int_equal(idset_add(&s, id, (size_t)len, i), 0);
	}
	assert_int_equal(s.cap, 131072);   /* no growth on the way */
	for (size_t i = 1; i <= 50000; i += 499) {
		int len = snprintf(id, sizeof id, "R-%zu", i);
		assert_int_equal(idset_add(&s, id, (size_t)len, 100000 + i), i);
	}
	idset_reserve(&s, (size_t)1 << 30);
	assert_int_equal(s.cap, IDSET_MAX_SLOTS);
	idset_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_many_and_cap),
		cmocka_unit_test(test_every_id_after_growth),
		cmocka_unit_test(test_reserve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
