/* nearname — edits between two short names; see nearname.h. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "nearname.h"

/* The characters of s (UTF-8; a byte that begins no sequence is one
 * character), folded; their number, or NEARNAME_MAX + 1 when too many. */
static size_t chars(const char *s, size_t len, uint32_t out[NEARNAME_MAX])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, i = 0;
	while (i < len) {
		if (n == NEARNAME_MAX)
			return NEARNAME_MAX + 1;
		uint32_t c = p[i];
		size_t k = c < 0xC0 || c > 0xF4 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (i + k > len)
			k = 1;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xC0) != 0x80)
				k = 1;   /* not a sequence: the byte alone */
		for (size_t j = 1; j < k; j++)
			c = c << 8 | p[i + j];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (c == '_' || c == ' ')
			c = '-';
		out[n++] = c;
		i += k;
	}
	return n;
}

size_t nearname_distance(const char *a, size_t la, const char *b, size_t lb)
{
	uint32_t ca[NEARNAME_MAX], cb[NEARNAME_MAX];
	size_t na = chars(a, la, ca), nb = chars(b, lb, cb);
	size_t d[NEARNAME_MAX + 1][NEARNAME_MAX + 1];
	if (na > NEARNAME_MAX || nb > NEARNAME_MAX)
		return NEARNAME_FAR;
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			size_t best = d[i - 1][j - 1] + (ca[i - 1] != cb[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			bool swapped = i > 1 && j > 1 && ca[i - 1] == cb[j - 2] && ca[i - 2] == cb[j - 1];
			if (swapped && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[na][nb];
}

size_t nearname_distance_z(const char *a, const char *b)
{
	return nearname_distance(a, strlen(a), b, strlen(b));
}

size_t nearname_allowed(const char *name, size_t len)
{
	uint32_t c[NEARNAME_MAX];
	size_t n = chars(name, len, c);
	for (size_t i = 0; i < n && n > 4; i++)
		if (c[i] >= 0x80)
			return 1;   /* a Chinese name: each character says more */
	return n <= 4 ? 1 : 2;
}
