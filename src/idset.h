/*
 * idset — remembers the ids seen so far in a run, to warn about a repeated
 * one naming both rows.  Keeps a 64-bit hash and the first row of each id
 * (16 bytes an id, in the order the ids came) and a table of 8-byte slots
 * at most half full that finds them; a hash collision between two
 * different ids could give a false warning with odds of about n^2 / 2^65.
 */
#ifndef VERDICT_IDSET_H
#define VERDICT_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many slots: memory stays flat however long the input (8
 * bytes a slot, 16 an id: 16 MiB in all); ids past half of it are no
 * longer remembered. */
#define IDSET_MAX_SLOTS (1u << 20)

struct idset_slot {
	uint32_t tag;     /* the hash's high half, compared first */
	uint32_t entry;   /* 1 + index in entry[]; 0: empty */
};

struct idset_entry {
	unsigned long long hash;
	size_t row;
};

struct idset {
	struct idset_slot *slot;     /* cap slots, probed from hash % cap */
	struct idset_entry *entry;   /* n ids, room for cap / 2 */
	size_t cap, n;
	bool full;       /* set once an id could not be remembered */
};

void idset_init(struct idset *s);
/* The hash an id is kept by (a worker works it out, the parent uses it). */
unsigned long long idset_hash(const char *id, size_t len);
/* idset_prefetch and idset_add of an id by its hash. */
void idset_prefetch_hash(const struct idset *s, unsigned long long h);
size_t idset_add_hash(struct idset *s, unsigned long long h, size_t row);
void idset_release(struct idset *s);
/* Make room for n ids at once (within IDSET_MAX_SLOTS), rather than
 * doubling the table again and again, each time placing every id anew. */
void idset_reserve(struct idset *s, size_t n);
/* Start bringing id's slot into the cache, for an idset_add a few
 * microseconds later (the table is too large for the cache, so a lookup
 * that waits for memory costs more than the rest of the lookup). */
void idset_prefetch(const struct idset *s, const char *id, size_t len);
/* Add id; returns 0 if new (or not remembered: see full), else the row
 * where it was first seen. */
size_t idset_add(struct idset *s, const char *id, size_t len, size_t row);

#endif
