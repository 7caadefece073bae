/*
 * test_json — JSON string quoting and UTF-8 repair.
 *
 * Besides the fixed cases, random and exhaustive inputs are compared with a
 * reference written here from a different angle: a byte sequence is
 * accepted as far as some completion of it could still encode a scalar
 * value in the range its length allows (Unicode 3.9, "maximal subpart").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"
#include "utf8_simd.h"
#include "strbuf.h"

#define FFFD "\xef\xbf\xbd"

/* ---- helpers ----------------------------------------------------------- */

/* Quote n bytes of s (from an exact-length heap copy) and compare with the
 * want bytes, quotes included. */
static void check_quote_n(const char *s, size_t n, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	char *copy = malloc(n ? n : 1);

	assert_non_null(copy);
	memcpy(copy, s, n);
	json_quote(&sb, copy, n);
	if (sb.len != strlen(want) || memcmp(sb.buf, want, sb.len) != 0)
		fail_msg("got %s, want %s", sb.buf, want);
	assert_int_equal(sb.buf[sb.len], '\0');
	free(copy);
	strbuf_release(&sb);
}

static void check_quote(const char *s, const char *want)
{
	check_quote_n(s, strlen(s), want);
}

/* ---- the reference ------------------------------------------------------ */

/* Length announced by a lead byte's high bits, 0 for a continuation byte
 * or 0xF8..0xFF. */
static size_t ref_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 0;
}

/* Can the n bytes at p (n <= their announced length L) be completed to a
 * well-formed L-byte sequence?  The bytes fix the top bits of the code
 * point; the missing continuation bytes leave [lo, hi] open. */
static bool ref_completable(const unsigned char *p, size_t n)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	static const uint32_t max[5] = { 0, 0x7F, 0x7FF, 0xFFFF, 0x10FFFF };
	size_t len = ref_length(p[0]);
	uint32_t lo, hi;

	if (len < 2)
		return len == 1 && n == 1;
	lo = p[0] & (0x7F >> len);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return false;
		lo = lo << 6 | (p[i] & 0x3F);
	}
	hi = lo;
	for (size_t i = n; i < len; i++) {
		lo = lo << 6;
		hi = hi << 6 | 0x3F;
	}
	if (lo < min[len])
		lo = min[len];
	if (hi > max[len])
		hi = max[len];
	/* Non-empty, and not wholly inside the surrogates D800..DFFF. */
	return lo <= hi && !(lo >= 0xD800 && hi <= 0xDFFF);
}

/* Well-formed length at p (0 if none) and the maximal subpart in *bad. */
static size_t ref_sequence(const unsigned char *p, size_t avail, size_t *bad)
{
	size_t len = ref_length(p[0]), n = 0;

	while (n < len && n < avail && ref_completable(p, n + 1))
		n++;
	*bad = n > 0 ? n : 1;
	return n == len && len > 0 ? len : 0;
}

static void ref_control(struct strbuf *sb, unsigned char c)
{
	switch (c) {
	case '\n': strbuf_addstr(sb, "\\n"); break;
	case '\r': strbuf_addstr(sb, "\\r"); break;
	case '\t': strbuf_addstr(sb, "\\t"); break;
	case '\b': strbuf_addstr(sb, "\\b"); break;
	case '\f': strbuf_addstr(sb, "\\f"); break;
	default: strbuf_addf(sb, "\\u%04x", c);
	}
}

static void ref_quote(struct strbuf *sb, const unsigned char *p, size_t len)
{
	strbuf_addch(sb, '"');
	for (size_t i = 0; i < len;) {
		size_t bad, n = ref_sequence(p + i, len - i, &bad);

		if (n == 0) {
			strbuf_addstr(sb, FFFD);
			i += bad;
		} else if (p[i] == '"' || p[i] == '\\') {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, p[i++]);
		} else if (p[i] < 0x20 || p[i] == 0x7F) {
			ref_control(sb, p[i++]);
		} else {
			strbuf_add(sb, p + i, n);
			i += n;
		}
	}
	strbuf_addch(sb, '"');
}

static size_t ref_valid_prefix(const unsigned char *p, size_t len)
{
	size_t i = 0, bad, n;

	while (i < len && (n = ref_sequence(p + i, len - i, &bad)) > 0)
		i += n;
	return i;
}

/* json_quote and utf8_valid_prefix against the reference for one input. */
static void check_against_reference(const unsigned char *p, size_t len)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, p, len);
	json_quote(&got, copy, len);
	ref_quote(&want, p, len);
	if (got.len != want.len || memcmp(got.buf, want.buf, got.len) != 0) {
		char hex[3 * 64 + 1] = "";

		for (size_t i = 0; i < len && i < 64; i++)
			snprintf(hex + 3 * i, 4, "%02x ", p[i]);
		fail_msg("input %s: got %s, want %s", hex, got.buf, want.buf);
	}
	assert_int_equal(utf8_valid_prefix(copy, len), ref_valid_prefix(p, len));
	/* utf8_replace_invalid gives valid UTF-8 that json_quote writes as it
	 * writes the input (the id in csv and in jsonl alike) */
	struct strbuf clean = STRBUF_INIT, again = STRBUF_INIT;
	utf8_replace_invalid(&clean, copy, len);
	assert_int_equal(utf8_valid_prefix(clean.buf, clean.len), clean.len);
	json_quote(&again, clean.buf, clean.len);
	assert_int_equal(again.len, got.len);
	assert_memory_equal(again.buf, got.buf, got.len);
	strbuf_release(&clean);
	strbuf_release(&again);
	/* The SIMD check itself (utf8_valid_prefix would hide a "no" where
	 * "yes" is right: it then looks byte by byte). */
	int simd = utf8_simd_all_valid(copy, len);
	if (simd >= 0)
		assert_int_equal(simd, ref_valid_prefix(p, len) == len);
	free(copy);
	strbuf_release(&got);
	strbuf_release(&want);
}

/* ---- escaping --------------------------------------------------------------- */

static void test_plain(void **state)
{
	(void)state;
	check_quote("", "\"\"");
	check_quote("abc", "\"abc\"");
	check_quote("a b/c'd~", "\"a b/c'd~\"");
}

static void test_escapes(void **state)
{
	(void)state;
	check_quote("\"", "\"\\\"\"");
	check_quote("\\", "\"\\\\\"");
	check_quote("a\"b\\c", "\"a\\\"b\\\\c\"");
	check_quote("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	check_quote("\x01\x1f", "\"\\u0001\\u001f\"");
	check_quote("\x0b\x1b", "\"\\u000b\\u001b\"");
	check_quote("\x7f", "\"\\u007f\"");
	check_quote("x\x7fy", "\"x\\u007fy\"");
	check_quote_n("a\0b", 3, "\"a\\u0000b\"");
	check_quote_n("\0", 1, "\"\\u0000\"");
}

static void test_every_ascii_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 0x80; c++) {
		char in = (char)c, want[16];

		if (c == '"' || c == '\\')
			snprintf(want, sizeof want, "\"\\%c\"", c);
		else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f')
			snprintf(want, sizeof want, "\"\\%c\"",
				 c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' :
				 c == '\b' ? 'b' : 'f');
		else if (c < 0x20 || c == 0x7f)
			snprintf(want, sizeof want, "\"\\u%04x\"", c);
		else
			snprintf(want, sizeof want, "\"%c\"", c);
		check_quote_n(&in, 1, want);
	}
}

/* ---- UTF-8 ---------------------------------------------------------------- */

static void test_valid_utf8_unchanged(void **state)
{
	(void)state;
	check_quote("\xe4\xb8\xad\xe6\x96\x87", "\"\xe4\xb8\xad\xe6\x96\x87\"");
	check_quote("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	check_quote("\xc2\x80\xdf\xbf", "\"\xc2\x80\xdf\xbf\"");
	check_quote("\xe0\xa0\x80\xef\xbf\xbf", "\"\xe0\xa0\x80\xef\xbf\xbf\"");
	check_quote("\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\"");
	check_quote("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
		    "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
	check_quote("\xef\xbb\xbf" "a", "\"\xef\xbb\xbf" "a\"");
	check_quote("\xe2\x80\xa8", "\"\xe2\x80\xa8\"");
	check_quote("\xe7\x94\xb3\"\xe6\x8a\xa5\n",
		    "\"\xe7\x94\xb3\\\"\xe6\x8a\xa5\\n\"");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	check_quote("\x80", "\"" FFFD "\"");
	check_quote("\xbf\x80", "\"" FFFD FFFD "\"");
	check_quote("\xc0\xaf", "\"" FFFD FFFD "\"");
	check_quote("\xc1\xbf", "\"" FFFD FFFD "\"");
	check_quote("\xe0\x80\x80", "\"" FFFD FFFD FFFD "\"");
	check_quote("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"");
	check_quote("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\"");
	check_quote("\xf0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	check_quote("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	check_quote("\xf5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	check_quote("\xff", "\"" FFFD "\"");
	check_quote("\xfe\xff", "\"" FFFD FFFD "\"");
	check_quote("\xc2", "\"" FFFD "\"");
	check_quote("\xe4\xb8", "\"" FFFD "\"");
	check_quote("\xf0\x9f\x98", "\"" FFFD "\"");
	check_quote("a\xe4\xb8", "\"a" FFFD "\"");
	check_quote("\xe4\xb8" "a", "\"" FFFD "a\"");
	check_quote("\xe4\xb8\xe4\xb8\xad", "\"" FFFD "\xe4\xb8\xad\"");
	check_quote("\xe4\"", "\"" FFFD "\\\"\"");
	check_quote("\xff\n", "\"" FFFD "\\n\"");
	check_quote("\xf8\x88\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD FFFD "\"");
	/* Unicode 15, table 3-8. */
	check_quote("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64",
		    "\"a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d\"");
}

static void test_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "{\"k\":");
	json_quote(&sb, "v\xff", 2);
	strbuf_addch(&sb, '}');
	assert_string_equal(sb.buf, "{\"k\":\"v" FFFD "\"}");
	strbuf_release(&sb);
}

static void test_valid_prefix(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid_prefix("", 0), 0);
	assert_int_equal(utf8_valid_prefix("abc", 3), 3);
	assert_int_equal(utf8_valid_prefix("a\0b", 3), 3);
	assert_int_equal(utf8_valid_prefix("\xe4\xb8\xad\xf0\x9f\x98\x80", 7), 7);
	assert_int_equal(utf8_valid_prefix("ab\x80", 3), 2);
	assert_int_equal(utf8_valid_prefix("ab\xe4\xb8", 4), 2);
	assert_int_equal(utf8_valid_prefix("\xe4\xb8\xad\xe4\xb8\xad", 5), 3);
	assert_int_equal(utf8_valid_prefix("a\xc0\xaf" "b", 4), 1);
	assert_int_equal(utf8_valid_prefix("\xed\xa0\x80", 3), 0);
	assert_int_equal(utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(utf8_valid_prefix("x\xff", 2), 1);
}

/* Every scalar value, encoded here, is valid and (above ASCII) passes
 * through json_quote unchanged; every surrogate is three U+FFFD. */
static void test_every_code_point(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (uint32_t cp = 0x80; cp <= 0x10FFFF; cp++) {
		unsigned char b[4];
		size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
		uint32_t rest = cp;

		/* Continuation bytes from the end, six bits each. */
		for (size_t i = n - 1; i > 0; i--, rest >>= 6)
			b[i] = (unsigned char)(0x80 | (rest & 0x3F));
		/* Lead byte: the top n bits set (110, 1110, 11110). */
		b[0] = (unsigned char)((0xF00 >> n) | rest);
		assert_int_equal(utf8_valid_prefix((char *)b, n), surrogate ? 0 : n);
		strbuf_reset(&sb);
		json_quote(&sb, (char *)b, n);
		if (surrogate)
			assert_int_equal(sb.len, 2 + 9);
		else
			assert_true(sb.len == n + 2 && memcmp(sb.buf + 1, b, n) == 0);
	}
	strbuf_release(&sb);
}

/* All one- and two-byte inputs against the reference. */
static void test_all_short_inputs(void **state)
{
	(void)state;
	for (int a = 0; a < 256; a++) {
		unsigned char p[2] = { (unsigned char)a, 0 };

		check_against_reference(p, 1);
		for (int b = 0; b < 256; b++) {
			p[1] = (unsigned char)b;
			check_against_reference(p, 2);
		}
	}
}

/* Random inputs from bytes near every boundary of the table. */
static void test_random_inputs(void **state)
{
	static const unsigned char pick[] = {
		0x00, 0x0a, 0x1f, 0x20, '"', '\\', 'a', 0x7e, 0x7f,
		0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
		0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4,
		0xf5, 0xf7, 0xf8, 0xfe, 0xff,
	};
	uint32_t seed = 88172645u;

	(void)state;
	for (int round = 0; round < 200000; round++) {
		unsigned char p[12];
		size_t len;

		/* xorshift32: deterministic, so failures reproduce. */
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		len = seed % (sizeof p + 1);
		for (size_t i = 0; i < len; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			p[i] = pick[seed % sizeof pick];
		}
		check_against_reference(p, len);
	}
}

/* The fast paths (eight ASCII bytes at a time, three-byte characters)
 * hand over to the byte-by-byte check at every offset: a bad or cut
 * sequence right after 0..17 ASCII bytes, or after 0..5 CJK characters,
 * then more bytes behind it. */
static void test_fast_path_edges(void **state)
{
	static const char *bad[] = {
		"\x80", "\xc0\xaf", "\xc2", "\xe4\xb8", "\xe4", "\xe0\x80\x80",
		"\xed\xa0\x80", "\xef\xbf", "\xf0\x9f\x98", "\xf4\x90\x80\x80",
		"\xf5", "\xff", "\xe4\x41\x80", "\xe4\xb8\x41",
	};
	static const char *tails[] = { "", "a", "abcdefghij", "\xe4\xb8\xad" };
	unsigned char p[64];

	(void)state;
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
			for (size_t off = 0; off <= 17; off++) {
				size_t b = strlen(bad[k]), tl = strlen(tails[t]);

				memset(p, 'x', off);
				memcpy(p + off, bad[k], b);
				memcpy(p + off + b, tails[t], tl);
				check_against_reference(p, off + b + tl);
				assert_int_equal(utf8_valid_prefix((char *)p, off + b + tl), off);
				/* The same behind CJK characters. */
				if (off % 3 == 0 && off <= 15) {
					for (size_t i = 0; i < off; i += 3)
						memcpy(p + i, "\xe4\xb8\xad", 3);
					check_against_reference(p, off + b + tl);
					assert_int_equal(utf8_valid_prefix((char *)p, off + b + tl), off);
				}
			}
		}
	}
}

/* A valid character of every kind right after 0..17 ASCII bytes, then
 * 0..9 more ASCII bytes and a bad one: the run of ASCII ends inside its
 * word at every position, and the prefix reaches the bad byte. */
static void test_char_after_ascii(void **state)
{
	static const char *chars[] = {
		"\xc3\xa9", "\xe4\xb8\xad", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xef\xbf\xbd",
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad",
	};
	unsigned char p[64];

	(void)state;
	for (size_t c = 0; c < sizeof chars / sizeof chars[0]; c++) {
		size_t n = strlen(chars[c]);

		for (size_t off = 0; off <= 17; off++) {
			for (size_t more = 0; more <= 9; more++) {
				memset(p, 'a', off);
				memcpy(p + off, chars[c], n);
				memset(p + off + n, 'b', more);
				p[off + n + more] = 0xFF;
				check_against_reference(p, off + n + more + 1);
				assert_int_equal(utf8_valid_prefix((char *)p, off + n + more + 1),
						 off + n + more);
				assert_int_equal(utf8_valid_prefix((char *)p, off + n + more),
						 off + n + more);
			}
		}
	}
}

/* Longer random inputs, mostly runs of ASCII with characters among them. */
static void test_random_runs(void **state)
{
	static const char *atoms[] = {
		"\"", "\\", "\n", "\x1f", " ",
		"a", "abcdefgh", "0123456789abcdef", "\x7f", "\xc3\xa9", "\xe4\xb8\xad",
		"\xe3\x80\x80", "\xef\xbf\xbd", "\xed\x9f\xbf", "\xe0\xa0\x80",
		"\xf0\x9f\x98\x80", "\x80", "\xe4\xb8", "\xed\xa0\x80", "\xc1", "\xf8",
	};
	uint32_t seed = 2463534242u;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		unsigned char p[96];
		size_t len = 0;

		for (;;) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			size_t k = seed % (sizeof atoms / sizeof atoms[0]);
			size_t n = strlen(atoms[k]);

			if (len + n > sizeof p || seed % 23 == 0)
				break;
			/* Invalid atoms (from 16 on) are rarer, so that long
			 * valid runs occur. */
			if (k >= 16 && (seed >> 8) % 4 != 0)
				continue;
			memcpy(p + len, atoms[k], n);
			len += n;
		}
		check_against_reference(p, len);
	}
}

/* Long inputs (the SIMD check, from 64 bytes on): runs of every kind of
 * character with, now and then, one bad or cut sequence of every kind, at
 * every distance from the ends of the 16-byte blocks. */
static void test_long_runs(void **state)
{
	static const char *good[] = {
		"a", "abcdefghijklmnop", " ,", "\x7f", "\xc2\x80", "\xdf\xbf", "\xe4\xb8\xad",
		"\xe0\xa0\x80", "\xef\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf", "\xf3\xbf\xbf\xbf",
	};
	static const char *bad[] = {
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8", "\xff", "\xc2", "\xe4\xb8",
		"\xf0\x90\x80", "\xc2\xc2", "\xe4\x41", "\xe4\xb8\x41",
	};
	uint32_t seed = 1234567u;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		unsigned char p[400];
		size_t len = 0, target;

		seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
		target = 64 + seed % 300;
		while (len < target) {
			seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
			const char *atom = seed % 97 == 0 ? bad[(seed >> 8) % (sizeof bad / sizeof bad[0])]
							  : good[(seed >> 8) % (sizeof good / sizeof good[0])];
			size_t n = strlen(atom);
			if (len + n > sizeof p)
				break;
			memcpy(p + len, atom, n);
			len += n;
		}
		check_against_reference(p, len);
	}
}

/* ---- strbuf, json's output buffer ---------------------------------------- */

static void test_strbuf_empty(void **state)
{
	struct strbuf a = STRBUF_INIT, b;

	(void)state;
	strbuf_init(&b);
	assert_string_equal(a.buf, "");
	assert_string_equal(b.buf, "");
	assert_int_equal(a.len, 0);
	strbuf_reset(&a);
	assert_string_equal(a.buf, "");
	strbuf_release(&a);
	strbuf_release(&b);
	assert_string_equal(a.buf, "");
	strbuf_add(&a, "x", 0);
	assert_string_equal(a.buf, "");
	strbuf_release(&a);
}

static void test_strbuf_append(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *kept;

	(void)state;
	strbuf_addstr(&sb, "ab");
	strbuf_addch(&sb, 'c');
	strbuf_add(&sb, "d\0e", 3);
	strbuf_addf(&sb, "[%d:%s]", 42, "x");
	assert_int_equal(sb.len, 12);
	assert_memory_equal(sb.buf, "abcd\0e[42:x]", 13);
	strbuf_addch(&sb, 0xE4);
	assert_int_equal((unsigned char)sb.buf[12], 0xE4);
	/* reset keeps the allocation */
	kept = sb.buf;
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_ptr_equal(sb.buf, kept);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
}

static void test_strbuf_grow(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char chunk[1000];

	(void)state;
	memset(chunk, 'z', sizeof chunk);
	for (int i = 0; i < 1000; i++) {
		strbuf_add(&sb, chunk, (size_t)i);
		strbuf_addf(&sb, "%s%05d", "", i);
	}
	assert_int_equal(sb.len, 999 * 1000 / 2 + 5 * 1000);
	assert_true(sb.cap > sb.len);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_memory_equal(sb.buf + sb.len - 5, "00999", 5);
	strbuf_grow(&sb, 100000);
	assert_true(sb.cap >= sb.len + 100001);
	strbuf_release(&sb);
	/* a long formatted string in one go */
	strbuf_addf(&sb, "%5000d|", 7);
	assert_int_equal(sb.len, 5001);
	assert_memory_equal(sb.buf + 4999, "7|", 3);
	strbuf_release(&sb);
}

/* The inline appends grow exactly when the bytes and the NUL would not
 * fit: every length from every fill level of a buffer, checked against
 * a plain copy (ASan catches a write past cap); and a zeroed strbuf. */
static void test_strbuf_fast_paths(void **state)
{
	char want[200];

	(void)state;
	for (size_t fill = 0; fill < 40; fill++) {
		for (size_t len = 0; len < 40; len++) {
			struct strbuf sb = STRBUF_INIT;

			for (size_t i = 0; i < fill; i++)
				strbuf_addch(&sb, (int)('a' + i % 26));
			strbuf_add(&sb, "0123456789012345678901234567890123456789", len);
			strbuf_addch(&sb, '!');
			for (size_t i = 0; i < fill; i++)
				want[i] = (char)('a' + i % 26);
			memcpy(want + fill, "0123456789012345678901234567890123456789", len);
			want[fill + len] = '!';
			assert_int_equal(sb.len, fill + len + 1);
			assert_true(sb.cap > sb.len);
			assert_memory_equal(sb.buf, want, sb.len);
			assert_int_equal(sb.buf[sb.len], '\0');
			strbuf_release(&sb);
		}
	}
	struct strbuf z;

	memset(&z, 0, sizeof z);
	strbuf_add(&z, "", 0);
	assert_int_equal(z.cap, 0);
	strbuf_addch(&z, 'q');
	assert_string_equal(z.buf, "q");
	strbuf_release(&z);
	memset(&z, 0, sizeof z);
	strbuf_add(&z, "xy", 2);
	assert_string_equal(z.buf, "xy");
	strbuf_release(&z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_every_ascii_byte),
		cmocka_unit_test(test_valid_utf8_unchanged),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_valid_prefix),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_all_short_inputs),
		cmocka_unit_test(test_random_inputs),
		cmocka_unit_test(test_fast_path_edges),
		cmocka_unit_test(test_random_runs),
		cmocka_unit_test(test_long_runs),
		cmocka_unit_test(test_char_after_ascii),
		cmocka_unit_test(test_strbuf_empty),
		cmocka_unit_test(test_strbuf_append),
		cmocka_unit_test(test_strbuf_grow),
		cmocka_unit_test(test_strbuf_fast_paths),
	};

	/* The long-input tests once for each SIMD path this CPU has: AVX2,
	 * SSSE3, none. */
	const struct CMUnitTest simd_tests[] = {
		cmocka_unit_test(test_valid_prefix),
		cmocka_unit_test(test_fast_path_edges),
		cmocka_unit_test(test_long_runs),
		cmocka_unit_test(test_char_after_ascii),
		cmocka_unit_test(test_every_code_point),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	for (int level = utf8_simd_use(2) - 1; level >= 0; level--) {
		utf8_simd_use(level);
		failed += _cmocka_run_group_tests(level ? "json (SSSE3)" : "json (no SIMD)", simd_tests,
						  sizeof simd_tests / sizeof simd_tests[0], NULL, NULL);
	}
	return failed;
}
