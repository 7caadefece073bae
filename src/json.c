/*
 * json — quoting arbitrary bytes as a JSON string.
 *
 * UTF-8 is checked against the table of well-formed byte sequences
 * (Unicode, chapter 3, table 3-7).  An ill-formed sequence is replaced per
 * "maximal subpart": the longest prefix that could still have begun a
 * well-formed sequence becomes one U+FFFD, and scanning resumes at the
 * first byte that broke it.  So C0 AF gives two U+FFFD, ED A0 80 three,
 * and a truncated E4 B8 at the end one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "utf8_simd.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* Sequence length for lead byte c and the range of its second byte; false
 * for a byte that cannot start a sequence (80..C1, F5..FF). */
static bool utf8_lead(unsigned char c, size_t *n, unsigned char *lo,
		      unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		*n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		*n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		*n = 4;
	else
		return false;
	if (c == 0xE0)
		*lo = 0xA0;     /* below is overlong */
	else if (c == 0xED)
		*hi = 0x9F;     /* above are the surrogates D800..DFFF */
	else if (c == 0xF0)
		*lo = 0x90;     /* below is overlong */
	else if (c == 0xF4)
		*hi = 0x8F;     /* above is beyond U+10FFFF */
	return true;
}

/* Length of the well-formed sequence at s (len > 0), or 0 with *bad set to
 * the length of its maximal invalid subpart (at least 1). */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t *bad)
{
	unsigned char lo, hi;
	size_t n, i;

	*bad = 1;
	if (s[0] < 0x80)
		return 1;
	if (!utf8_lead(s[0], &n, &lo, &hi))
		return 0;
	for (i = 1; i < n; i++) {
		/* Only the second byte has a lead-specific range. */
		if (i >= len || s[i] < (i == 1 ? lo : 0x80) ||
		    s[i] > (i == 1 ? hi : 0xBF)) {
			*bad = i;
			return 0;
		}
	}
	return n;
}

/* Index, in memory order, of the first of the eight bytes of w (masked
 * with 0x80 in every byte, not zero) whose top bit is set. */
static size_t first_high_byte(uint64_t w)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(w) / 8;
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t)__builtin_clzll(w) / 8;
#else
	unsigned char b[sizeof(w)];
	size_t k = 0;

	memcpy(b, &w, sizeof(w));
	while (!(b[k] & 0x80))
		k++;
	return k;
#endif
}

/* Length of the run of ASCII at the start of s[0..len): eight bytes at a
 * time (loaded with memcpy: s need not be aligned), the end of the run
 * found within its word rather than byte by byte. */
static size_t ascii_run(const unsigned char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	for (; len - i >= 8; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		w &= 0x8080808080808080u;
		if (w != 0)
			return i + first_high_byte(w);
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

/* Whether s[0..3) is a three-byte character whose lead puts no limit on
 * its second byte (E1..EC, EE, EF: most of the BMP, CJK among it). */
static bool utf8_plain3(const unsigned char *s)
{
	return s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED &&
	       (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80;
}

void utf8_replace_invalid(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, bad;
	while (i < len) {
		size_t ok = utf8_valid_prefix(s + i, len - i);
		strbuf_add(out, s + i, ok);
		i += ok;
		if (i == len)
			break;
		n = utf8_seq(u + i, len - i, &bad);
		(void)n;   /* 0 here: the sequence at i is not valid */
		strbuf_add(out, REPLACEMENT, 3);
		i += bad ? bad : 1;
	}
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n, bad;

	/* A long buffer (a file's 4 MiB, a long cell) that is all valid, as
	 * nearly all are: sixteen bytes a step.  Otherwise, or without SSSE3,
	 * byte by byte below, which also finds where a bad byte is. */
	if (len >= 64 && utf8_simd_all_valid(s, len) == 1)
		return len;

	/* Text alternates runs of ASCII and runs of (mostly three-byte)
	 * characters: each run in a loop of its own. */
	while ((i += ascii_run(u + i, len - i)) < len) {
		while (len - i >= 3 && utf8_plain3(u + i))
			i += 3;
		if (i == len || u[i] < 0x80)
			continue;
		if ((n = utf8_seq(u + i, len - i, &bad)) == 0)
			break;
		i += n;
	}
	return i;
}

/* Append the escape for an ASCII byte that JSON does not allow bare. */
static void add_escape(struct strbuf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"':  strbuf_add(out, "\\\"", 2); break;
	case '\\': strbuf_add(out, "\\\\", 2); break;
	case '\b': strbuf_add(out, "\\b", 2); break;
	case '\f': strbuf_add(out, "\\f", 2); break;
	case '\n': strbuf_add(out, "\\n", 2); break;
	case '\r': strbuf_add(out, "\\r", 2); break;
	case '\t': strbuf_add(out, "\\t", 2); break;
	default:
		strbuf_addstr(out, "\\u00");
		strbuf_addch(out, hex[c >> 4]);
		strbuf_addch(out, hex[c & 0xF]);
	}
}

/* Printable ASCII other than " and \ goes out as it is. */
static bool is_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/* How many of the bytes from s (up to end) are plain, sixteen a step: a
 * byte below 0x20 or from 0x7F up, '"' or '\\' stops it.  Where SSE2 is
 * missing, none (the callers' own loops go on). */
static size_t plain_run(const char *s, const char *end)
{
	size_t n = 0;
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		      del = _mm_set1_epi8(0x7F);
	while (end - s - (ptrdiff_t)n >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(s + n));
		/* signed: below 0x20 and from 0x80 up alike */
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, quote)),
					   _mm_or_si128(_mm_cmpeq_epi8(x, bslash), _mm_cmpeq_epi8(x, del)));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return n + (size_t)__builtin_ctz(m);
		n += 16;
	}
#else
	(void)s;
	(void)end;
#endif
	return n;
}

void json_escape_valid(struct strbuf *out, const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t run = 0, i = 0;
	while (i < len) {
		if (i + 8 <= len) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			/* No byte below 0x20, no '"', '\\' or 0x7F in these eight? */
			uint64_t lo = (x - ones * 0x20) & ~x & highs;
			uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\'), del = x ^ (ones * 0x7F);
			uint64_t hit = lo | ((q - ones) & ~q & highs) | ((bs - ones) & ~bs & highs) |
				       ((del - ones) & ~del & highs);
			if (!hit) {
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
			i++;
			continue;
		}
		strbuf_add(out, s + run, i - run);
		run = ++i;
		add_escape(out, c);
	}
	strbuf_add(out, s + run, len - run);
}

void json_quote(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, n, bad;

	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	strbuf_addch(out, '"');
	while (i < len) {
		i += plain_run(s + i, s + len);
		if (i == len)
			break;
		if (i + 8 <= len) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			/* Eight plain ASCII bytes: none below 0x20, none from 0x7F
			 * up, no '"' and no '\\'. */
			uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\'), del = x ^ (ones * 0x7F);
			uint64_t hit = (x & highs) | ((x - ones * 0x20) & ~x & highs) |
				       ((q - ones) & ~q & highs) | ((bs - ones) & ~bs & highs) |
				       ((del - ones) & ~del & highs);
			if (!hit) {
				i += 8;
				continue;
			}
		}
		if (is_plain(u[i])) {
			i++;
			continue;
		}
		if (u[i] >= 0x80 && (n = utf8_seq(u + i, len - i, &bad)) > 0) {
			i += n;
			continue;
		}
		/* Copy the pending run of good bytes, then the replacement. */
		strbuf_add(out, s + run, i - run);
		if (u[i] >= 0x80) {
			strbuf_add(out, REPLACEMENT, 3);
			i += bad;
		} else {
			add_escape(out, u[i]);
			i++;
		}
		run = i;
	}
	strbuf_add(out, s + run, i - run);
	strbuf_addch(out, '"');
}
