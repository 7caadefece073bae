/* chunks — raw CSV bytes cut at record boundaries; see chunks.h. */
#include <string.h>
#include "chunks.h"

static size_t count_byte(const char *s, size_t len, char c)
{
	size_t n = 0;
	const char *end = s + len, *p = s;
	while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

size_t chunk_cut(const char *buf, size_t len)
{
	size_t quotes = 0, cut = 0, i = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;
		quotes += count_byte(buf + i, e - i, '"');
		if (!nl)
			break;
		if (quotes % 2 == 0)
			cut = e + 1;
		i = e + 1;
	}
	return cut;
}

size_t chunk_lines(const char *buf, size_t len)
{
	size_t lines = count_byte(buf, len, '\n');
	const char *end = buf + len, *p = buf;
	while (p < end && (p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (p + 1 == end || p[1] != '\n')
			lines++;   /* a lone CR ends a line of its own */
		p++;
	}
	return lines;
}
