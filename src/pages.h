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

/* bytes of zeroed memory of its own (a multiple of the page size is best),
 * populated at once; in huge pages where the kernel gives them on request
 * and bytes is at least 2 MiB.  Aborts when there is no memory.  Free with
 * munmap(p, bytes). */
void *pages_zeroed(size_t bytes);

#endif
