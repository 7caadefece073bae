/*
 * test_lookback — a stream's latest bytes kept to be read again: every
 * byte in order, again from any kept offset, nothing kept before what
 * was let go, and never more than the limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lookback.h"

static unsigned char byte_at(long long i)
{
	return (unsigned char)(i * 7 + i / 251);
}

/* A stream of n bytes, byte_at(i) the i-th (a temporary file read only
 * forward, as a pipe is). */
static FILE *stream_of(size_t n)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fputc(byte_at((long long)i), f), byte_at((long long)i));
	rewind(f);
	return f;
}

/* Read k bytes and check they are the stream's from `from`. */
static void read_check(struct lookback *lb, FILE *f, long long from, size_t k, size_t expect)
{
	unsigned char buf[512];
	assert_true(k <= sizeof buf);
	assert_int_equal(lookback_read(lb, f, buf, k), expect);
	for (size_t i = 0; i < expect; i++)
		assert_int_equal(buf[i], byte_at(from + (long long)i));
}

static void test_again_from_kept(void **state)
{
	(void)state;
	FILE *f = stream_of(1000);
	struct lookback lb;
	lookback_init(&lb, 300);
	read_check(&lb, f, 0, 100, 100);
	read_check(&lb, f, 100, 100, 100);
	/* back to 50: the kept bytes, then on into the stream */
	assert_true(lookback_seek(&lb, 50));
	read_check(&lb, f, 50, 200, 200);
	assert_int_equal(lb.pos, 250);
	/* let go of what is before 120: it cannot be read again */
	lookback_forget_before(&lb, 120);
	assert_int_equal(lookback_kept_from(&lb), 120);
	assert_false(lookback_seek(&lb, 119));
	assert_false(lookback_seek(&lb, 251));
	assert_true(lookback_seek(&lb, 120));
	/* forgetting while reading again keeps what is still to come */
	read_check(&lb, f, 120, 30, 30);
	lookback_forget_before(&lb, 140);
	read_check(&lb, f, 150, 200, 200);
	assert_true(lookback_seek(&lb, 140));
	read_check(&lb, f, 140, 10, 10);
	lookback_release(&lb);
	fclose(f);
}

static void test_limit(void **state)
{
	(void)state;
	FILE *f = stream_of(2000);
	struct lookback lb;
	lookback_init(&lb, 300);
	read_check(&lb, f, 0, 200, 200);
	read_check(&lb, f, 200, 200, 200);   /* 400 > 300: the first 200 let go */
	assert_int_equal(lookback_kept_from(&lb), 200);
	assert_false(lookback_seek(&lb, 0));
	assert_true(lookback_seek(&lb, 200));
	read_check(&lb, f, 200, 200, 200);
	assert_true(lb.cap <= 300);
	/* more than the limit at once: nothing kept */
	read_check(&lb, f, 400, 400, 400);
	assert_int_equal(lookback_kept_from(&lb), 800);
	assert_false(lookback_seek(&lb, 799));
	read_check(&lb, f, 800, 100, 100);
	assert_true(lookback_seek(&lb, 800));
	read_check(&lb, f, 800, 100, 100);
	lookback_release(&lb);
	fclose(f);
}

static void test_end(void **state)
{
	(void)state;
	FILE *f = stream_of(150);
	struct lookback lb;
	lookback_init(&lb, 1 << 20);
	read_check(&lb, f, 0, 100, 100);
	read_check(&lb, f, 100, 100, 50);     /* the end: a short read */
	assert_true(lookback_seek(&lb, 10));
	read_check(&lb, f, 10, 200, 140);     /* the kept bytes, then the end again */
	lookback_forget_before(&lb, 1000);    /* past the end: all let go */
	assert_int_equal(lookback_kept_from(&lb), 150);
	lookback_release(&lb);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_again_from_kept),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
