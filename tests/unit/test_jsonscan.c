/*
 * test_jsonscan — reading members of a JSON Lines record, and the strict
 * check that a line is one complete JSON object (what `verdict audit`
 * asks of each line of a past run before it reads anything from it).
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

#include "jsonscan.h"
#include "strbuf.h"

/* The members audit reads, which must not be given twice. */
static const char *const KEYS[] = { "row", "id", "verdict", "as_of", "rules_digest", NULL };

/* A record as `verdict check --format jsonl` writes one (rules cut short). */
static const char RECORD[] =
	"{\"row\":1,\"line\":2,\"id\":\"SQ-2024-001\",\"decision\":\"application\",\"verdict\":\"SELECTED\","
	"\"score\":null,\"grade\":null,\"failed\":\"\",\"missing\":\"\",\"reason\":\"meets every condition\","
	"\"as_of\":\"2025-06-30\",\"rules_digest\":\"9522162c\",\"rules\":[{\"id\":\"W1\",\"clause\":\"\xe5\x85\xad\","
	"\"result\":\"pass\",\"decides\":true,\"inputs\":{\"application_date\":\"2024-03-15\",\"n\":-12.5e+3},"
	"\"message\":\"a \\\"quoted\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00\"}]}";

/* s (n bytes, from an exact-length heap copy so that a read past the end
 * is caught by the sanitizers) checked: the want and the byte offset. */
static struct jsonscan_problem check_n(const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	struct jsonscan_problem p;
	assert_non_null(copy);
	memcpy(copy, s, n);
	bool ok = jsonscan_check(copy, n, KEYS, &p);
	assert_int_equal(ok, p.want == JSONSCAN_COMPLETE);
	assert_true(p.at <= n);
	free(copy);
	return p;
}

static void refused(const char *s, enum jsonscan_want want, size_t at)
{
	struct jsonscan_problem p = check_n(s, strlen(s));
	if (p.want != want || p.at != at)
		fail_msg("%s: want %d at %zu, got %d at %zu", s, (int)want, at, (int)p.want, p.at);
}

static void accepted(const char *s)
{
	struct jsonscan_problem p = check_n(s, strlen(s));
	if (p.want != JSONSCAN_COMPLETE)
		fail_msg("%s: refused, want %d at %zu", s, (int)p.want, p.at);
}

static void test_accepts_valid(void **state)
{
	(void)state;
	accepted(RECORD);
	accepted("{}");
	accepted("  {\t}\r");
	accepted("{\"a\":[]}");
	accepted("{\"a\":[1, -0, 0.5, 1e9, 1E-2, 2.5e+10, true, false, null, \"x\", {}, [[]]]}");
	accepted("{\"\xe7\xbb\x93\xe8\xae\xba\":\"\xe7\xac\xa6\xe5\x90\x88\"}");   /* 结论: 符合 */
	accepted("{\"a\":\"\\u0000\"}");
	accepted("{\"a\":\"\x7f\"}");
	/* A duplicate the caller does not read is valid JSON (RFC 8259: SHOULD). */
	accepted("{\"reason\":\"a\",\"reason\":\"b\"}");
	/* And a duplicate below the top level is none of audit's business. */
	accepted("{\"verdict\":\"A\",\"rules\":[{\"verdict\":\"B\"}],\"x\":{\"verdict\":1,\"verdict\":2}}");
}

static void test_refuses_structure(void **state)
{
	(void)state;
	refused("", JSONSCAN_OBJECT, 0);
	refused("garbage", JSONSCAN_OBJECT, 0);
	refused("  [1]", JSONSCAN_OBJECT, 2);
	refused("\"row\"", JSONSCAN_OBJECT, 0);
	refused("{", JSONSCAN_NAME_OR_CLOSE, 1);
	refused("{row:1}", JSONSCAN_NAME_OR_CLOSE, 1);
	refused("{\"a\":1,}", JSONSCAN_NAME, 7);
	refused("{\"a\" 1}", JSONSCAN_COLON, 5);
	refused("{\"a\":}", JSONSCAN_VALUE, 5);
	refused("{\"a\":", JSONSCAN_VALUE, 5);
	refused("{\"a\":[}", JSONSCAN_VALUE_OR_CLOSE, 6);
	refused("{\"a\":[1,]}", JSONSCAN_VALUE, 8);
	refused("{\"a\":[1 2]}", JSONSCAN_COMMA_OR_BRACKET, 8);
	refused("{\"a\":1 garbage here!! }", JSONSCAN_COMMA_OR_BRACE, 7);
	refused("{\"a\":1", JSONSCAN_COMMA_OR_BRACE, 6);
	refused("{\"a\":'x'}", JSONSCAN_VALUE, 5);
	refused("{\"a\":1} x", JSONSCAN_END, 8);
	refused("{}{}", JSONSCAN_END, 2);
	refused("{\"a\":+1}", JSONSCAN_VALUE, 5);
}

static void test_refuses_values(void **state)
{
	(void)state;
	refused("{\"a\":\"abc", JSONSCAN_QUOTE, 9);
	refused("{\"a", JSONSCAN_QUOTE, 3);
	refused("{\"a\":\"\\x\"}", JSONSCAN_ESCAPE, 7);
	refused("{\"a\":\"\\", JSONSCAN_ESCAPE, 7);
	refused("{\"a\":\"\\u12g4\"}", JSONSCAN_HEX, 10);
	refused("{\"a\":\"\\u12", JSONSCAN_HEX, 10);
	refused("{\"a\":\"\\udc00\"}", JSONSCAN_LOW_SURROGATE, 6);
	refused("{\"a\":\"\\ud800x\"}", JSONSCAN_LOW_SURROGATE, 12);
	refused("{\"a\":\"\\ud800\\u0041\"}", JSONSCAN_LOW_SURROGATE, 12);
	refused("{\"a\":\"a\tb\"}", JSONSCAN_ESCAPED, 7);
	refused("{\"a\":\"\n\"}", JSONSCAN_ESCAPED, 6);
	refused("{\"a\":\"ab\xff\"}", JSONSCAN_UTF8, 8);
	refused("{\"a\":\"\xc0\xaf\"}", JSONSCAN_UTF8, 6);
	refused("{\"a\":\"\xed\xa0\x80\"}", JSONSCAN_UTF8, 6);          /* an encoded surrogate */
	refused("{\"a\":\"\xe7\xbb\"}", JSONSCAN_UTF8, 6);              /* cut short */
	refused("{\"\xff\":1}", JSONSCAN_UTF8, 2);
	refused("{\"a\":01}", JSONSCAN_DIGIT, 6);
	refused("{\"a\":-}", JSONSCAN_DIGIT, 6);
	refused("{\"a\":1.}", JSONSCAN_DIGIT, 7);
	refused("{\"a\":.5}", JSONSCAN_VALUE, 5);
	refused("{\"a\":1e}", JSONSCAN_DIGIT, 7);
	refused("{\"a\":1e+}", JSONSCAN_DIGIT, 8);
	refused("{\"a\":tru}", JSONSCAN_LITERAL, 8);
	refused("{\"a\":nul", JSONSCAN_LITERAL, 8);
	refused("{\"a\":True}", JSONSCAN_VALUE, 5);
	refused("{\"a\":\xe2\x80\x9cx\xe2\x80\x9d}", JSONSCAN_VALUE, 5);
}

static void test_member_named_twice(void **state)
{
	(void)state;
	const char *s = "{\"row\":1,\"verdict\":\"SELECTED\",\"verdict\":\"REJECTED\"}";
	struct jsonscan_problem p = check_n(s, strlen(s));
	assert_int_equal(p.want, JSONSCAN_ONCE);
	assert_int_equal(p.at, 30);
	assert_string_equal(p.key, "verdict");
	/* The same name written with an escape is the same name. */
	s = "{\"verdict\":\"A\",\"\\u0076erdict\":\"B\"}";
	p = check_n(s, strlen(s));
	assert_int_equal(p.want, JSONSCAN_ONCE);
	assert_int_equal(p.at, 15);
	assert_string_equal(p.key, "verdict");
	s = "{\"row\":1,\"r\\u006fw\":2}";
	p = check_n(s, strlen(s));
	assert_int_equal(p.want, JSONSCAN_ONCE);
	assert_string_equal(p.key, "row");
	/* An escaped name that only starts like a key is another name. */
	accepted("{\"row\":1,\"\\u0072ows\":2,\"ro\\u0077\\u0073\":3}");
	/* Without keys, duplicates are not looked for. */
	s = "{\"verdict\":\"A\",\"verdict\":\"B\"}";
	assert_true(jsonscan_check(s, strlen(s), NULL, &p));
}

static void test_nesting_limit(void **state)
{
	(void)state;
	char s[2 * JSONSCAN_MAX_DEPTH + 16];
	/* {"a": then JSONSCAN_MAX_DEPTH - 1 arrays: JSONSCAN_MAX_DEPTH levels. */
	size_t n = 0;
	n += (size_t)sprintf(s, "{\"a\":");
	for (int i = 0; i < JSONSCAN_MAX_DEPTH - 1; i++)
		s[n++] = '[';
	for (int i = 0; i < JSONSCAN_MAX_DEPTH - 1; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	accepted(s);
	n = (size_t)sprintf(s, "{\"a\":");
	for (int i = 0; i < JSONSCAN_MAX_DEPTH; i++)
		s[n++] = '[';
	for (int i = 0; i < JSONSCAN_MAX_DEPTH; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	refused(s, JSONSCAN_SHALLOWER, 5 + JSONSCAN_MAX_DEPTH - 1);
}

/* A record cut anywhere (a line truncated, a copy interrupted) is never
 * taken for a complete one, and the check stops inside what is there. */
static void test_every_cut(void **state)
{
	(void)state;
	size_t len = strlen(RECORD);
	for (size_t n = 0; n < len; n++) {
		struct jsonscan_problem p = check_n(RECORD, n);
		if (p.want == JSONSCAN_COMPLETE)
			fail_msg("the first %zu bytes taken for a complete record", n);
	}
	assert_int_equal(check_n(RECORD, len).want, JSONSCAN_COMPLETE);
}

/* Any one byte of a record replaced by any other: the check never reads
 * past the line, and whatever it accepts, the reading functions read. */
static void test_every_byte_changed(void **state)
{
	(void)state;
	size_t len = strlen(RECORD);
	char *s = malloc(len);
	struct strbuf sb = STRBUF_INIT;
	assert_non_null(s);
	for (size_t i = 0; i < len; i += 3)
		for (int b = 0; b < 256; b += 7) {
			memcpy(s, RECORD, len);
			s[i] = (char)b;
			struct jsonscan_problem p;
			if (jsonscan_check(s, len, KEYS, &p)) {
				double row;
				(void)jsonscan_number(s, len, "row", &row);
				(void)jsonscan_string(s, len, "verdict", &sb);
			} else {
				assert_true(p.at <= len);
			}
		}
	free(s);
	strbuf_release(&sb);
}

static void test_reading_members(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	double d = 0;
	size_t len = strlen(RECORD);
	assert_true(jsonscan_number(RECORD, len, "row", &d));
	assert_true(d == 1);
	assert_true(jsonscan_string(RECORD, len, "verdict", &sb));
	assert_string_equal(sb.buf, "SELECTED");
	assert_true(jsonscan_string(RECORD, len, "as_of", &sb));
	assert_string_equal(sb.buf, "2025-06-30");
	assert_false(jsonscan_string(RECORD, len, "score", &sb));   /* null */
	assert_false(jsonscan_string(RECORD, len, "message", &sb)); /* not top-level */
	assert_false(jsonscan_number(RECORD, len, "id", &d));
	const char *s = "{\"a\":\"\\u00e9\\ud83d\\ude00\\n\"}";
	assert_true(jsonscan_string(s, strlen(s), "a", &sb));
	assert_string_equal(sb.buf, "\xc3\xa9\xf0\x9f\x98\x80\n");
	/* A name with a NUL in it is another name: the check lets it be, and
	 * the lookup reads the member named exactly so, as JSON readers do. */
	const char *nul = "{\"row\\u0000\":3,\"row\":2}";
	static const char *const keys[] = { "row", NULL };
	struct jsonscan_problem p;
	assert_true(jsonscan_check(nul, strlen(nul), keys, &p));
	assert_true(jsonscan_number(nul, strlen(nul), "row", &d));
	assert_true(d == 2);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_valid),
		cmocka_unit_test(test_refuses_structure),
		cmocka_unit_test(test_refuses_values),
		cmocka_unit_test(test_member_named_twice),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_every_byte_changed),
		cmocka_unit_test(test_reading_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
