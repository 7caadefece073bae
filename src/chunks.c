/* chunks — raw CSV bytes cut at record boundaries; see chunks.h. */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
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

/* Whether x has an odd number of bits set (16 bits; no popcnt needed). */
static unsigned odd_bits(unsigned x)
{
	x ^= x >> 8;
	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return x & 1;
}

/* Each LF in the 16- (or fewer) byte block at `at` whose mask is lf, with
 * the quotes before it in the block from q: a cut after it when the
 * quotes so far are even (odd: their parity before the block). */
static void take_lfs(size_t at, unsigned lf, unsigned q, unsigned odd, size_t *lfs,
		     size_t *cut, size_t *lines)
{
	while (lf) {
		unsigned b = (unsigned)__builtin_ctz(lf);
		(*lfs)++;
		if ((odd ^ odd_bits(q & ((1u << b) - 1))) == 0) {
			*cut = at + b + 1;
			*lines = *lfs;
		}
		lf &= lf - 1;
	}
}

size_t chunk_cut_lines(const char *buf, size_t len, size_t *lines)
{
	size_t lfs = 0, cut = 0, i = 0;
	unsigned odd = 0;
	*lines = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
	for (; i + 16 <= len; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(buf + i));
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(b, cr)))
			goto slow;   /* CR line ends: counted the careful way */
		unsigned lf = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, nl));
		unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, qu));
		take_lfs(i, lf, q, odd, &lfs, &cut, lines);
		odd ^= odd_bits(q);
	}
#endif
	for (; i < len; i += 16) {
		unsigned lf = 0, q = 0;
		for (size_t k = 0; k < 16 && i + k < len; k++) {
			if (buf[i + k] == '\r')
				goto slow;
			lf |= (unsigned)(buf[i + k] == '\n') << k;
			q |= (unsigned)(buf[i + k] == '"') << k;
		}
		take_lfs(i, lf, q, odd, &lfs, &cut, lines);
		odd ^= odd_bits(q);
	}
	return cut;
slow:
	cut = chunk_cut(buf, len);
	*lines = chunk_lines(buf, cut);
	return cut;
}
