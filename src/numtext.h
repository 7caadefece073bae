/*
 * numtext — numbers as text, without printf: integers, and doubles as
 * "%.10g" writes them (the rule set's T.number), quickly for the short
 * decimals that records hold (12195.5, 0.75).
 *
 * Both write into a caller's buffer of NUMTEXT_MAX bytes, with no NUL, and
 * return the length.  Relies on nothing but libc.
 */
#ifndef VERDICT_NUMTEXT_H
#define VERDICT_NUMTEXT_H

#include <stddef.h>

#define NUMTEXT_MAX 32

/* u in decimal. */
size_t numtext_uint(char *buf, unsigned long long u);
/* v in decimal, a '-' before a negative one. */
size_t numtext_int(char *buf, long long v);
/* x as the shortest of snprintf(buf, NUMTEXT_MAX, "%.15g" / "%.16g" /
 * "%.17g", x) that strtod reads back as x, byte for byte. */
size_t numtext_g10(char *buf, double x);

#endif
