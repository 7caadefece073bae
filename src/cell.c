/*
 * cell — trimming a CSV cell and reading it as bool, integer or number.
 *
 * Everything is byte-exact and locale-independent: ASCII case folding is
 * done here rather than with tolower(), and numbers reach strtod only in a
 * normalised form without a decimal point.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"

#define NBSP "\xc2\xa0"          /* U+00A0 no-break space, UTF-8 */
#define IDEO_SPACE "\xe3\x80\x80" /* U+3000 ideographic space, UTF-8 */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int fold(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
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
	char c;

	if (len == 0)
		return 0;
	c = at_end ? s[len - 1] : s[0];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return 1;
	if (has_affix(s, len, NBSP, 2, at_end))
		return 2;
	if (has_affix(s, len, IDEO_SPACE, 3, at_end))
		return 3;
	return 0;
}

size_t cell_trim(const char **s, size_t len)
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

bool cell_equal_fold(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len && word[i] != '\0'; i++)
		if (fold(s[i]) != fold(word[i]))
			return false;
	return i == len && word[i] == '\0';
}

bool cell_parse_bool(const char *s, size_t len, bool *out)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "true", true }, { "false", false }, { "yes", true },
		{ "no", false }, { "y", true }, { "n", false },
		{ "1", true }, { "0", false },
		{ "\xe6\x98\xaf", true },  /* 是; folding leaves non-ASCII alone */
		{ "\xe5\x90\xa6", false }, /* 否 */
	};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (cell_equal_fold(s, len, words[i].word)) {
			*out = words[i].value;
			return true;
		}
	}
	return false;
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

bool cell_parse_number(const char *s, size_t len, double *out)
{
	char buf[SIG_DIGITS + 32];
	size_t start, dot;
	char *end;
	double v;

	if (!number_syntax(s, len, &start, &dot))
		return false;
	number_normalise(s, len, start, dot, buf, sizeof buf);
	v = strtod(buf, &end);
	/* Overflow is not finite; underflow to 0 or a subnormal is fine. */
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = s[0] == '-' ? -v : v;
	return true;
}
