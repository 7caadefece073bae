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

/* Bit b of the result: the parity of bits 0..b of x. */
static uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* A block of up to 64 bytes at `at`: its LFs (lf) and quotes (q) as bit
 * masks.  An LF after an even number of quotes (since the start) ends a
 * record: the last one is where to cut, and the LFs up to it are its
 * lines.  odd: the quotes before the block, odd or even; lfs: the LFs. */
static void take_block(size_t at, uint64_t lf, uint64_t q, uint64_t *odd, size_t *lfs, size_t *cut,
		       size_t *lines)
{
	uint64_t inside = prefix_xor(q) ^ (*odd ? ~0ULL : 0);
	uint64_t ends = lf & ~inside;
	if (ends) {
		unsigned b = 63u - (unsigned)__builtin_clzll(ends);
		uint64_t upto = b == 63 ? ~0ULL : (2ULL << b) - 1;
		*cut = at + b + 1;
		*lines = *lfs + (size_t)__builtin_popcountll(lf & upto);
	}
	*lfs += (size_t)__builtin_popcountll(lf);
	*odd = (inside >> 63) & 1;
}

size_t chunk_cut_lines(const char *buf, size_t len, size_t *lines)
{
	size_t lfs = 0, cut = 0, i = 0;
	uint64_t odd = 0;
	*lines = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
	for (; i + 64 <= len; i += 64) {
		uint64_t lf = 0, q = 0;
		unsigned any_cr = 0;
		for (int k = 0; k < 4; k++) {
			__m128i b = _mm_loadu_si128((const __m128i *)(buf + i + 16 * (size_t)k));
			any_cr |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, cr));
			lf |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, nl)) << (16 * k);
			q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, qu)) << (16 * k);
		}
		if (any_cr)
			goto slow;   /* CR line ends: counted the careful way */
		take_block(i, lf, q, &odd, &lfs, &cut, lines);
	}
#endif
	for (; i < len; i += 64) {
		uint64_t lf = 0, q = 0;
		for (size_t k = 0; k < 64 && i + k < len; k++) {
			if (buf[i + k] == '\r')
				goto slow;
			lf |= (uint64_t)(buf[i + k] == '\n') << k;
			q |= (uint64_t)(buf[i + k] == '"') << k;
		}
		take_block(i, lf, q, &odd, &lfs, &cut, lines);
	}
	return cut;
slow:
	cut = chunk_cut(buf, len);
	*lines = chunk_lines(buf, cut);
	return cut;
}
