/* strbuf: appends of every length up to past the inline copy's 32 bytes,
 * at every offset, give exactly the bytes appended and a NUL after them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "strbuf.h"

static void test_add_every_length(void **state)
{
	(void)state;
	char src[128], want[256];
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (char)('A' + (i * 7) % 53);
	for (size_t before = 0; before < 40; before++) {
		for (size_t len = 0; len <= 80; len++) {
			for (size_t from = 0; from < 8; from++) {
				struct strbuf sb = STRBUF_INIT;
				memset(want, 0, sizeof want);
				for (size_t i = 0; i < before; i++) {
					strbuf_addch(&sb, 'a' + (int)(i % 26));
					want[i] = (char)('a' + i % 26);
				}
				strbuf_add(&sb, src + from, len);
				memcpy(want + before, src + from, len);
				assert_int_equal(sb.len, before + len);
				assert_memory_equal(sb.buf, want, before + len);
				assert_int_equal(sb.buf[sb.len], '\0');
				strbuf_release(&sb);
			}
		}
	}
}

/* A buffer filled by many short appends, growing as it goes. */
static void test_many_short_appends(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	char want[20000];
	size_t n = 0;
	for (size_t k = 0; n + 40 < sizeof want; k++) {
		char piece[40];
		size_t len = k % 37;
		for (size_t i = 0; i < len; i++)
			piece[i] = (char)('0' + (k + i) % 10);
		strbuf_add(&sb, piece, len);
		memcpy(want + n, piece, len);
		n += len;
	}
	assert_int_equal(sb.len, n);
	assert_memory_equal(sb.buf, want, n);
	assert_int_equal(sb.buf[n], '\0');
	strbuf_release(&sb);
}

/* A borrowed buffer takes the bytes while they fit, then lets go of them
 * to memory of the strbuf's own, the borrowed memory untouched after. */
static void test_borrow(void **state)
{
	(void)state;
	char mem[24];
	memset(mem, 'x', sizeof mem);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "owned before");   /* freed by the borrow */
	strbuf_borrow(&sb, mem, 16);
	assert_true(sb.borrowed);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_add(&sb, "0123456789", 10);
	assert_ptr_equal(sb.buf, mem);
	assert_string_equal(mem, "0123456789");
	strbuf_add(&sb, "abcde", 5);              /* 15 bytes and the NUL: still fits */
	assert_ptr_equal(sb.buf, mem);
	strbuf_reset(&sb);
	assert_true(sb.borrowed);
	strbuf_add(&sb, "0123456789abcde", 15);
	strbuf_add(&sb, "!", 1);                  /* 16 and the NUL: outgrown */
	assert_false(sb.borrowed);
	assert_ptr_not_equal(sb.buf, mem);
	assert_string_equal(sb.buf, "0123456789abcde!");
	memset(mem, 'y', 16);                     /* no longer its memory */
	strbuf_add(&sb, "?", 1);
	assert_string_equal(sb.buf, "0123456789abcde!?");
	assert_int_equal(mem[16], 'x');           /* never written past size */
	strbuf_release(&sb);                      /* frees its own, not mem */
	assert_false(sb.borrowed);
	strbuf_borrow(&sb, mem, 1);               /* room for the NUL only */
	strbuf_add(&sb, "z", 1);
	assert_false(sb.borrowed);
	assert_string_equal(sb.buf, "z");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_every_length),
		cmocka_unit_test(test_many_short_appends),
		cmocka_unit_test(test_borrow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
