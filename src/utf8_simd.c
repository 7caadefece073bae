/*
 * utf8_simd — whether a whole buffer is valid UTF-8, sixteen bytes a step
 * (SSSE3) or thirty-two (AVX2, where the CPU has it: half the
 * instructions for the check of a whole input file).
 *
 * The lookup algorithm of Keiser and Lemire ("Validating UTF-8 in less
 * than one instruction per byte", 2021), with SSSE3's byte shuffle as the
 * table lookup: each byte and the one before it index three 16-entry
 * tables whose bits name the errors that pair could be (too short, too
 * long, overlong, surrogate, too large, two continuations); their AND is
 * non-zero only where one of them is; a continuation byte expected two or
 * three bytes after a lead is checked apart.  A buffer that ends inside a
 * character is invalid.
 *
 * It only says yes or no: json.c's utf8_valid_prefix asks it first for a
 * long buffer (the UTF-8 check of a whole input file, 4 MiB at a time)
 * and finds the exact place of a bad byte itself.  On a CPU without SSSE3
 * (checked once) it says "not known" and the byte-by-byte check runs.
 * The AVX2 code is the SSSE3 code with each 16-byte table twice and the
 * byte shifts (alignr) taken across the two 16-byte halves.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "cpu_level.h"
#include "utf8_simd.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TOO_SHORT   (1 << 0)
#define TOO_LONG    (1 << 1)
#define OVERLONG_3  (1 << 2)
#define TOO_LARGE   (1 << 3)
#define SURROGATE   (1 << 4)
#define OVERLONG_2  (1 << 5)
#define TOO_LARGE_1000 (1 << 6)
#define OVERLONG_4  (1 << 6)
#define TWO_CONTS   (1 << 7)
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

/* The three tables, by the nibble that indexes them: each bit an error
 * the pair could be. */
#define BYTE_1_HIGH \
	TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, \
	TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS, \
	TOO_SHORT | OVERLONG_2, \
	TOO_SHORT, \
	TOO_SHORT | OVERLONG_3 | SURROGATE, \
	(char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4)
#define BYTE_1_LOW \
	(char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), \
	(char)(CARRY | OVERLONG_2), \
	(char)CARRY, (char)CARRY, \
	(char)(CARRY | TOO_LARGE), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000), \
	(char)(CARRY | TOO_LARGE | TOO_LARGE_1000)
#define BYTE_2_HIGH \
	TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, \
	(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4), \
	(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE), \
	(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE), \
	(char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE), \
	TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT

__attribute__((target("ssse3")))
static __m128i high_nibbles(__m128i v)
{
	return _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0F));
}

/* The errors of block `in`, whose 16 bytes before are `prev`. */
__attribute__((target("ssse3")))
static __m128i block_errors(__m128i in, __m128i prev)
{
		const __m128i byte_1_high_tbl = _mm_setr_epi8(BYTE_1_HIGH);
		const __m128i byte_1_low_tbl = _mm_setr_epi8(BYTE_1_LOW);
		const __m128i byte_2_high_tbl = _mm_setr_epi8(BYTE_2_HIGH);

	__m128i prev1 = _mm_alignr_epi8(in, prev, 15);
	__m128i b1h = _mm_shuffle_epi8(byte_1_high_tbl, high_nibbles(prev1));
	__m128i b1l = _mm_shuffle_epi8(byte_1_low_tbl, _mm_and_si128(prev1, _mm_set1_epi8(0x0F)));
	__m128i b2h = _mm_shuffle_epi8(byte_2_high_tbl, high_nibbles(in));
	__m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);

	/* Two or three bytes after a three- or four-byte lead: a continuation
	 * is required (bit 7 set here), and there special has TWO_CONTS. */
	__m128i prev2 = _mm_alignr_epi8(in, prev, 14);
	__m128i prev3 = _mm_alignr_epi8(in, prev, 13);
	__m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
	__m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
	__m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
	return _mm_xor_si128(must23, special);
}

__attribute__((target("ssse3")))
static bool all_valid_ssse3(const unsigned char *s, size_t len)
{
	__m128i prev = _mm_setzero_si128(), err = _mm_setzero_si128();
	size_t i = 0;
	for (; i + 16 <= len; i += 16) {
		__m128i in = _mm_loadu_si128((const __m128i *)(s + i));
		if (_mm_movemask_epi8(_mm_or_si128(in, prev)) == 0) {
			prev = in;   /* ASCII after ASCII: nothing to check */
			continue;
		}
		err = _mm_or_si128(err, block_errors(in, prev));
		prev = in;
	}
	/* The rest, padded with zeros (ASCII): a character cut by the end of
	 * the buffer is then "too short", as it should be. */
	unsigned char tail[16] = { 0 };
	memcpy(tail, s + i, len - i);
	__m128i in = _mm_loadu_si128((const __m128i *)tail);
	err = _mm_or_si128(err, block_errors(in, prev));
	/* A lead in the last bytes of that block: zeros after it. */
	err = _mm_or_si128(err, block_errors(_mm_setzero_si128(), in));
	return _mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) == 0xFFFF;
}

/* ---- The same with AVX2, thirty-two bytes a step ---- */

/* Each 16-byte table twice: AVX2's shuffle looks up within each half. */
#define TWICE(t) _mm256_broadcastsi128_si256(t)

__attribute__((target("avx2")))
static __m256i high_nibbles_avx2(__m256i v)
{
	return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

/* The bytes of in shifted by k (1..3) toward the end, the last k of prev
 * coming in first: _mm_alignr_epi8 across the two halves. */
#define BEFORE(in, prev, k) \
	_mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (k))

__attribute__((target("avx2")))
static __m256i block_errors_avx2(__m256i in, __m256i prev)
{
		const __m256i byte_1_high_tbl = TWICE(_mm_setr_epi8(BYTE_1_HIGH));
		const __m256i byte_1_low_tbl = TWICE(_mm_setr_epi8(BYTE_1_LOW));
		const __m256i byte_2_high_tbl = TWICE(_mm_setr_epi8(BYTE_2_HIGH));

	__m256i prev1 = BEFORE(in, prev, 1);
	__m256i b1h = _mm256_shuffle_epi8(byte_1_high_tbl, high_nibbles_avx2(prev1));
	__m256i b1l = _mm256_shuffle_epi8(byte_1_low_tbl, _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)));
	__m256i b2h = _mm256_shuffle_epi8(byte_2_high_tbl, high_nibbles_avx2(in));
	__m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);

	__m256i prev2 = BEFORE(in, prev, 2);
	__m256i prev3 = BEFORE(in, prev, 3);
	__m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
	__m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
	__m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
	return _mm256_xor_si256(must23, special);
}

__attribute__((target("avx2")))
static bool all_valid_avx2(const unsigned char *s, size_t len)
{
	__m256i prev = _mm256_setzero_si256(), err = _mm256_setzero_si256();
	size_t i = 0;
	for (; i + 32 <= len; i += 32) {
		__m256i in = _mm256_loadu_si256((const __m256i *)(s + i));
		if (_mm256_movemask_epi8(_mm256_or_si256(in, prev)) == 0) {
			prev = in;   /* ASCII after ASCII: nothing to check */
			continue;
		}
		err = _mm256_or_si256(err, block_errors_avx2(in, prev));
		prev = in;
	}
	unsigned char tail[32] = { 0 };
	memcpy(tail, s + i, len - i);
	__m256i in = _mm256_loadu_si256((const __m256i *)tail);
	err = _mm256_or_si256(err, block_errors_avx2(in, prev));
	err = _mm256_or_si256(err, block_errors_avx2(_mm256_setzero_si256(), in));
	return _mm256_testz_si256(err, err);
}

/* What this CPU has: 2 AVX2, 1 SSSE3, 0 neither. */
static int detect(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") ? 2 : __builtin_cpu_supports("ssse3") ? 1 : 0;
}

static struct cpu_level level = CPU_LEVEL_INIT;

int utf8_simd_use(int most)
{
	return cpu_level_cap(&level, detect, most);
}

int utf8_simd_all_valid(const char *s, size_t len)
{
	switch (cpu_level_get(&level, detect)) {
	case 2: return all_valid_avx2((const unsigned char *)s, len) ? 1 : 0;
	case 1: return all_valid_ssse3((const unsigned char *)s, len) ? 1 : 0;
	default: return -1;
	}
}

#else

int utf8_simd_all_valid(const char *s, size_t len)
{
	(void)s;
	(void)len;
	return -1;
}

int utf8_simd_use(int most)
{
	(void)most;
	return 0;
}

#endif
