/*
 * test_date — parsing, formatting and contract 5.5 period arithmetic.
 *
 * The exhaustive tests compare date.c with a second calendar built here by
 * walking day by day from 1970-01-01 with its own month lengths; they share
 * no code with date.c.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"

/* ---- helpers ---------------------------------------------------------- */

/* Parse s from a heap copy of exactly its length (no NUL after it), so
 * that the sanitizers and valgrind catch any read past len. */
static bool parse(const char *s, date_t *out)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	bool ok;

	assert_non_null(copy);
	memcpy(copy, s, len);
	ok = date_parse(copy, len, out);
	free(copy);
	return ok;
}

static date_t ymd(int y, int m, int d)
{
	date_t day;

	assert_true(date_from_ymd(y, m, d, &day));
	return day;
}

static void assert_ymd(date_t day, int y, int m, int d)
{
	char want[48], got[DATE_TEXT_MAX];

	snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
	date_format(day, got);
	assert_string_equal(got, want);
}

/* ---- the independent calendar ------------------------------------------ */

#define WALK_FIRST 1970
#define WALK_LAST 2106
#define WALK_YEARS (WALK_LAST - WALK_FIRST + 1)

/* Day number of every day of WALK_FIRST..WALK_LAST, -1 where none. */
static int32_t walk[WALK_YEARS][12][31];

static int walk_month_length(int y, int m)
{
	if (m == 2) {
		if (y % 400 == 0)
			return 29;
		if (y % 100 == 0)
			return 28;
		return y % 4 == 0 ? 29 : 28;
	}
	return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

static int32_t walk_at(int y, int m, int d)
{
	return walk[y - WALK_FIRST][m - 1][d - 1];
}

static int setup_walk(void **state)
{
	int y = WALK_FIRST, m = 1, d = 1;
	int32_t n = 0;

	(void)state;
	memset(walk, 0xff, sizeof walk);
	while (y <= WALK_LAST) {
		walk[y - WALK_FIRST][m - 1][d - 1] = n++;
		if (++d > walk_month_length(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	return 0;
}

/* ---- conversion ---------------------------------------------------------- */

static void test_from_ymd_known(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2000, 1, 1), 10957);
	assert_int_equal(ymd(1, 1, 1), -719162);
	assert_int_equal(ymd(9999, 12, 31), 2932896);
}

static void test_from_ymd_rejects(void **state)
{
	date_t day = 12345;

	(void)state;
	assert_false(date_from_ymd(0, 12, 31, &day));
	assert_false(date_from_ymd(10000, 1, 1, &day));
	assert_false(date_from_ymd(-1, 1, 1, &day));
	assert_false(date_from_ymd(2024, 0, 1, &day));
	assert_false(date_from_ymd(2024, 13, 1, &day));
	assert_false(date_from_ymd(2024, 1, 0, &day));
	assert_false(date_from_ymd(2024, 1, 32, &day));
	assert_false(date_from_ymd(2024, 4, 31, &day));
	assert_false(date_from_ymd(2023, 2, 29, &day));
	assert_false(date_from_ymd(INT_MAX, INT_MAX, INT_MAX, &day));
	assert_false(date_from_ymd(INT_MIN, INT_MIN, INT_MIN, &day));
	assert_int_equal(day, 12345); /* untouched on failure */
}

static void test_leap_years(void **state)
{
	date_t day;

	(void)state;
	assert_true(date_from_ymd(2000, 2, 29, &day));
	assert_false(date_from_ymd(1900, 2, 29, &day));
	assert_true(date_from_ymd(2024, 2, 29, &day));
	assert_false(date_from_ymd(2023, 2, 29, &day));
	assert_false(date_from_ymd(2100, 2, 29, &day));
	assert_true(date_from_ymd(2400, 2, 29, &day));
	assert_true(date_from_ymd(4, 2, 29, &day));
	assert_false(date_from_ymd(1, 2, 29, &day));
	assert_int_equal(date_days_between(ymd(2000, 1, 1), ymd(2001, 1, 1)), 366);
	assert_int_equal(date_days_between(ymd(1900, 1, 1), ymd(1901, 1, 1)), 365);
}

/* Every day of the walk: from_ymd matches it and to_ymd inverts it. */
static void test_conversion_exhaustive(void **state)
{
	(void)state;
	for (int y = WALK_FIRST; y <= WALK_LAST; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				int32_t want = walk_at(y, m, d);
				date_t day;
				int gy, gm, gd;

				if (want < 0) {
					assert_false(date_from_ymd(y, m, d, &day));
					continue;
				}
				assert_true(date_from_ymd(y, m, d, &day));
				assert_int_equal(day, want);
				date_to_ymd(day, &gy, &gm, &gd);
				assert_true(gy == y && gm == m && gd == d);
			}
}

/* Every day of years 1..9999 round-trips through to_ymd and from_ymd, and
 * consecutive day numbers are consecutive days. */
static void test_conversion_full_range(void **state)
{
	int py = 0, pm = 12, pd = 31;

	(void)state;
	for (date_t day = ymd(1, 1, 1); day <= ymd(9999, 12, 31); day++) {
		int y, m, d;
		date_t back;

		date_to_ymd(day, &y, &m, &d);
		assert_true(date_from_ymd(y, m, d, &back));
		assert_int_equal(back, day);
		/* The next day after py-pm-pd: d+1, or the 1st of a later month. */
		assert_true((y == py && m == pm && d == pd + 1) ||
			    (d == 1 && ((y == py && m == pm + 1) ||
					(y == py + 1 && m == 1 && pm == 12))));
		py = y;
		pm = m;
		pd = d;
	}
}

/* ---- parsing --------------------------------------------------------------- */

static void test_parse_accepts(void **state)
{
	static const struct {
		const char *text;
		int y, m, d;
	} cases[] = {
		{ "2024-03-15", 2024, 3, 15 },
		{ "2024-3-15", 2024, 3, 15 },
		{ "2024-3-5", 2024, 3, 5 },
		{ "2024-03-05", 2024, 3, 5 },
		{ "2024-12-31", 2024, 12, 31 },
		{ "2024/3/15", 2024, 3, 15 },
		{ "2024/03/15", 2024, 3, 15 },
		{ "2024/1/1", 2024, 1, 1 },
		{ "2024.3.15", 2024, 3, 15 },
		{ "2024.03.09", 2024, 3, 9 },
		{ "2024.12.1", 2024, 12, 1 },
		{ "2024\u5e743\u670815\u65e5", 2024, 3, 15 },
		{ "2024\u5e7403\u670805\u65e5", 2024, 3, 5 },
		{ "2024\u5e7412\u67081\u65e5", 2024, 12, 1 },
		{ "2024-02-29", 2024, 2, 29 },
		{ "2000-2-29", 2000, 2, 29 },
		{ "0001-01-01", 1, 1, 1 },
		{ "9999-12-31", 9999, 12, 31 },
		/* a date and time at midnight, as Excel writes a date */
		{ "2024/3/15 0:00", 2024, 3, 15 },
		{ "2024-03-15 00:00:00", 2024, 3, 15 },
		{ "2024.3.15 00:00", 2024, 3, 15 },
		{ "2024\u5e743\u670815\u65e5 0:00:00", 2024, 3, 15 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		date_t day;

		if (!parse(cases[i].text, &day))
			fail_msg("rejected '%s'", cases[i].text);
		assert_ymd(day, cases[i].y, cases[i].m, cases[i].d);
	}
}

static void test_parse_rejects(void **state)
{
	static const char *const cases[] = {
		"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-32",
		"2024-03-15 ", " 2024-03-15", "24-3-15", "2024-03",
		"2024/03-15", "2024-03/15", "2024.3-15", "2024/3.15",
		"2024\u5e743\u670815", "2024\u5e743-15", "2024-3\u670815\u65e5",
		"2024\u5e743\u670815\u65e5 ", "", "abcd-ef-gh", "2024-ab-01",
		"20240-01-01", "+2024-01-01", "-2024-01-01", "0000-01-01",
		"2024-003-15", "2024-03-015", "2024-3-", "2024--15", "2024-03-",
		"2024-0-1", "2024-1-0", "2024-04-31", "1900-02-29", "2100-2-29",
		"2024-03-15T00:00", "2024-03-15-", "2024 03 15", "2024_03_15",
		"2024-+3-15", "2024-3-+5", "2024-1e-15", "2024", "2024-",
		"\u4e8c\u96f6\u4e8c\u56db\u5e743\u670815\u65e5",
		"\uff12\uff10\uff12\uff14-03-15", /* full-width digits */
		/* any time but midnight, or midnight written otherwise */
		"2024-03-15 10:00", "2024-03-15 00:01", "2024-03-15 0:0", "2024-03-15  00:00",
		"2024-03-15 00:00 ", "2024-03-15 24:00", " 00:00", "2024 00:00", "2024-03-15 00:00:00:00",
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		date_t day = 777;

		if (parse(cases[i], &day))
			fail_msg("accepted '%s'", cases[i]);
		assert_int_equal(day, 777);
	}
}

static void test_parse_respects_len(void **state)
{
	date_t day;

	(void)state;
	assert_true(date_parse("2024-03-159", 10, &day));
	assert_ymd(day, 2024, 3, 15);
	assert_true(date_parse("2024-03-15", 9, &day));
	assert_ymd(day, 2024, 3, 1);
	assert_false(date_parse("2024-03-15", 8, &day));
	assert_false(date_parse("2024-03-15\0", 11, &day));
	assert_false(date_parse("2024-03-15", 0, &day));
}

/* ---- formatting -------------------------------------------------------- */

static void test_format(void **state)
{
	char buf[DATE_TEXT_MAX];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_int_equal(date_format(0, buf), 10);
	assert_string_equal(buf, "1970-01-01");
	assert_int_equal(date_format(ymd(1, 1, 1), buf), 10);
	assert_string_equal(buf, "0001-01-01");
	assert_int_equal(date_format(ymd(9999, 12, 31), buf), 10);
	assert_string_equal(buf, "9999-12-31");
	date_format(ymd(2024, 2, 9), buf);
	assert_string_equal(buf, "2024-02-09");
}

/* Every day of the walk formats as its own text and parses back. */
static void test_format_round_trip(void **state)
{
	(void)state;
	for (int y = WALK_FIRST; y <= WALK_LAST; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				int32_t day = walk_at(y, m, d);
				char want[48], got[DATE_TEXT_MAX];
				date_t back;

				if (day < 0)
					continue;
				snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
				assert_int_equal(date_format(day, got), 10);
				assert_string_equal(got, want);
				assert_true(date_parse(got, 10, &back));
				assert_int_equal(back, day);
			}
}

/* ---- contract 5.5 ------------------------------------------------------------ */

static void check_add_months(int y, int m, int d, int months,
			     int ty, int tm, int td)
{
	date_t got;

	assert_true(date_add_months(ymd(y, m, d), months, &got));
	assert_ymd(got, ty, tm, td);
}

static void test_add_months_contract(void **state)
{
	(void)state;
	check_add_months(2024, 3, 1, 12, 2025, 3, 1);
	check_add_months(2024, 2, 29, 12, 2025, 2, 28);
	check_add_months(2024, 8, 31, 18, 2026, 2, 28);
	check_add_months(2022, 8, 31, 18, 2024, 2, 29);
}

static void test_add_months_negative(void **state)
{
	(void)state;
	check_add_months(2025, 2, 28, -36, 2022, 2, 28);
	check_add_months(2024, 2, 29, -12, 2023, 2, 28);
	check_add_months(2023, 3, 31, -1, 2023, 2, 28);
	check_add_months(2024, 3, 31, -1, 2024, 2, 29);
	check_add_months(2024, 1, 15, -1, 2023, 12, 15);
	check_add_months(2024, 1, 31, -13, 2022, 12, 31);
	check_add_months(2024, 5, 31, -1, 2024, 4, 30);
}

static void test_add_months_misc(void **state)
{
	(void)state;
	check_add_months(2024, 3, 15, 0, 2024, 3, 15);
	check_add_months(2024, 1, 31, 1, 2024, 2, 29);
	check_add_months(2023, 1, 31, 1, 2023, 2, 28);
	check_add_months(2024, 12, 31, 1, 2025, 1, 31);
	check_add_months(2024, 11, 30, 1, 2024, 12, 30);
	check_add_months(2024, 1, 31, 3, 2024, 4, 30);
	check_add_months(2024, 1, 1, 120, 2034, 1, 1);
	check_add_months(1, 1, 1, 9998 * 12 + 11, 9999, 12, 1);
	check_add_months(9999, 12, 31, -(9998 * 12 + 11), 1, 1, 31);
}

static void test_add_months_range(void **state)
{
	date_t got = 4242;

	(void)state;
	assert_false(date_add_months(ymd(9999, 12, 31), 1, &got));
	assert_false(date_add_months(ymd(9999, 1, 1), 12, &got));
	assert_false(date_add_months(ymd(1, 1, 31), -1, &got));
	assert_false(date_add_months(ymd(1, 12, 1), -12, &got));
	assert_false(date_add_months(ymd(2024, 1, 1), INT_MAX, &got));
	assert_false(date_add_months(ymd(2024, 1, 1), INT_MIN, &got));
	assert_int_equal(got, 4242);
}

static void test_add_years(void **state)
{
	date_t got = 4242;

	(void)state;
	assert_true(date_add_years(ymd(2024, 3, 1), 1, &got));
	assert_ymd(got, 2025, 3, 1);
	assert_true(date_add_years(ymd(2024, 2, 29), 1, &got));
	assert_ymd(got, 2025, 2, 28);
	assert_true(date_add_years(ymd(2024, 2, 29), 4, &got));
	assert_ymd(got, 2028, 2, 29);
	assert_true(date_add_years(ymd(2024, 2, 29), -4, &got));
	assert_ymd(got, 2020, 2, 29);
	assert_true(date_add_years(ymd(2000, 2, 29), 100, &got));
	assert_ymd(got, 2100, 2, 28);
	assert_true(date_add_years(ymd(2025, 2, 28), -3, &got));
	assert_ymd(got, 2022, 2, 28);
	assert_true(date_add_years(ymd(2024, 6, 30), 0, &got));
	assert_ymd(got, 2024, 6, 30);
	assert_true(date_add_years(ymd(9998, 6, 1), 1, &got));
	assert_ymd(got, 9999, 6, 1);
	got = 4242;
	assert_false(date_add_years(ymd(9998, 6, 1), 2, &got));
	assert_false(date_add_years(ymd(1, 6, 1), -1, &got));
	assert_false(date_add_years(ymd(2024, 1, 1), INT_MAX, &got));
	assert_false(date_add_years(ymd(2024, 1, 1), INT_MIN, &got));
	assert_int_equal(got, 4242);
}

/* date_add_months over every start day of 2000..2100 and every month
 * count in -60..60, against the walk: step the month number by hand and
 * move back from the same day number to the last day that exists. */
static void test_add_months_exhaustive(void **state)
{
	long checked = 0;

	(void)state;
	for (int y = 2000; y <= 2100; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				int32_t start = walk_at(y, m, d);

				if (start < 0)
					continue;
				for (int k = -60; k <= 60; k++) {
					int total = y * 12 + (m - 1) + k;
					int ty = total / 12, tm = total % 12 + 1, td = d;
					date_t got;

					while (walk_at(ty, tm, td) < 0)
						td--;
					if (!date_add_months(start, k, &got) ||
					    got != walk_at(ty, tm, td))
						fail_msg("%04d-%02d-%02d %+d months: want "
							 "%04d-%02d-%02d", y, m, d, k, ty,
							 tm, td);
					checked++;
				}
			}
	assert_int_equal(checked, 36890L * 121);
}

/* ---- days between, today ------------------------------------------------ */

static void test_days_between(void **state)
{
	(void)state;
	assert_int_equal(date_days_between(ymd(2024, 1, 1), ymd(2024, 12, 31)), 365);
	assert_int_equal(date_days_between(ymd(2023, 1, 1), ymd(2024, 1, 1)), 365);
	assert_int_equal(date_days_between(ymd(2024, 1, 1), ymd(2025, 1, 1)), 366);
	assert_int_equal(date_days_between(ymd(2024, 3, 1), ymd(2024, 2, 28)), -2);
	assert_int_equal(date_days_between(ymd(2024, 3, 15), ymd(2024, 3, 15)), 0);
	assert_int_equal(date_days_between(ymd(1, 1, 1), ymd(9999, 12, 31)), 3652058);
	assert_int_equal(date_days_between(ymd(9999, 12, 31), ymd(1, 1, 1)), -3652058);
}

static void test_today(void **state)
{
	date_t today = date_today();
	int y, m, d;

	(void)state;
	date_to_ymd(today, &y, &m, &d);
	assert_in_range(y, 2020, 9999);
}

/* 2024-03-15 has a quick way of its own: it reads every such text as
 * 2024/03/15 (the general way) does, valid or not, digits or not. */
static void test_dash_form_as_slash_form(void **state)
{
	static const char *years[] = { "0000", "0001", "1899", "1900", "2000", "2023", "2024", "9999", "2O24", "-202" };
	char dash[16], slash[16];

	(void)state;
	for (size_t k = 0; k < sizeof years / sizeof years[0]; k++)
		for (int m = -1; m <= 13; m++)
			for (int d = -1; d <= 32; d++) {
				char mm[3], dd[3];
				snprintf(mm, sizeof mm, m < 0 ? "1x" : "%02d", m);
				snprintf(dd, sizeof dd, d < 0 ? "x1" : "%02d", d);
				snprintf(dash, sizeof dash, "%s-%s-%s", years[k], mm, dd);
				snprintf(slash, sizeof slash, "%s/%s/%s", years[k], mm, dd);
				date_t a = -1, b = -1;
				bool ok_a = date_parse(dash, strlen(dash), &a);
				bool ok_b = date_parse(slash, strlen(slash), &b);
				assert_int_equal(ok_a, ok_b);
				if (ok_a)
					assert_int_equal(a, b);
			}
}

/* The calendar's ends, and one day past each. */
static void test_in_calendar(void **state)
{
	(void)state;
	date_t lo, hi;
	assert_true(date_from_ymd(1, 1, 1, &lo));
	assert_true(date_from_ymd(9999, 12, 31, &hi));
	assert_true(date_in_calendar(lo));
	assert_true(date_in_calendar(hi));
	assert_false(date_in_calendar((long long)lo - 1));
	assert_false(date_in_calendar((long long)hi + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_ymd_known),
		cmocka_unit_test(test_dash_form_as_slash_form),
		cmocka_unit_test(test_from_ymd_rejects),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_conversion_exhaustive),
		cmocka_unit_test(test_conversion_full_range),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_respects_len),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_add_months_contract),
		cmocka_unit_test(test_add_months_negative),
		cmocka_unit_test(test_add_months_misc),
		cmocka_unit_test(test_add_months_range),
		cmocka_unit_test(test_add_years),
		cmocka_unit_test(test_add_months_exhaustive),
		cmocka_unit_test(test_days_between),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_in_calendar),
	};

	return cmocka_run_group_tests(tests, setup_walk, NULL);
}
