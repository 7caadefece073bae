/*
 * pages — memory mapped in bulk, not one page fault at a time.
 *
 * On a paravirtualized machine (the reference one) a page fault costs 10
 * microseconds or more, while mapping pages in one call costs under one
 * each.  Memory that is about to be written through anyway (a table
 * filled at random, a buffer refilled chunk after chunk) is cheaper
 * mapped at once.
 */
#ifndef VERDICT_PAGES_H
#define VERDICT_PAGES_H

#include <stddef.h>

/* Map for writing every whole page within [p, p + len) that is not mapped
 * yet (their contents do not change).  Best effort: does nothing where
 * the kernel cannot (before Linux 5.14). */
void pages_populate(void *p, size_t len);

/* The same for the pages that hold any of [p, p + len), a part of
 * [block, block + block_len) (one allocation): those wholly within the
 * block.  For a piece of a large block that shares its pages with its
 * neighbours (a kept trace's slot). */
void pages_populate_within(void *p, size_t len, void *block, size_t block_len);

/* bytes of zeroed memory of its own (a multiple of the page size is best),
 * populated at once, in pages of the usual size.  (Huge pages, asked for
 * with MADV_HUGEPAGE, mapped 4 MiB in 0.3 ms most runs but in 5-15 ms one
 * run in four or five, when the kernel compacted memory to make them; the
 * usual pages take 0.6-0.9 ms every run.)  Aborts when there is no
 * memory.  Free with munmap(p, bytes). */
void *pages_zeroed(size_t bytes);

/* Make the heap bytes larger at once and map its pages in one call, for
 * the many small allocations to come (loading a rule set grows the heap
 * to about 1.7 MiB, page by page: some 400 faults, 4-6 ms on a
 * paravirtualized machine).  Allocations of up to 4 MiB then come from
 * the heap rather than mmap, and the heap is not trimmed below 8 MiB. */
void pages_heap_ready(size_t bytes);

#endif
