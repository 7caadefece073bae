/* idset — ids seen so far; see idset.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "idset.h"

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

void idset_init(struct idset *s)
{
	memset(s, 0, sizeof *s);
}

void idset_release(struct idset *s)
{
	free(s->hash);
	free(s->row);
	memset(s, 0, sizeof *s);
}

static void grow(struct idset *s)
{
	size_t cap = s->cap ? 2 * s->cap : 1024;
	unsigned long long *h = calloc(cap, sizeof *h);
	size_t *r = calloc(cap, sizeof *r);
	if (!h || !r)
		abort();
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->hash[i])
			continue;
		size_t j = s->hash[i] & (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = s->hash[i];
		r[j] = s->row[i];
	}
	free(s->hash);
	free(s->row);
	s->hash = h;
	s->row = r;
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
	while (s->hash[j]) {
		if (s->hash[j] == h)
			return s->row[j];
		j = (j + 1) & (s->cap - 1);
	}
	if (!room) {
		s->full = 1;
		return 0;
	}
	s->hash[j] = h;
	s->row[j] = row;
	s->n++;
	return 0;
}
