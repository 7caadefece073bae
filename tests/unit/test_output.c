/* output: the CSV field writer against a byte-by-byte reference (its
 * fast path looks at eight bytes at a time), and whole csv lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "output.h"
#include "strbuf.h"

/* RFC 4180 as the writer did it before its fast path, one byte a time. */
static void ref_field(struct strbuf *sb, const char *s, size_t len)
{
	int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');

	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		strbuf_add(sb, s, len);
		return;
	}
	strbuf_addch(sb, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, s[i]);
	}
	strbuf_addch(sb, '"');
}

/* The field in a buffer of exactly its length (ASan sees an overread),
 * appended after some text, against the reference. */
static void check_field(const char *s, size_t len)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, s, len);
	strbuf_addstr(&got, "x,");
	strbuf_addstr(&want, "x,");
	output_csv_field(&got, copy, len);
	ref_field(&want, s, len);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.buf, want.buf, got.len);
	assert_int_equal(got.buf[got.len], '\0');
	free(copy);
	strbuf_release(&got);
	strbuf_release(&want);
}

static void test_plain_and_quoted(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	output_csv_field(&sb, "", 0);
	assert_int_equal(sb.len, 0);
	output_csv_field(&sb, "abc", 3);
	output_csv_field(&sb, "a,b", 3);
	output_csv_field(&sb, "say \"hi\"", 8);
	output_csv_field(&sb, " edge", 5);
	output_csv_field(&sb, "\"", 1);
	assert_string_equal(sb.buf, "abc\"a,b\"\"say \"\"hi\"\"\"\" edge\"\"\"\"\"");
	strbuf_release(&sb);
}

/* Each special byte (and an edge space) at every offset 0..17 of plain
 * text 1..24 bytes long: the word test must see it in either half of a
 * word and in the bytes after the last whole word. */
static void test_special_at_every_offset(void **state)
{
	static const char special[] = { ',', '"', '\n', '\r', ' ', '\0', 0x2b, 0x2d,
					0x0b, 0x0c, 0x22 ^ 0x80, ',' ^ 0x80 };
	char buf[32];

	(void)state;
	for (size_t len = 1; len <= 24; len++) {
		for (size_t k = 0; k < sizeof special; k++) {
			for (size_t off = 0; off < len && off <= 17; off++) {
				memset(buf, 'a', len);
				buf[off] = special[k];
				check_field(buf, len);
				/* Non-ASCII around it. */
				memset(buf, 0xE4, len);
				buf[off] = special[k];
				check_field(buf, len);
			}
		}
	}
}

/* Random fields from bytes near the special ones. */
static void test_random_fields(void **state)
{
	static const char pick[] = { 'a', 'z', ' ', ',', '"', '\n', '\r', '\t', '\0',
				     '+', '-', '!', '#', 0x7f, (char)0x80, (char)0xA2,
				     (char)0xAC, (char)0xE4, (char)0xFF };
	uint32_t seed = 1234567u;
	char buf[64];

	(void)state;
	for (int round = 0; round < 100000; round++) {
		size_t len;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		len = seed % (sizeof buf + 1);
		for (size_t i = 0; i < len; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			/* Mostly plain text, so that long unquoted runs occur. */
			buf[i] = seed % 8 ? 'p' : pick[(seed >> 8) % sizeof pick];
		}
		check_field(buf, len);
	}
}

/* A whole csv line: row and line numbers as "%zu" wrote them. */
static void test_csv_line(void **state)
{
	static const size_t rows[] = { 0, 1, 9, 10, 99, 100, 123456789, SIZE_MAX };
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct output out;
	char want[4096] = "";

	(void)state;
	assert_non_null(f);
	memset(&out, 0, sizeof out);
	out.f = f;
	out.format = FMT_CSV;
	out.decision = "application";
	output_begin(&out);
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		struct out_record r;
		char line[256];

		memset(&r, 0, sizeof r);
		r.row = rows[k];
		r.line = rows[k] + 1;
		r.id = "A-1,x";
		r.id_len = 3;
		r.verdict = "ELIGIBLE";
		r.has_score = k % 2;
		r.score = 72.25;
		r.reason = "meets, \"every\" condition";
		output_record(&out, &r);
		snprintf(line, sizeof line, "%zu,%zu,A-1,application,ELIGIBLE,%s,,,,"
			 "\"meets, \"\"every\"\" condition\"\n", rows[k], rows[k] + 1,
			 k % 2 ? "72.2" : "");
		strcat(want, line);
	}
	assert_int_equal(output_end(&out), 0);
	fclose(f);
	assert_non_null(text);
	assert_memory_equal(text, "row,line,id,decision,verdict,score,grade,failed,missing,reason\n", 63);
	assert_string_equal(text + 63, want);
	free(text);
}

/* jsonl records, 100 of them (over three batches of held records):
 * traces taken from the evaluator's buffer (swapped, not copied), copied,
 * or none (INVALID); written to a file (held, then writev) and to a
 * memory stream (written at once) they are the same bytes, in order. */
static void jsonl_records_into(FILE *f, struct strbuf *into, size_t from, size_t to);

static void jsonl_records(FILE *f)
{
	jsonl_records_into(f, NULL, 0, 0);
}

/* The same records, those numbered from..to appended to into instead
 * (output_into, as a --jobs worker does), when into is not NULL. */
static void jsonl_records_into(FILE *f, struct strbuf *into, size_t from, size_t to)
{
	struct output out;
	struct strbuf ev = STRBUF_INIT;   /* the evaluator's trace buffer */

	memset(&out, 0, sizeof out);
	out.f = f;
	out.format = FMT_JSONL;
	out.decision = "application";
	out.as_of = "2025-06-30";
	output_begin(&out);
	for (size_t k = 1; k <= 100; k++) {
		struct out_record r;

		memset(&r, 0, sizeof r);
		r.row = k;
		r.line = k + 1;
		r.id = "SQ-1";
		r.id_len = 4;
		r.verdict = k % 7 ? "ELIGIBLE" : "INVALID";
		r.reason = "ok";
		strbuf_reset(&ev);
		if (k % 7) {
			/* a trace of some kilobytes, different each record */
			strbuf_addstr(&ev, ",\"rules\":[");
			for (size_t i = 0; i < k * 3; i++)
				strbuf_addf(&ev, "%s{\"id\":\"R%zu\"}", i ? "," : "", i + k);
			strbuf_addch(&ev, ']');
			r.trace = ev.buf;
			r.trace_len = ev.len;
			r.trace_buf = k % 3 ? &ev : NULL;
		}
		if (into && k == from)
			output_into(&out, into);
		output_record(&out, &r);
		if (into && k == to)
			output_into(&out, NULL);
	}
	assert_int_equal(output_end(&out), 0);
	strbuf_release(&ev);
}

static void test_jsonl_held(void **state)
{
	(void)state;
	char *mem = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&mem, &size);
	FILE *f = tmpfile();

	assert_non_null(m);
	assert_non_null(f);
	jsonl_records(m);
	jsonl_records(f);
	fclose(m);
	fflush(f);
	long flen = ftell(f);
	assert_true(flen > 0);
	char *file = malloc((size_t)flen);
	assert_non_null(file);
	rewind(f);
	assert_int_equal(fread(file, 1, (size_t)flen, f), (size_t)flen);
	fclose(f);
	assert_int_equal((size_t)flen, size);
	assert_memory_equal(file, mem, size);
	/* 100 lines, in order, each a record ending as its trace did */
	size_t lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += mem[i] == '\n';
	assert_int_equal(lines, 100);
	char *p = mem;
	for (size_t k = 1; k <= 100; k++) {
		char start[64];
		snprintf(start, sizeof start, "{\"row\":%zu,\"line\":%zu,", k, k + 1);
		assert_memory_equal(p, start, strlen(start));
		char *end = strchr(p, '\n');
		assert_non_null(end);
		if (k % 7) {
			char last[32];
			snprintf(last, sizeof last, "{\"id\":\"R%zu\"}]}", k * 3 - 1 + k);
			assert_memory_equal(end - strlen(last), last, strlen(last));
		} else {
			static const char none[] = ",\"rules\":[]}";
			assert_memory_equal(end - strlen(none), none, strlen(none));
		}
		p = end + 1;
	}
	free(file);
	free(mem);
}

/* Records appended to a buffer (output_into) for a stretch in the middle:
 * the file before it, the buffer and the file after it are, put together,
 * the bytes written all to the file; csv lines likewise. */
static void test_output_into(void **state)
{
	(void)state;
	char *mem = NULL, *part = NULL;
	size_t size = 0, psize = 0;
	FILE *m = open_memstream(&mem, &size);
	FILE *f = open_memstream(&part, &psize);
	struct strbuf into = STRBUF_INIT;

	assert_non_null(m);
	assert_non_null(f);
	jsonl_records(m);
	fclose(m);
	/* records 40 to 70 into the buffer; the file holds the rest */
	jsonl_records_into(f, &into, 40, 70);
	fclose(f);
	const char *at40 = strstr(mem, "{\"row\":40,");
	const char *at71 = strstr(mem, "{\"row\":71,");
	assert_non_null(at40);
	assert_non_null(at71);
	size_t before = (size_t)(at40 - mem), mid = (size_t)(at71 - at40);
	assert_int_equal(into.len, mid);
	assert_memory_equal(into.buf, at40, mid);
	assert_int_equal(psize, size - mid);
	assert_memory_equal(part, mem, before);
	assert_memory_equal(part + before, at71, size - before - mid);
	free(mem);
	free(part);

	/* csv: a line a record, built in the buffer itself */
	struct output out;
	memset(&out, 0, sizeof out);
	out.f = NULL;
	out.format = FMT_CSV;
	out.decision = "application";
	output_prepare(&out);
	strbuf_reset(&into);
	output_into(&out, &into);
	struct out_record r;
	memset(&r, 0, sizeof r);
	r.row = 7;
	r.line = 9;
	r.id = "A-7";
	r.id_len = 3;
	r.verdict = "REJECTED";
	r.failed = "E1";
	r.reason = "E1: \"quoted\", with a comma";
	output_record(&out, &r);
	r.row = 8;
	r.line = 10;
	output_record(&out, &r);
	output_into(&out, NULL);
	assert_string_equal(into.buf,
			    "7,9,A-7,application,REJECTED,,,E1,,\"E1: \"\"quoted\"\", with a comma\"\n"
			    "8,10,A-7,application,REJECTED,,,E1,,\"E1: \"\"quoted\"\", with a comma\"\n");
	output_release(&out);
	strbuf_release(&into);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),
		cmocka_unit_test(test_special_at_every_offset),
		cmocka_unit_test(test_random_fields),
		cmocka_unit_test(test_csv_line),
		cmocka_unit_test(test_jsonl_held),
		cmocka_unit_test(test_output_into),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
