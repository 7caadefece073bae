/*
 * pages — memory mapped in bulk, not one page fault at a time.
 *
 * On a paravirtualized machine (the reference one) a page fault costs 10
 * microseconds or more, while mapping pages in one call costs under one
 * each (and the first touch of each page about 6 more; see
 * pages_zeroed).  Memory that is about to be written through anyway (a table
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
 * populated at once; from 2 MiB up, on a 2 MiB boundary and in huge pages
 * where the kernel gives them (MADV_HUGEPAGE).  On a paravirtualized
 * machine every page of the usual size costs about 6 us more when the
 * process first reads or writes it, even populated (measured: 64 MiB
 * read once populated took 92 ms, read again 3 ms; the hypervisor, it
 * seems, makes its own entry for each page then).  An id set of 200,000
 * ids (8 MiB) took 17-35 ms to make and fill in the usual pages, 3-5 ms
 * in huge pages (30 runs each; one of the 30 took 19 ms, when the host
 * had first to back the huge pages).  Aborts when there is no memory.
 * Free with munmap(p, bytes). */
void *pages_zeroed(size_t bytes);

/* pages_zeroed, and not passed on to a child the process forks
 * (MADV_DONTFORK): for memory only this process writes while its
 * children run (the early check's read buffer, written by its thread
 * while the --jobs workers start).  Memory a child inherits is shared
 * copy-on-write, so every page of it the parent writes afterwards costs
 * a fault and a copy (10-16 us a page on a paravirtualized machine).
 * Free with munmap(p, bytes). */
void *pages_unshared(size_t bytes);

/* Make the heap bytes (up to 2 MiB) larger at once and map its pages in
 * one call, for the many small allocations to come (loading a rule set
 * grows the heap to about 1.7 MiB, page by page: some 400 faults, 4-6 ms
 * on a paravirtualized machine).  The part made ready begins at a 2 MiB
 * boundary and is in a huge page where the kernel gives one (the heap
 * below the boundary is taken by a block never used, whose pages are
 * never touched): each page of the usual size would cost its first touch
 * besides (pages_zeroed); a check's start-up went from 14-15 ms to 10-11
 * (41 runs each).  Allocations of up to 4 MiB then come from the heap
 * rather than mmap, and the heap is not trimmed below 8 MiB. */
void pages_heap_ready(size_t bytes);

#endif
