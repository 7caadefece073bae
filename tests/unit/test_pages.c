/* pages: populating keeps what memory holds, whatever the range (a part
 * of a page, pages already mapped, a malloc'd block not page-aligned);
 * a piece of a block maps the pages that hold it, none outside the block;
 * pages_zeroed gives zeroed memory of the size asked, small or large, that
 * can be written throughout; the heap made ready at once; memory that a
 * forked child does not get. */
#include <fcntl.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
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

#define PG ((size_t)sysconf(_SC_PAGESIZE))

/* Which of the n pages from p are mapped ('1') or not ('0'). */
static void resident(unsigned char *p, size_t n, char *out)
{
	unsigned char vec[16];
	assert_true(n < sizeof vec);
	assert_int_equal(mincore(p, n * PG, vec), 0);
	for (size_t i = 0; i < n; i++)
		out[i] = (vec[i] & 1) ? '1' : '0';
	out[n] = '\0';
}

/* A piece of a block: the pages that hold it are mapped, but none
 * outside the block, even where the piece's first or last page sticks
 * out of it; what the block holds stays. */
static void test_populate_within(void **state)
{
	(void)state;
	char got[17];
	unsigned char *m = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	/* the block: from the middle of page 1 to the middle of page 6 */
	unsigned char *block = m + PG + 100;
	size_t block_len = 5 * PG;
	resident(m, 8, got);
	assert_string_equal(got, "00000000");
	/* a piece in page 3 only: page 3 */
	pages_populate_within(block + 2 * PG, 10, block, block_len);
	resident(m, 8, got);
	assert_string_equal(got, "00010000");
	/* the first bytes of the block: its first page is not wholly within */
	pages_populate_within(block, PG, block, block_len);
	resident(m, 8, got);
	assert_string_equal(got, "00110000");
	/* the whole block: pages 2 to 5, never 1 or 6 */
	pages_populate_within(block, block_len, block, block_len);
	resident(m, 8, got);
	assert_string_equal(got, "00111100");
	munmap(m, 8 * PG);

	size_t len = (size_t)1 << 20;
	unsigned char *p = malloc(len);
	assert_non_null(p);
	for (size_t i = 0; i < len; i += 1021)
		p[i] = (unsigned char)(i * 13 + 5);
	for (size_t at = 0; at < len; at += 2112)
		pages_populate_within(p + at, 2112, p, len);
	for (size_t i = 0; i < len; i += 1021)
		assert_int_equal(p[i], (unsigned char)(i * 13 + 5));
	free(p);
}

/* The bytes this process has mapped, from /proc/self/maps (read without
 * malloc, which could map more). */
static size_t mapped_total(void)
{
	static char buf[1 << 16];
	int fd = open("/proc/self/maps", O_RDONLY);
	assert_true(fd >= 0);
	size_t n = 0;
	ssize_t k;
	while (n < sizeof buf - 1 && (k = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)k;
	close(fd);
	assert_true(n < sizeof buf - 1);
	buf[n] = '\0';
	size_t total = 0;
	for (char *line = buf; *line; ) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			total += hi - lo;
		char *nl = strchr(line, '\n');
		line = nl ? nl + 1 : line + strlen(line);
	}
	return total;
}

/* Zeroed memory of the size asked, writable throughout; from 2 MiB up on
 * a 2 MiB boundary (so that huge pages can hold all of it), and what was
 * mapped beyond it to get there let go at once: the process maps size
 * bytes more, and after munmap(p, size) none. */
static void test_zeroed_sizes(void **state)
{
	(void)state;
	size_t huge = (size_t)2 << 20;
	size_t sizes[] = { 4096, 65536, huge, (size_t)5 << 20, ((size_t)3 << 20) + 4096 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t before = mapped_total();
		unsigned char *p = pages_zeroed(sizes[k]);
		assert_non_null(p);
		assert_int_equal(mapped_total(), before + sizes[k]);
		if (sizes[k] >= huge)
			assert_int_equal((uintptr_t)p % huge, 0);
		for (size_t i = 0; i < sizes[k]; i++)
			if (p[i] != 0)
				fail_msg("byte %zu of %zu zeroed bytes is %u", i, sizes[k], p[i]);
		memset(p, 0xAB, sizes[k]);
		assert_int_equal(p[sizes[k] - 1], 0xAB);
		munmap(p, sizes[k]);
		assert_int_equal(mapped_total(), before);
	}
}

/* The bytes of the heap advised for huge pages (VmFlags "hg" in
 * /proc/self/smaps) in pieces that begin on a 2 MiB boundary. */
static size_t heap_huge_advised(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	assert_non_null(f);
	char line[512];
	unsigned long lo = 0, hi = 0;
	bool heap = false;
	size_t total = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2) {   /* a mapping's first line */
			lo = a;
			hi = b;
			heap = strstr(line, "[heap]") != NULL;
		} else if (heap && strncmp(line, "VmFlags:", 8) == 0 && strstr(line, " hg") && lo % ((size_t)2 << 20) == 0) {
			total += hi - lo;
		}
	}
	fclose(f);
	return total;
}

/* The heap made ready: at least that large at once, and a block that
 * would have been mapped on its own (over 128 KiB) comes from it; where
 * the kernel has huge pages, 2 MiB of it from a 2 MiB boundary are
 * advised for them. */
/* Is [p, p + len) in this process's maps? */
static bool mapped_here(const void *p, size_t len)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return true;
	unsigned long a, b;
	bool in = false;
	char line[512];
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a <= (uintptr_t)p && (uintptr_t)p + len <= b)
			in = true;
	fclose(f);
	return in;
}

static void test_unshared(void **state)
{
	(void)state;
	size_t len = (size_t)260 << 10;
	unsigned char *p = pages_unshared(len);
	assert_non_null(p);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0x5a, len);
	assert_true(mapped_here(p, len));
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)   /* the child: no such memory */
		_exit(mapped_here(p, 1) ? 1 : 0);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(p[len - 1], 0x5a);   /* the parent's, as it was */
	assert_int_equal(munmap(p, len), 0);
}

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
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0)
		assert_true(heap_huge_advised() >= ((size_t)2 << 20));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_populate_keeps_contents),
		cmocka_unit_test(test_populate_fresh_is_zero),
		cmocka_unit_test(test_populate_within),
		cmocka_unit_test(test_zeroed_sizes),
		cmocka_unit_test(test_unshared),
		cmocka_unit_test(test_heap_ready),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
