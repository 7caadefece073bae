/* pages: populating keeps what memory holds, whatever the range (a part
 * of a page, pages already mapped, a malloc'd block not page-aligned);
 * pages_zeroed gives zeroed memory of the size asked, small or large, that
 * can be written throughout; the heap made ready at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "pages.h"

static void test_populate_keeps_contents(void **state)
{
	(void)state;
	size_t len = (size_t)3 << 20;
	unsigned char *p = malloc(len);
	assert_non_null(p);
	for (size_t i = 0; i < len; i += 4093)
		p[i] = (unsigned char)(i * 31 + 7);
	/* all of it, odd ranges within, less than a page, nothing */
	pages_populate(p, len);
	pages_populate(p + 1, len - 4097);
	pages_populate(p + 100, 10);
	pages_populate(p + 5000, 0);
	for (size_t i = 0; i < len; i += 4093)
		assert_int_equal(p[i], (unsigned char)(i * 31 + 7));
	free(p);
}

static void test_populate_fresh_is_zero(void **state)
{
	(void)state;
	size_t len = (size_t)1 << 20;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	pages_populate(p, len);
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of a fresh shared mapping is %u after populating", i, p[i]);
	p[len - 1] = 1;
	assert_int_equal(p[len - 1], 1);
	munmap(p, len);
}

static void test_zeroed_sizes(void **state)
{
	(void)state;
	size_t sizes[] = { 4096, 65536, (size_t)2 << 20, (size_t)5 << 20 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		unsigned char *p = pages_zeroed(sizes[k]);
		assert_non_null(p);
		for (size_t i = 0; i < sizes[k]; i++)
			if (p[i] != 0)
				fail_msg("byte %zu of %zu zeroed bytes is %u", i, sizes[k], p[i]);
		memset(p, 0xAB, sizes[k]);
		assert_int_equal(p[sizes[k] - 1], 0xAB);
		munmap(p, sizes[k]);
	}
}

/* The heap made ready: at least that large at once, and a block that
 * would have been mapped on its own (over 128 KiB) comes from it. */
static void test_heap_ready(void **state)
{
	(void)state;
	pages_heap_ready((size_t)2 << 20);
#ifdef __SANITIZE_ADDRESS__
	skip();   /* AddressSanitizer's allocator is not glibc's: no arena to see */
#endif
	struct mallinfo2 m = mallinfo2();
	assert_true(m.arena >= ((size_t)2 << 20));
	size_t mapped = m.hblkhd;
	char *p = malloc((size_t)512 << 10);
	assert_non_null(p);
	memset(p, 1, (size_t)512 << 10);
	assert_int_equal(mallinfo2().hblkhd, mapped);
	free(p);
	assert_true(mallinfo2().arena >= ((size_t)2 << 20));   /* not trimmed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_populate_keeps_contents),
		cmocka_unit_test(test_populate_fresh_is_zero),
		cmocka_unit_test(test_zeroed_sizes),
		cmocka_unit_test(test_heap_ready),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
