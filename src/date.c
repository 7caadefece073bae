/*
 * date — day numbers, parsing and contract 5.5 period arithmetic.
 *
 * Conversion between day numbers and year-month-day uses the era-based
 * algorithm of Howard Hinnant ("chrono-Compatible Low-Level Date
 * Algorithms"): 400-year eras of 146097 days, years counted from March so
 * that the leap day is the last day of the counted year.
 */
#include <limits.h>
#include <stdint.h>
#include <time.h>

#include <string.h>
#include "date.h"

/* Day number of 0000-03-01 relative to 1970-01-01, negated. */
#define DAYS_0000_03_01_TO_EPOCH 719468

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Floor division for the era: C division truncates toward zero. */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Day number of a y-m-d already known to be valid. */
static date_t days_from_civil(int y, int m, int d)
{
	int64_t yy = m <= 2 ? y - 1 : y;       /* the year starts in March */
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;          /* [0, 399] */
	int64_t mp = (m + 9) % 12;             /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (date_t)(era * 146097 + doe - DAYS_0000_03_01_TO_EPOCH);
}

bool date_from_ymd(int y, int m, int d, date_t *out)
{
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > days_in_month(y, m))
		return false;
	*out = days_from_civil(y, m, d);
	return true;
}

void date_to_ymd(date_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + DAYS_0000_03_01_TO_EPOCH;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;                          /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);   /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                        /* March = 0 */
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

/* Read exactly n ASCII digits at s[*i]; advance *i. */
static bool read_fixed(const char *s, size_t len, size_t *i, int n, int *v)
{
	*v = 0;
	for (int k = 0; k < n; k++, (*i)++) {
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return false;
		*v = *v * 10 + (s[*i] - '0');
	}
	return true;
}

/* Read one or two ASCII digits at s[*i]; advance *i. */
static bool read_1or2(const char *s, size_t len, size_t *i, int *v)
{
	if (!read_fixed(s, len, i, 1, v))
		return false;
	if (*i < len && s[*i] >= '0' && s[*i] <= '9')
		*v = *v * 10 + (s[(*i)++] - '0');
	return true;
}

/* Match the byte string sep at s[*i]; advance *i. */
static bool read_sep(const char *s, size_t len, size_t *i, const char *sep)
{
	for (; *sep; sep++, (*i)++)
		if (*i >= len || s[*i] != *sep)
			return false;
	return true;
}

/* year sep1 month sep2 day sep3, the whole of s and nothing more. */
static bool parse_form(const char *s, size_t len, const char *sep1,
		       const char *sep2, const char *sep3, date_t *out)
{
	size_t i = 0;
	int y, m, d;

	if (!read_fixed(s, len, &i, 4, &y) || !read_sep(s, len, &i, sep1) ||
	    !read_1or2(s, len, &i, &m) || !read_sep(s, len, &i, sep2) ||
	    !read_1or2(s, len, &i, &d) || !read_sep(s, len, &i, sep3))
		return false;
	return i == len && date_from_ymd(y, m, d, out);
}

/* A date Excel wrote as a date and time at midnight (2024/3/15 0:00,
 * 2024-03-15 00:00:00): the length of the date.  Any other time is kept,
 * and makes no date.  Out of line: rare, and date_parse is hot. */
static __attribute__((noinline)) size_t without_midnight(const char *s, size_t len)
{
	static const struct { const char *text; size_t n; } midnight[] = {
		{ " 0:00", 5 }, { " 00:00", 6 }, { " 0:00:00", 8 }, { " 00:00:00", 9 },
	};
	for (size_t k = 0; k < sizeof midnight / sizeof midnight[0]; k++) {
		size_t n = midnight[k].n;
		if (len > n + 5 && memcmp(s + len - n, midnight[k].text, n) == 0)
			return len - n;
	}
	return len;
}

bool date_parse(const char *s, size_t len, date_t *out)
{
	/* The byte after the year picks the form; the others must agree. */
	if (len < 5)
		return false;
	/* 2024-03-15, the form nearly every cell has: its digits at once. */
	if (len == 10 && s[4] == '-' && s[7] == '-') {
		unsigned d[8];
		static const unsigned char at[8] = { 0, 1, 2, 3, 5, 6, 8, 9 };
		bool digits = true;
		for (int k = 0; k < 8; k++) {
			d[k] = (unsigned)(unsigned char)s[at[k]] - '0';
			digits &= d[k] <= 9;
		}
		if (digits)
			return date_from_ymd((int)(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]),
					     (int)(d[4] * 10 + d[5]), (int)(d[6] * 10 + d[7]), out);
	}
	if (len > 10 && s[len - 3] == ':')
		len = without_midnight(s, len);
	switch (s[4]) {
	case '-':
		return parse_form(s, len, "-", "-", "", out);
	case '/':
		return parse_form(s, len, "/", "/", "", out);
	case '.':
		return parse_form(s, len, ".", ".", "", out);
	default:
		return parse_form(s, len, "\u5e74", "\u6708", "\u65e5", out);
	}
}

/* Write v (not negative) as exactly n decimal digits. */
static void put_digits(char *p, int v, int n)
{
	for (int k = n - 1; k >= 0; k--, v /= 10)
		p[k] = (char)('0' + v % 10);
}

/* Meant for days in years 1..9999, the only ones the parser makes. */
int date_format(date_t day, char buf[DATE_TEXT_MAX])
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, d, 2);
	buf[10] = '\0';
	return 10;
}

bool date_in_calendar(long long d)
{
	date_t lo, hi;
	date_from_ymd(DATE_MIN_YEAR, 1, 1, &lo);
	date_from_ymd(DATE_MAX_YEAR, 12, 31, &hi);
	return d >= lo && d <= hi;
}

/* Months counted in 64 bits so that years * 12 cannot overflow. */
static bool add_months(date_t day, int64_t months, date_t *out)
{
	int y, m, d;
	int64_t total, ny;
	int nm, last;

	date_to_ymd(day, &y, &m, &d);
	total = (int64_t)y * 12 + (m - 1) + months;
	ny = floor_div(total, 12);
	if (ny < DATE_MIN_YEAR || ny > DATE_MAX_YEAR)
		return false;
	nm = (int)(total - ny * 12) + 1;
	/* Civil Code art. 202: no such day in that month means its last. */
	last = days_in_month((int)ny, nm);
	return date_from_ymd((int)ny, nm, d < last ? d : last, out);
}

bool date_add_months(date_t day, int months, date_t *out)
{
	return add_months(day, months, out);
}

bool date_add_years(date_t day, int years, date_t *out)
{
	return add_months(day, (int64_t)years * 12, out);
}

int32_t date_days_between(date_t from, date_t to)
{
	return (int32_t)((int64_t)to - from);
}

date_t date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	date_t day;

	/* Outside years 1..9999 only with a broken clock; fall back to 0. */
	if (localtime_r(&now, &tm) == NULL ||
	    !date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day))
		return 0;
	return day;
}
