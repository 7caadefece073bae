/* idset — ids seen so far; see idset.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "idset.h"

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

static unsigned long long hash64(const char *s, size_t len)
{
	unsigned long long h = 1469598103934665603ULL;   /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 29;   /* spread the low bits for the table index */
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h | 1;   /* 0 marks an empty slot */
}

/* A zeroed table of cap slots, its pages mapped at once (MAP_POPULATE):
 * the table is filled at random, so every page is touched anyway, and one
 * call costs far less than a page fault for each page. */
static struct idset_slot *table_new(size_t cap)
{
	void *t = mmap(NULL, cap * sizeof(struct idset_slot), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (t == MAP_FAILED)
		abort();
	return t;
}

static void table_free(struct idset_slot *t, size_t cap)
{
	if (t)
		munmap(t, cap * sizeof *t);
}

void idset_init(struct idset *s)
{
	memset(s, 0, sizeof *s);
}

void idset_release(struct idset *s)
{
	table_free(s->slot, s->cap);
	memset(s, 0, sizeof *s);
}

static void grow(struct idset *s)
{
	size_t cap = s->cap ? 2 * s->cap : 1024;
	struct idset_slot *t = table_new(cap);
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slot[i].hash)
			continue;
		size_t j = s->slot[i].hash & (cap - 1);
		while (t[j].hash)
			j = (j + 1) & (cap - 1);
		t[j] = s->slot[i];
	}
	table_free(s->slot, s->cap);
	s->slot = t;
	s->cap = cap;
}

size_t idset_add(struct idset *s, const char *id, size_t len, size_t row)
{
	bool room = 2 * (s->n + 1) <= s->cap;
	if (!room && s->cap < IDSET_MAX_SLOTS) {
		grow(s);
		room = true;
	}
	unsigned long long h = hash64(id, len);
	size_t j = h & (s->cap - 1);
	while (s->slot[j].hash) {
		if (s->slot[j].hash == h)
			return s->slot[j].row;
		j = (j + 1) & (s->cap - 1);
	}
	if (!room) {
		s->full = 1;
		return 0;
	}
	s->slot[j].hash = h;
	s->slot[j].row = row;
	s->n++;
	return 0;
}
