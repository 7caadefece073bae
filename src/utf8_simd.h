/*
 * utf8_simd — whether a whole buffer is valid UTF-8, with SIMD (SSSE3).
 */
#ifndef VERDICT_UTF8_SIMD_H
#define VERDICT_UTF8_SIMD_H

#include <stddef.h>

/* 1: every byte of s[0..len) is valid UTF-8 (no character cut at the
 * end); 0: not; -1: not known here (no SSSE3): check byte by byte. */
int utf8_simd_all_valid(const char *s, size_t len);

#endif
