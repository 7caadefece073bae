/* pages — memory mapped in bulk; see pages.h. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "pages.h"

static uintptr_t page_size(void)
{
	static uintptr_t page;
	if (!page)
		page = (uintptr_t)sysconf(_SC_PAGESIZE);
	return page;
}

/* Whole pages from `from` to `to` (both on page boundaries). */
static void populate_pages(uintptr_t from, uintptr_t to)
{
#ifdef MADV_POPULATE_WRITE
	if (to > from)
		madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)from;
	(void)to;
#endif
}

void pages_populate(void *p, size_t len)
{
	uintptr_t page = page_size();
	populate_pages(((uintptr_t)p + page - 1) / page * page, ((uintptr_t)p + len) / page * page);
}

void pages_populate_within(void *p, size_t len, void *block, size_t block_len)
{
	uintptr_t page = page_size(), lo = (uintptr_t)block, hi = lo + block_len;
	uintptr_t from = (uintptr_t)p / page * page, to = ((uintptr_t)p + len + page - 1) / page * page;
	if (from < lo)
		from = (lo + page - 1) / page * page;
	if (to > hi)
		to = hi / page * page;
	populate_pages(from, to);
}

/* Huge pages: 2 MiB, on a boundary of their size. */
#define HUGE ((uintptr_t)2 << 20)

static uintptr_t huge_down(uintptr_t x)
{
	return x & ~(HUGE - 1);
}

static uintptr_t huge_up(uintptr_t x)
{
	return huge_down(x + HUGE - 1);
}

void *pages_zeroed(size_t bytes)
{
	/* Large memory is placed on a huge page's boundary (mapped that much
	 * more, the rest unmapped), so that all of it can be in huge pages. */
	size_t extra = bytes >= HUGE ? HUGE : 0;
	char *m = mmap(NULL, bytes + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		abort();
	char *t = m;
	if (extra) {
		t = (char *)huge_up((uintptr_t)m);
		if (t > m)
			munmap(m, (size_t)(t - m));
		if (m + extra > t)
			munmap(t + bytes, (size_t)(m + extra - t));
#ifdef MADV_HUGEPAGE
		madvise(t, bytes, MADV_HUGEPAGE);
#endif
	}
#ifdef MADV_POPULATE_WRITE
	if (madvise(t, bytes, MADV_POPULATE_WRITE) == 0)
		return t;
#endif
	/* An older kernel: each page touched here, in one pass. */
	for (size_t i = 0; i < bytes; i += page_size())
		((volatile char *)t)[i] = 0;
	return t;
}

void *pages_unshared(size_t bytes)
{
	void *p = pages_zeroed(bytes);
#ifdef MADV_DONTFORK
	madvise(p, bytes, MADV_DONTFORK);
#endif
	return p;
}

/* The heap below the first 2 MiB boundary it reaches, taken once and
 * never used (only the pages at its two ends are touched, by malloc's
 * bookkeeping; volatile: the compiler must not drop the allocation).
 * Should a free block elsewhere take that request, the heap made ready
 * is simply not on a boundary, and stays in the usual pages. */
static void *volatile heap_below_boundary;

void pages_heap_ready(size_t bytes)
{
	/* malloc's bookkeeping around a block, and more: what a block may
	 * begin before the boundary and still be taken as on it. */
	const size_t slack = 4096;
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	/* Where the top of the heap is: the start of a block as large as it
	 * may be (under the mmap threshold). */
	char *p = malloc(bytes + HUGE - 2 * slack);
	if (!p)
		return;
	size_t below = huge_up((uintptr_t)p) - (uintptr_t)p;
	free(p);
	if (below > slack)
		heap_below_boundary = malloc(below - 64);
	/* The heap from the boundary (or just below it) on: in a huge page
	 * where the kernel gives one, and mapped in one call. */
	char *q = malloc(bytes + slack);
	if (!q)
		return;
#ifdef MADV_HUGEPAGE
	uintptr_t a = huge_up((uintptr_t)q - slack), b = huge_down((uintptr_t)q + bytes + slack);
	if (b > a)
		madvise((void *)a, b - a, MADV_HUGEPAGE);
#endif
	pages_populate(q, bytes + slack);
	free(q);   /* back to the top of the heap, its pages kept */
}
