/*
 * date — calendar dates as day numbers, and the period arithmetic of
 * contract 5.5 (PRC Civil Code arts. 201-202).
 *
 * A date is an int32 day number: days since 1970-01-01 in the proleptic
 * Gregorian calendar (negative before).  Valid years are 1..9999; every
 * function that could leave that range says so by returning false.
 * Relies on nothing but libc.  No allocation; callers own every buffer.
 */
#ifndef VERDICT_DATE_H
#define VERDICT_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t date_t;

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999
#define DATE_TEXT_MAX 11 /* "YYYY-MM-DD" plus NUL */

/* True and *out set when y-m-d is a real day (2023-02-29 is not). */
bool date_from_ymd(int y, int m, int d, date_t *out);
void date_to_ymd(date_t day, int *y, int *m, int *d);

/* Parse one of the accepted forms, nothing else, no surrounding space:
 * 2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日 (month and day with one or
 * two digits, year with four).  False for anything else or a day that does
 * not exist. */
bool date_parse(const char *s, size_t len, date_t *out);

/* Whether day number d is one of 0001-01-01 .. 9999-12-31 (a date
 * date_format writes). */
bool date_in_calendar(long long d);

/* Write "YYYY-MM-DD" and a NUL into buf; returns 10. */
int date_format(date_t day, char buf[DATE_TEXT_MAX]);

/* Contract 5.5: the same day number in the target month, or that month's
 * last day where it has no such day.  months may be negative.  False when
 * the result would leave years 1..9999. */
bool date_add_months(date_t day, int months, date_t *out);
bool date_add_years(date_t day, int years, date_t *out);

/* to - from, in days. */
int32_t date_days_between(date_t from, date_t to);

/* Today in local time. */
date_t date_today(void);

#endif
