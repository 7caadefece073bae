/*
 * jsonscan — reading top-level members of one JSON object (a JSON Lines
 * record), enough for `verdict audit` to read back verdict's own output.
 * Nested values are skipped, strings are unescaped (\uXXXX included).
 * No allocation beyond the strbuf the caller owns.
 */
#ifndef VERDICT_JSONSCAN_H
#define VERDICT_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include "strbuf.h"

/* The string member `key` of the object in s[0..len): true and its value
 * in out, false when absent, null or not a string. */
bool jsonscan_string(const char *s, size_t len, const char *key, struct strbuf *out);

/* The number member `key`: true and *out, false when absent or not a number. */
bool jsonscan_number(const char *s, size_t len, const char *key, double *out);

#endif
