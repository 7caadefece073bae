/*
 * cell — trimming a CSV cell and reading it as bool, integer or number.
 *
 * Everything is byte-exact and locale-independent: ASCII case folding is
 * done here rather than with tolower(), and numbers reach strtod only in a
 * normalised form without a decimal point.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"

#define NBSP "\xc2\xa0"          /* U+00A0 no-break space, UTF-8 */
#define IDEO_SPACE "\xe3\x80\x80" /* U+3000 ideographic space, UTF-8 */
#define ZERO_WIDTH_SPACE "\xe2\x80\x8b" /* U+200B, invisible: copied in from web pages */
#define ZERO_WIDTH_NBSP "\xef\xbb\xbf"  /* U+FEFF, a byte-order mark inside a cell */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Does s[0..len) start (at_end: end) with the n bytes of w? */
static bool has_affix(const char *s, size_t len, const char *w, size_t n,
		      bool at_end)
{
	return len >= n && memcmp(at_end ? s + len - n : s, w, n) == 0;
}

/* Length of one white-space character at the start (or end) of s, or 0. */
static size_t space_len(const char *s, size_t len, bool at_end)
{
	unsigned char c;

	if (len == 0)
		return 0;
	c = (unsigned char)(at_end ? s[len - 1] : s[0]);
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return 1;
	/* Only these bytes can begin (end) U+00A0, U+3000, U+200B, U+FEFF. */
	if (at_end ? c != 0xA0 && c != 0x80 && c != 0x8B && c != 0xBF
		   : c != 0xC2 && c != 0xE3 && c != 0xE2 && c != 0xEF)
		return 0;
	if (has_affix(s, len, NBSP, 2, at_end))
		return 2;
	if (has_affix(s, len, IDEO_SPACE, 3, at_end) || has_affix(s, len, ZERO_WIDTH_SPACE, 3, at_end) ||
	    has_affix(s, len, ZERO_WIDTH_NBSP, 3, at_end))
		return 3;
	return 0;
}

/* ASCII space, tab, CR, LF; C2 A0 (U+00A0); E3 80 80 (U+3000); E2 80 8B
 * (U+200B); EF BB BF (U+FEFF). */
const unsigned char cell_edge[256] = {
	[' '] = CELL_EDGE_FIRST | CELL_EDGE_LAST, ['\t'] = CELL_EDGE_FIRST | CELL_EDGE_LAST,
	['\r'] = CELL_EDGE_FIRST | CELL_EDGE_LAST, ['\n'] = CELL_EDGE_FIRST | CELL_EDGE_LAST,
	[0xC2] = CELL_EDGE_FIRST, [0xE3] = CELL_EDGE_FIRST, [0xE2] = CELL_EDGE_FIRST, [0xEF] = CELL_EDGE_FIRST,
	[0xA0] = CELL_EDGE_LAST, [0x80] = CELL_EDGE_LAST, [0x8B] = CELL_EDGE_LAST, [0xBF] = CELL_EDGE_LAST,
};

size_t cell_trim_edges(const char **s, size_t len)
{
	size_t n;

	while ((n = space_len(*s, len, false)) > 0) {
		*s += n;
		len -= n;
	}
	while ((n = space_len(*s, len, true)) > 0)
		len -= n;
	return len;
}

/* Whether different bytes a and b are one ASCII letter in two cases:
 * they differ in the case bit alone and are letters. */
static bool same_letter(unsigned char a, unsigned char b)
{
	return (a | 0x20) == (b | 0x20) && (a | 0x20) >= 'a' && (a | 0x20) <= 'z';
}

bool cell_equal_fold(const char *s, size_t len, const char *word)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)word[i];

		if (a == b) {
			if (b == '\0')
				return false;   /* word ends before s */
			continue;
		}
		if (!same_letter(a, b))
			return false;
	}
	return word[len] == '\0';
}

size_t cell_fold_width(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	bool folded = false;
	/* Most text has neither lead byte (Chinese characters are E4-E9): a
	 * look with memchr settles it (a header is matched against every
	 * column name of every decision). */
	if (len > cap || (!memchr(s, 0xEF, len) && !memchr(s, 0xE3, len)))
		return 0;
	for (size_t i = 0; i < len; i++) {
		const unsigned char *p = (const unsigned char *)s + i;
		if (i + 2 < len && p[0] == 0xEF && ((p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) ||
						      (p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E))) {
			/* U+FF01 + k stands for 0x21 + k */
			unsigned cp = 0xF000u | (unsigned)(p[1] & 0x3F) << 6 | (unsigned)(p[2] & 0x3F);
			out[n++] = (char)(cp - 0xFF01u + 0x21u);
			i += 2;
			folded = true;
		} else if (i + 2 < len && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			out[n++] = ' ';
			i += 2;
			folded = true;
		} else {
			out[n++] = (char)p[0];
		}
	}
	return folded ? n : 0;
}

bool cell_parse_bool(const char *s, size_t len, bool *out)
{
	const char *word;
	bool value;

	if (len == 0)
		return false;
	/* The one word that may match, by its first byte with the case bit
	 * set (a filter only: the whole word is compared below). */
	switch ((unsigned char)s[0] | 0x20) {
	case 't': word = "true"; value = true; break;
	case 'f': word = "false"; value = false; break;
	case 'y': word = len == 1 ? "y" : "yes"; value = true; break;
	case 'n': word = len == 1 ? "n" : "no"; value = false; break;
	case '1': word = "1"; value = true; break;
	case '0': word = "0"; value = false; break;
	case 0xE6: word = "\xe6\x98\xaf"; value = true; break;  /* 是 */
	case 0xE5: word = "\xe5\x90\xa6"; value = false; break; /* 否 */
	default: return false;
	}
	if (!cell_equal_fold(s, len, word))
		return false;
	*out = value;
	return true;
}

bool cell_parse_int(const char *s, size_t len, long long *out)
{
	size_t i = 0;
	bool neg = false;
	unsigned long long v = 0, limit;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return false;
	/* The magnitude may reach LLONG_MAX + 1 only when negative. */
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	if (len - i <= 18) {
		/* Eighteen digits or fewer cannot pass the limit: no
		 * division a digit (nearly every cell). */
		for (; i < len; i++) {
			if (!is_digit(s[i]))
				return false;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
	}
	for (; i < len; i++) {
		unsigned d;

		if (!is_digit(s[i]))
			return false;
		d = (unsigned)(s[i] - '0');
		if (v > (limit - d) / 10)
			return false;                  /* would pass limit */
		v = v * 10 + d;
	}
	if (!neg)
		*out = (long long)v;
	else
		*out = v == limit ? LLONG_MIN : -(long long)v;
	return true;
}

/*
 * Significant digits kept for strtod.  The exact decimal value of any point
 * halfway between two doubles has at most 768 significant digits, so the
 * first 780 digits plus a sticky '1' for any non-zero digit dropped after
 * them round the same way as the whole decimal.
 */
#define SIG_DIGITS 780
#define EXP_LIMIT 99999L /* far beyond any double; keeps the text short */

/* [+-] digits [. digits] with at least one digit; *dot = len if no '.'. */
static bool number_syntax(const char *s, size_t len, size_t *start,
			  size_t *dot)
{
	size_t i = 0, digits = 0;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		i = 1;
	*start = i;
	*dot = len;
	for (; i < len; i++) {
		if (is_digit(s[i]))
			digits++;
		else if (s[i] == '.' && *dot == len)
			*dot = i;
		else
			return false;
	}
	return digits > 0;
}

/*
 * Rewrite the digits of s[start..len) as "DIGITSe<exp>" in buf: leading
 * zeros dropped, no decimal point (so strtod's locale cannot matter).
 */
static void number_normalise(const char *s, size_t len, size_t start,
			     size_t dot, char *buf, size_t size)
{
	long long place = (long long)(dot - start); /* integer digits */
	long long exp = 0;
	size_t n = 0;
	bool sticky = false;

	for (size_t i = start; i < len; i++) {
		if (s[i] == '.')
			continue;
		place--;                     /* this digit counts 10^place */
		if (n == 0 && s[i] == '0')
			continue;
		if (n < SIG_DIGITS) {
			buf[n++] = s[i];
			exp = place;
		} else if (s[i] != '0') {
			sticky = true;
		}
	}
	if (n == 0) {
		snprintf(buf, size, "0");
		return;
	}
	if (sticky) {
		buf[n++] = '1';
		exp--;
	}
	/* Clamping keeps overflow an overflow and underflow an underflow. */
	if (exp > EXP_LIMIT)
		exp = EXP_LIMIT;
	if (exp < -EXP_LIMIT)
		exp = -EXP_LIMIT;
	snprintf(buf + n, size - n, "e%lld", exp);
}

/*
 * Clinger's fast path: when the digits of s[start..len) without the point
 * make an integer m below 2^53 and at most 22 of them follow the point,
 * m and 10^k are exact doubles, so the one division m / 10^k is rounded
 * once, correctly, to the same double strtod gives for the decimal (when
 * doubles are computed as doubles: FLT_EVAL_METHOD 0, not x87).
 */
static bool number_exact(const char *s, size_t len, size_t start, size_t dot,
			 double *v)
{
	static const double pow10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	unsigned long long m = 0;
	size_t frac = dot < len ? len - dot - 1 : 0;

	if (frac >= sizeof pow10 / sizeof pow10[0])
		return false;
	for (size_t i = start; i < len; i++) {
		if (s[i] == '.')
			continue;
		if (m >= (1ULL << 53) / 10)
			return false;                  /* m * 10 + 9 may not fit */
		m = m * 10 + (unsigned)(s[i] - '0');
	}
	*v = (double)m / pow10[frac];
	return true;
}

bool cell_parse_number(const char *s, size_t len, double *out)
{
	char buf[SIG_DIGITS + 32];
	size_t start, dot;
	char *end;
	double v;

	if (!number_syntax(s, len, &start, &dot))
		return false;
	if (FLT_EVAL_METHOD == 0 && number_exact(s, len, start, dot, &v)) {
		*out = s[0] == '-' ? -v : v;
		return true;
	}
	number_normalise(s, len, start, dot, buf, sizeof buf);
	v = strtod(buf, &end);
	/* Overflow is not finite; a subnormal is fine, but a number with a
	 * digit other than 0 that underflows to 0 cannot be read: 0 would
	 * pass for it, and fail a rule such as "> 0" that it meets. */
	if (*end != '\0' || !isfinite(v) || (v == 0 && strcmp(buf, "0") != 0))
		return false;
	*out = s[0] == '-' ? -v : v;
	return true;
}
