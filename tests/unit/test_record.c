/* record: a header matched to a decision's columns, and enum cells read
 * by token or label, ASCII case folded (the word lengths are taken once,
 * when the header is matched). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "record.h"

static char *tokens[] = { "pass", "passed", "other", "" };
static char *labels[] = { "\xe9\x80\x9a\xe8\xbf\x87", "PASS_ED", "\xe5\x85\xb6", "x" };

static struct column_def cols[] = {
	{ .name = "id", .zh = "\xe7\xbc\x96\xe5\x8f\xb7", .type = "string", .base = COL_STRING },
	{ .name = "result", .zh = "\xe7\xbb\x93\xe6\x9e\x9c", .type = "enum", .base = COL_ENUM,
	  .ntokens = 4, .tokens = tokens, .labels = labels },
	{ .name = "count", .zh = "\xe6\x95\xb0", .type = "count", .base = COL_INT, .has_min = true },
};

static struct decision_def decision = { .name = "t", .ncols = 3, .cols = cols };

/* One record of n fields from NUL-terminated strings. */
static struct csvin_record record(const char **fields, size_t *lens, size_t n, size_t row)
{
	struct csvin_record r;

	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(fields[i]);
	memset(&r, 0, sizeof r);
	r.row = row;
	r.nfields = n;
	r.fields = fields;
	r.lens = lens;
	return r;
}

/* The enum index a cell is read as, or -1 when it cannot be read. */
static long read_enum(struct header_map *hm, const char *cell)
{
	const char *f[3] = { "A-1", cell, "3" };
	size_t lens[3];
	struct csvin_record r = record(f, lens, 3, 1);
	struct value vals[3];
	struct strbuf en = STRBUF_INIT, zh = STRBUF_INIT;
	size_t problems = record_read(&decision, hm, &r, vals, &en, &zh);
	long k = problems ? -1 : vals[1].kind == V_ENUM ? (long)vals[1].u.e : -2;

	strbuf_release(&en);
	strbuf_release(&zh);
	return k;
}

static void test_enum_words(void **state)
{
	const char *h[3] = { " ID ", "\xe7\xbb\x93\xe6\x9e\x9c", "Count" };
	size_t lens[3];
	struct csvin_record hdr = record(h, lens, 3, 0);
	struct header_map hm;
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;

	(void)state;
	assert_int_equal(header_map_build(&hm, &decision, &hdr, &err, &warn), 0);
	assert_int_equal(read_enum(&hm, "pass"), 0);
	assert_int_equal(read_enum(&hm, "PASS"), 0);
	assert_int_equal(read_enum(&hm, " Pass "), 0);
	assert_int_equal(read_enum(&hm, "passed"), 1);
	assert_int_equal(read_enum(&hm, "pass_ed"), 1);
	assert_int_equal(read_enum(&hm, "\xe9\x80\x9a\xe8\xbf\x87"), 0);
	assert_int_equal(read_enum(&hm, "\xe5\x85\xb6"), 2);
	assert_int_equal(read_enum(&hm, "X"), 3);
	assert_int_equal(read_enum(&hm, "OTHER"), 2);
	assert_int_equal(read_enum(&hm, "othe"), -1);
	assert_int_equal(read_enum(&hm, "others"), -1);
	assert_int_equal(read_enum(&hm, "pas"), -1);
	assert_int_equal(read_enum(&hm, "passe"), -1);
	assert_int_equal(read_enum(&hm, "\xe9\x80\x9a"), -1);
	header_map_release(&hm);
	header_map_release(&hm);   /* harmless again */
	strbuf_release(&err);
	strbuf_release(&warn);
}

/* A header that lacks a required column leaves nothing to release. */
static void test_absent_column(void **state)
{
	const char *h[2] = { "id", "count" };
	size_t lens[2];
	struct csvin_record hdr = record(h, lens, 2, 0);
	struct header_map hm;
	struct strbuf err = STRBUF_INIT;

	(void)state;
	assert_int_equal(header_map_build(&hm, &decision, &hdr, &err, NULL), -1);
	assert_non_null(strstr(err.buf, "'result'"));
	header_map_release(&hm);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enum_words),
		cmocka_unit_test(test_absent_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
