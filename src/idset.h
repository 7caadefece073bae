/*
 * idset — remembers the ids seen so far in a run, to warn about a repeated
 * one naming both rows.  Keeps a 64-bit hash and the first row of each id
 * (16 bytes an id); a hash collision between two different ids could give
 * a false warning with odds of about n^2 / 2^65.
 */
#ifndef VERDICT_IDSET_H
#define VERDICT_IDSET_H

#include <stddef.h>

/* At most this many slots (16 bytes each): memory stays flat however long
 * the input; ids past half of it are no longer remembered. */
#define IDSET_MAX_SLOTS (1u << 20)

struct idset_slot {
	unsigned long long hash;   /* 0: empty */
	size_t row;
};

struct idset {
	struct idset_slot *slot;   /* hash and row side by side: one cache
				      line holds both */
	size_t cap, n;
	int full;        /* set once an id could not be remembered */
};

void idset_init(struct idset *s);
void idset_release(struct idset *s);
/* Add id; returns 0 if new (or not remembered: see full), else the row
 * where it was first seen. */
size_t idset_add(struct idset *s, const char *id, size_t len, size_t row);

#endif
