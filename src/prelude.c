/* prelude — the pieces of the embedded prelude; see prelude.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "prelude.h"

bool prelude_next(const char **at, const char *end, struct prelude_piece *piece)
{
	const char *p = *at;
	if (p >= end)
		return false;
	const char *name = p + 3;   /* after "--@" */
	const char *nl = memchr(name, '\n', (size_t)(end - name));
	if (!nl)
		nl = end;
	const char *next = nl < end ? memmem(nl, (size_t)(end - nl), "\n--@", 4) : NULL;
	const char *stop = next ? next + 1 : end;
	piece->text = p;
	piece->len = (size_t)(stop - p);
	snprintf(piece->chunkname, sizeof piece->chunkname, "=verdict/%.*s", (int)(nl - name), name);
	*at = stop;
	return true;
}

/* A 4-byte length at *p (within end), little end first; *p moved past it. */
static bool get_len(const unsigned char **p, const unsigned char *end, size_t *len)
{
	if (end - *p < 4)
		return false;
	const unsigned char *b = *p;
	*len = (size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16 | (size_t)b[3] << 24;
	*p += 4;
	return true;
}

bool prelude_compiled_piece(const char *block, size_t block_len, const char *ident, size_t i,
			    const char **bc, size_t *len)
{
	const unsigned char *p = (const unsigned char *)block, *end = p + block_len;
	size_t n, count;
	if (block_len < 4 || memcmp(p, "VPB1", 4) != 0)
		return false;
	p += 4;
	if (!get_len(&p, end, &n) || (size_t)(end - p) < n || n != strlen(ident) || memcmp(p, ident, n) != 0)
		return false;
	p += n;
	if (!get_len(&p, end, &count) || i >= count)
		return false;
	for (size_t k = 0;; k++) {
		if (!get_len(&p, end, &n) || (size_t)(end - p) < n)
			return false;
		if (k == i) {
			*bc = (const char *)p;
			*len = n;
			return true;
		}
		p += n;
	}
}
