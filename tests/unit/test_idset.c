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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_many_and_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
