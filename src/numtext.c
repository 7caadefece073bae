/* numtext — numbers as text; see numtext.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "numtext.h"

/* "00" "01" ... "99": two digits a step. */
static const char pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* u's digits, right-aligned to end; returns where they start. */
static char *digits_before(char *end, unsigned long long u)
{
	char *p = end;
	while (u >= 100) {
		unsigned r = (unsigned)(u % 100);
		u /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	return p;
}

size_t numtext_uint(char *buf, unsigned long long u)
{
	char tmp[24];
	char *p = digits_before(tmp + sizeof tmp, u);
	size_t len = (size_t)(tmp + sizeof tmp - p);
	memcpy(buf, p, len);
	return len;
}

size_t numtext_int(char *buf, long long v)
{
	char tmp[24];
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char *p = digits_before(tmp + sizeof tmp, u);
	if (v < 0)
		*--p = '-';
	size_t len = (size_t)(tmp + sizeof tmp - p);
	memcpy(buf, p, len);
	return len;
}

/* x = m / 10^d for an integer m of at most ten digits and d of 1 to 6,
 * with 1e-4 <= |x| < 1e10: then "%.10g" writes that decimal exactly.
 * (x is the double nearest m / 10^d, so x rounded to ten significant
 * digits is m / 10^d again; fixed notation, since its exponent is between
 * -4 and 9; trailing zeros dropped.)  Otherwise 0, and snprintf does it. */
static size_t short_decimal(char *buf, double x)
{
	static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };
	double ax = fabs(x);
	if (!(ax >= 1e-4 && ax < 1e10) || ax == floor(ax))
		return 0;
	for (int d = 1; d <= 6; d++) {
		double m = ax * pow10[d];
		if (m >= 1e10)
			return 0;
		if (m != floor(m) || m / pow10[d] != ax)
			continue;
		unsigned long long um = (unsigned long long)m;
		char tmp[NUMTEXT_MAX];
		char *end = tmp + sizeof tmp;
		char *p = digits_before(end, um);
		/* at least d + 1 digits: zeros in front of a fraction like 0.05 */
		while (end - p < d + 1)
			*--p = '0';
		size_t n = 0;
		if (x < 0)
			buf[n++] = '-';
		size_t ilen = (size_t)(end - p) - (size_t)d;
		memcpy(buf + n, p, ilen);
		n += ilen;
		buf[n++] = '.';
		size_t flen = (size_t)d;
		while (flen && p[ilen + flen - 1] == '0')
			flen--;
		memcpy(buf + n, p + ilen, flen);
		return n + flen;
	}
	return 0;
}

size_t numtext_g10(char *buf, double x)
{
	size_t n = short_decimal(buf, x);
	if (n)
		return n;
	/* the shortest of 15, 16 or 17 significant digits that reads back
	 * as x (text.lua's T.number the same) */
	char tmp[NUMTEXT_MAX];
	int len = 0;
	for (int digits = 15; digits <= 17; digits++) {
		len = snprintf(tmp, sizeof tmp, "%.*g", digits, x);
		if (digits == 17 || strtod(tmp, NULL) == x || x != x)
			break;
	}
	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof tmp)
		len = (int)sizeof tmp - 1;
	memcpy(buf, tmp, (size_t)len);
	return (size_t)len;
}
