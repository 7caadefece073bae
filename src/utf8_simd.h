/*
 * utf8_simd — whether a whole buffer is valid UTF-8, with SIMD (AVX2 or SSSE3).
 */
#ifndef VERDICT_UTF8_SIMD_H
#define VERDICT_UTF8_SIMD_H

#include <stddef.h>

/* 1: every byte of s[0..len) is valid UTF-8 (no character cut at the
 * end); 0: not; -1: not known here (no SSSE3): check byte by byte. */
int utf8_simd_all_valid(const char *s, size_t len);

/* Use at most this level from now on: 2 AVX2, 1 SSSE3, 0 none (tests
 * run every path this way); returns the level in use. */
int utf8_simd_use(int most);

#endif
