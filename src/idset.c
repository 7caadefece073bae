/* idset — ids seen so far; see idset.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "idset.h"
#include "pages.h"

/* The 128-bit product of a and b, folded to 64 bits. */
static uint64_t fold_mul(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	return (uint64_t)p ^ (uint64_t)(p >> 64);
}

/* Eight bytes at a time (an id is a dozen bytes or so: FNV-1a, a byte at
 * a time, took four times as long); the length goes in first. */
unsigned long long idset_hash(const char *s, size_t len)
{
	uint64_t h = fold_mul(len ^ 0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL), w;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = fold_mul(h ^ w, 0x94d049bb133111ebULL);
	}
	if (i < len) {
		/* The last eight bytes, some already taken (the length tells
		 * ids apart); a shorter id, padded with zeros. */
		w = 0;
		if (len >= 8)
			memcpy(&w, s + len - 8, 8);
		else
			memcpy(&w, s, len);
		h = fold_mul(h ^ w, 0x94d049bb133111ebULL);
	}
	h = fold_mul(h ^ (h >> 29), 0xbf58476d1ce4e5b9ULL);
	return h | 1;   /* 0 marks an empty slot */
}

/* The table and the ids' memory are mapped at once (pages_zeroed): the
 * table is filled at random and the ids in order, so nearly every page is
 * touched anyway (a thousand faults were 5% of a 200,000-row check); in
 * huge pages where the kernel gives them (see pages.h). */
static struct idset_slot *table_new(size_t cap)
{
	return pages_zeroed(cap * sizeof(struct idset_slot));
}

static void table_free(struct idset_slot *t, size_t cap)
{
	if (t)
		munmap(t, cap * sizeof *t);
}

/* The ids' room, cap / 2 of them. */
static struct idset_entry *entries_new(size_t cap)
{
	return pages_zeroed(cap / 2 * sizeof(struct idset_entry));
}

static void entries_free(struct idset_entry *e, size_t cap)
{
	if (e)
		munmap(e, cap / 2 * sizeof *e);
}

void idset_init(struct idset *s)
{
	memset(s, 0, sizeof *s);
}

void idset_release(struct idset *s)
{
	table_free(s->slot, s->cap);
	entries_free(s->entry, s->cap);
	memset(s, 0, sizeof *s);
}

/* Put entry k, of hash h, in the first free slot from its home. */
static void place(struct idset_slot *t, size_t cap, unsigned long long h, size_t k)
{
	size_t j = h & (cap - 1);
	while (t[j].entry)
		j = (j + 1) & (cap - 1);
	t[j].tag = (uint32_t)(h >> 32);
	t[j].entry = (uint32_t)(k + 1);
}

/* The table grown to cap slots; the ids are placed again from entry[], read in order,
 * so the old table can go first. */
static void grow_to(struct idset *s, size_t cap)
{
	struct idset_entry *e = entries_new(cap);
	if (s->n)
		memcpy(e, s->entry, s->n * sizeof *e);
	entries_free(s->entry, s->cap);
	s->entry = e;
	table_free(s->slot, s->cap);
	s->slot = table_new(cap);
	s->cap = cap;
	for (size_t k = 0; k < s->n; k++)
		place(s->slot, cap, e[k].hash, k);
}

static void grow(struct idset *s)
{
	grow_to(s, s->cap ? 2 * s->cap : 1024);
}

void idset_reserve(struct idset *s, size_t n)
{
	size_t cap = s->cap ? s->cap : 1024;
	while (cap < IDSET_MAX_SLOTS && cap / 2 < n)
		cap *= 2;
	if (cap > s->cap)
		grow_to(s, cap);
}

void idset_prefetch_hash(const struct idset *s, unsigned long long h)
{
	if (s->cap)
		__builtin_prefetch(&s->slot[h & (s->cap - 1)], 1);
}

void idset_prefetch(const struct idset *s, const char *id, size_t len)
{
	if (s->cap)
		idset_prefetch_hash(s, idset_hash(id, len));
}

size_t idset_add(struct idset *s, const char *id, size_t len, size_t row)
{
	return idset_add_hash(s, idset_hash(id, len), row);
}

size_t idset_add_hash(struct idset *s, unsigned long long h, size_t row)
{
	bool room = 2 * (s->n + 1) <= s->cap;
	if (!room && s->cap < IDSET_MAX_SLOTS) {
		grow(s);
		room = true;
	}
	h |= 1;   /* as idset_hash gives it, whatever the caller passed */
	uint32_t tag = (uint32_t)(h >> 32);
	size_t j = h & (s->cap - 1);
	while (s->slot[j].entry) {
		const struct idset_entry *e = &s->entry[s->slot[j].entry - 1];
		if (s->slot[j].tag == tag && e->hash == h)
			return e->row;
		j = (j + 1) & (s->cap - 1);
	}
	if (!room) {
		s->full = true;
		return 0;
	}
	s->entry[s->n].hash = h;
	s->entry[s->n].row = row;
	s->n++;
	s->slot[j].tag = tag;
	s->slot[j].entry = (uint32_t)s->n;
	return 0;
}
