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

#ifdef __SSE2__
/* The LFs counted in acc (a byte lane gains at most 4 a block: emptied
 * every 63 blocks), added to *total. */
static void flush_lf_count(__m128i *acc, size_t *total)
{
	__m128i sums = _mm_sad_epu8(*acc, _mm_setzero_si128());
	*total += (size_t)_mm_cvtsi128_si64(sums) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
	*acc = _mm_setzero_si128();
}

/* The LFs in buf[from..to). */
static size_t lfs_in(const char *buf, size_t from, size_t to)
{
	return from < to ? count_byte(buf + from, to - from, '\n') : 0;
}
#endif

size_t chunk_cut_lines(const char *buf, size_t len, size_t *lines)
{
	size_t lfs = 0, cut = 0, i = 0;
	uint64_t odd = 0;
	*lines = 0;
#ifdef __SSE2__
	/* Most blocks hold no quote: then every LF ends a record (or none
	 * does, inside a quoted field), and only the last block with an end
	 * matters.  LFs are counted in vector lanes, CRs looked for once. */
	const __m128i nl = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
	__m128i acc = _mm_setzero_si128(), crs = _mm_setzero_si128();
	size_t last_plain = (size_t)-1;   /* the last quote-free block with an end, if after cut */
	unsigned blocks = 0;
	for (; i + 64 <= len; i += 64) {
		__m128i b[4], lfv[4], qv = _mm_setzero_si128(), anylf = _mm_setzero_si128();
#pragma GCC unroll 4
		for (int k = 0; k < 4; k++) {
			b[k] = _mm_loadu_si128((const __m128i *)(buf + i + 16 * (size_t)k));
			lfv[k] = _mm_cmpeq_epi8(b[k], nl);
			acc = _mm_sub_epi8(acc, lfv[k]);
			anylf = _mm_or_si128(anylf, lfv[k]);
			qv = _mm_or_si128(qv, _mm_cmpeq_epi8(b[k], qu));
			crs = _mm_or_si128(crs, _mm_cmpeq_epi8(b[k], cr));
		}
		if (_mm_movemask_epi8(qv)) {
			uint64_t lf = 0, q = 0;
			for (int k = 0; k < 4; k++) {
				lf |= (uint64_t)(unsigned)_mm_movemask_epi8(lfv[k]) << (16 * k);
				q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b[k], qu)) << (16 * k);
			}
			uint64_t inside = prefix_xor(q) ^ (odd ? ~0ULL : 0);
			uint64_t ends = lf & ~inside;
			if (ends) {
				cut = i + 64 - (size_t)__builtin_clzll(ends);
				last_plain = (size_t)-1;
			}
			odd = (inside >> 63) & 1;
		} else if (!odd && _mm_movemask_epi8(anylf)) {
			last_plain = i;
		}
		if (++blocks == 63) {
			flush_lf_count(&acc, &lfs);
			blocks = 0;
		}
	}
	flush_lf_count(&acc, &lfs);
	if (_mm_movemask_epi8(crs))
		goto slow;   /* CR line ends: counted the careful way */
	if (last_plain != (size_t)-1) {
		const char *nlp = memrchr(buf + last_plain, '\n', 64);
		cut = (size_t)(nlp - buf) + 1;
	}
	/* The lines up to the cut: the LFs so far less those after it (in a
	 * quoted field); an end in the tail below counts its own. */
	*lines = lfs - lfs_in(buf, cut, i);
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

/* ---- Marks in a stream (the early check's child) ---- */

void chunk_scan_init(struct chunk_scan *s, uint64_t start, uint64_t grid)
{
	memset(s, 0, sizeof *s);
	s->grid = grid ? grid : 1;
	s->at = start;
	s->want = start + s->grid;
}

uint64_t chunk_scan_line(const struct chunk_scan *s)
{
	return 1 + s->ends;
}

/* The bits set in x, without a call: the build targets every x86-64, where
 * __builtin_popcountll is a call to libgcc (a third of the scan's time). */
static inline uint64_t bits_in(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

/* A block of n (1..64) bytes at s->at, as masks: its LFs, quotes, CRs. */
static void scan_block(struct chunk_scan *s, uint64_t lf, uint64_t q, uint64_t cr, unsigned n,
		       chunk_mark_fn fn, void *ctx)
{
	uint64_t inside = (q ? prefix_xor(q) : 0) ^ (s->odd ? ~0ULL : 0);
	uint64_t ends = lf & ~inside;
	/* A line end counted where it begins: a CR, or an LF after none. */
	uint64_t line_ends = cr | (lf & ~((cr << 1) | (uint64_t)s->cr));
	uint64_t base = s->at;
	while (ends && s->want <= base + 64) {
		/* Record ends at or past want: their LF at or past want - 1. */
		uint64_t from = s->want > base + 1 ? s->want - base - 1 : 0;
		uint64_t take = ends & (~0ULL << from);
		if (!take)
			break;
		unsigned b = (unsigned)__builtin_ctzll(take);
		uint64_t upto = b == 63 ? ~0ULL : (2ULL << b) - 1;
		struct chunk_mark m = { base + b + 1,
					1 + s->ends + bits_in(line_ends & upto) };
		fn(ctx, &m);
		s->want = m.offset + s->grid;
		ends &= ~upto;
	}
	s->ends += bits_in(line_ends);
	s->odd = (inside >> (n - 1)) & 1;
	s->cr = (cr >> (n - 1)) & 1;
	s->at += n;
}

void chunk_scan_feed(struct chunk_scan *s, const char *buf, size_t n, chunk_mark_fn fn, void *ctx)
{
	size_t i = 0;
#ifdef __SSE2__
	/* A block with no quote and no CR, where no mark is due, only adds
	 * its LFs to the line ends: counted in vector lanes (as in
	 * chunk_cut_lines) and added up when a block needs its masks. */
	const __m128i nl = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"'), crv = _mm_set1_epi8('\r');
	__m128i acc = _mm_setzero_si128();
	unsigned blocks = 0;
	size_t lf_total = 0;
	for (; i + 64 <= n; i += 64) {
		__m128i b[4], lfv[4], qc = _mm_setzero_si128();
#pragma GCC unroll 4
		for (int k = 0; k < 4; k++) {
			b[k] = _mm_loadu_si128((const __m128i *)(buf + i + 16 * (size_t)k));
			lfv[k] = _mm_cmpeq_epi8(b[k], nl);
			qc = _mm_or_si128(qc, _mm_or_si128(_mm_cmpeq_epi8(b[k], qu), _mm_cmpeq_epi8(b[k], crv)));
		}
		if (!_mm_movemask_epi8(qc) && !s->cr && s->want > s->at + 64) {
#pragma GCC unroll 4
			for (int k = 0; k < 4; k++)
				acc = _mm_sub_epi8(acc, lfv[k]);
			s->at += 64;
			if (++blocks == 63) {
				flush_lf_count(&acc, &lf_total);
				blocks = 0;
			}
			continue;
		}
		flush_lf_count(&acc, &lf_total);
		blocks = 0;
		s->ends += lf_total;
		lf_total = 0;
		uint64_t lf = 0, q = 0, cr = 0;
#pragma GCC unroll 4
		for (int k = 0; k < 4; k++) {
			lf |= (uint64_t)(unsigned)_mm_movemask_epi8(lfv[k]) << (16 * k);
			q |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b[k], qu)) << (16 * k);
			cr |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b[k], crv)) << (16 * k);
		}
		scan_block(s, lf, q, cr, 64, fn, ctx);
	}
	flush_lf_count(&acc, &lf_total);
	s->ends += lf_total;
#endif
	while (i < n) {
		unsigned len = n - i < 64 ? (unsigned)(n - i) : 64;
		uint64_t lf = 0, q = 0, cr = 0;
		for (unsigned k = 0; k < len; k++) {
			lf |= (uint64_t)(buf[i + k] == '\n') << k;
			q |= (uint64_t)(buf[i + k] == '"') << k;
			cr |= (uint64_t)(buf[i + k] == '\r') << k;
		}
		scan_block(s, lf, q, cr, len, fn, ctx);
		i += len;
	}
}
