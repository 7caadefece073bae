/* chunks and wire: where --jobs cuts a file, and the bytes between processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "chunks.h"
#include "wire.h"

#define CUT(s) chunk_cut((s), strlen(s))
#define LINES(s) chunk_lines((s), strlen(s))

static void test_cut_after_last_lf(void **state)
{
	(void)state;
	assert_int_equal(CUT("a,b\nc,d\ne,f"), 8);          /* not into the unended line */
	assert_int_equal(CUT("a,b\nc,d\n"), 8);
	assert_int_equal(CUT("a,b\r\nc,d\r\n"), 10);        /* after the LF of a CRLF */
	assert_int_equal(CUT("no line end"), 0);
	assert_int_equal(CUT(""), 0);
	assert_int_equal(CUT("a\rb\rc"), 0);                /* lone CRs: never a cut */
}

static void test_cut_outside_quotes(void **state)
{
	(void)state;
	/* The break inside "x\ny" is no record end; the one after it is. */
	assert_int_equal(CUT("1,\"x\ny\"\n2,z"), 8);
	assert_int_equal(CUT("1,\"x\ny\n"), 0);              /* still open */
	assert_int_equal(CUT("1,\"a\"\"b\"\n2"), 9);       /* doubled quotes */
	assert_int_equal(CUT("1,\"x\n\n\ny\"\n"), 10);
}

static void test_lines(void **state)
{
	(void)state;
	assert_int_equal(LINES("a\nb\n"), 2);
	assert_int_equal(LINES("a\r\nb\r\n"), 2);    /* CRLF is one line end */
	assert_int_equal(LINES("a\rb\r"), 2);        /* lone CR, also at the end */
	assert_int_equal(LINES("a\r\rb"), 2);
	assert_int_equal(LINES("abc"), 0);
	assert_int_equal(LINES("\"x\ny\"\n"), 2);    /* physical lines, quotes or not */
}

static void test_wire_round_trip(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	const char *fields[] = { "SQ-1", "", "a\0b" };
	size_t lens[] = { 4, 0, 3 };
	struct csvin_record rec = { 7, 9, 3, fields, lens, "cell 2 is odd", 1234 };
	wire_put_u64(&sb, 42);
	wire_put_record(&sb, &rec);
	wire_put_bytes(&sb, "tail", 4);
	struct wire_reader rd;
	wire_reader_init(&rd, sb.buf, sb.len);
	assert_int_equal(wire_get_u64(&rd), 42);
	struct csvin_record got;
	wire_get_record(&rd, &got);
	assert_int_equal(got.row, 7);
	assert_int_equal(got.line, 9);
	assert_int_equal(got.bytes_read, 1234);
	assert_int_equal(got.nfields, 3);
	assert_string_equal(got.fields[0], "SQ-1");
	assert_int_equal(got.lens[1], 0);
	assert_string_equal(got.fields[1], "");
	assert_int_equal(got.lens[2], 3);
	assert_memory_equal(got.fields[2], "a\0b", 3);
	assert_string_equal(got.problem, "cell 2 is odd");
	size_t len;
	const char *t = wire_get_bytes(&rd, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(t, "tail", 4);
	assert_false(wire_more(&rd));
	/* Past the end: zeros and empty strings, never a read out of bounds. */
	assert_int_equal(wire_get_u64(&rd), 0);
	wire_get_record(&rd, &got);
	assert_int_equal(got.nfields, 0);
	wire_reader_release(&rd);
	strbuf_release(&sb);
}

static void test_wire_truncated(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	const char *fields[] = { "abcdef" };
	size_t lens[] = { 6 };
	struct csvin_record rec = { 1, 2, 1, fields, lens, NULL, 0 };
	wire_put_record(&sb, &rec);
	for (size_t cut = 0; cut < sb.len; cut++) {
		struct wire_reader rd;
		struct csvin_record got;
		wire_reader_init(&rd, sb.buf, cut);
		wire_get_record(&rd, &got);   /* must not read past cut */
		assert_true(got.nfields <= 1);
		wire_reader_release(&rd);
	}
	strbuf_release(&sb);
}

/* chunk_cut_lines (one SSE2 pass) gives chunk_cut and chunk_lines of its
 * cut on random bytes that matter: LF, CR, quotes, commas, letters. */
static void test_cut_lines_as_two_passes(void **state)
{
	static const char pick[] = { '\n', '\n', '"', ',', 'a', 'b', '\r', ' ' };
	unsigned long long seed = 99;
	char buf[200];

	(void)state;
	for (int round = 0; round < 50000; round++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t len = (size_t)(seed >> 33) % sizeof buf;
		bool no_cr = round % 2 == 0;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			buf[i] = pick[(seed >> 33) % (no_cr ? 6 : 8)];
		}
		size_t lines = 99, cut = chunk_cut_lines(buf, len, &lines);
		assert_int_equal(cut, chunk_cut(buf, len));
		assert_int_equal(lines, chunk_lines(buf, cut));
	}
}

/* The same on long pieces where quotes are rare, as in real files: most
 * 64-byte blocks hold none (the quick way), some do, a few quoted fields
 * hold LFs, and the LF counts pass the 63 blocks a lane can hold. */
static void test_cut_lines_sparse_quotes(void **state)
{
	unsigned long long seed = 7;
	static char buf[20000];

	(void)state;
	for (int round = 0; round < 3000; round++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t len = (size_t)(seed >> 33) % sizeof buf;
		unsigned quote_odds = 50 + (unsigned)(round % 7) * 400;
		bool with_cr = round % 10 == 9;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			unsigned x = (unsigned)(seed >> 33);
			buf[i] = x % quote_odds == 0 ? '"' : x % 37 == 1 ? '\n' : x % 5 == 0 ? ',' : 'a';
			if (with_cr && x % 3001 == 2)
				buf[i] = '\r';
		}
		size_t lines = 99, cut = chunk_cut_lines(buf, len, &lines);
		assert_int_equal(cut, chunk_cut(buf, len));
		assert_int_equal(lines, chunk_lines(buf, cut));
	}
	/* Nothing but LFs: every byte lane counts four a block. */
	memset(buf, '\n', sizeof buf);
	size_t lines = 0;
	assert_int_equal(chunk_cut_lines(buf, sizeof buf, &lines), sizeof buf);
	assert_int_equal(lines, sizeof buf);
}

/* ---- Marks in a stream ---- */

struct marks {
	struct chunk_mark m[4096];
	size_t n;
};

static void keep_mark(void *ctx, const struct chunk_mark *m)
{
	struct marks *k = ctx;
	assert_true(k->n < 4096);
	k->m[k->n++] = *m;
}

/* The marks worked out the plain way: each the first LF with an even
 * number of quotes before it (from start) that ends at or past grid
 * after the mark before; its line 1 + chunk_lines of all before it. */
static void expected_marks(const char *buf, size_t start, size_t len, size_t grid, struct marks *k)
{
	size_t quotes = 0, want = start + grid;
	k->n = 0;
	for (size_t i = start; i < len; i++) {
		if (buf[i] == '"')
			quotes++;
		if (buf[i] == '\n' && quotes % 2 == 0 && i + 1 >= want) {
			k->m[k->n].offset = i + 1;
			k->m[k->n].line = 1 + chunk_lines(buf + start, i + 1 - start);
			k->n++;
			want = i + 1 + grid;
		}
	}
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static void test_scan_examples(void **state)
{
	(void)state;
	struct marks k = { .n = 0 };
	struct chunk_scan s;
	const char *t = "h\n1,\"x\ny\"\n2,z\r\n3\r4\n";
	chunk_scan_init(&s, 0, 1);
	chunk_scan_feed(&s, t, strlen(t), keep_mark, &k);
	/* After "h\n", not inside "x\ny", after the quoted cell's line,
	 * after the CRLF, after "3\r4\n" (a lone CR is a line end, no cut). */
	assert_int_equal(k.n, 4);
	assert_int_equal(k.m[0].offset, 2);
	assert_int_equal(k.m[0].line, 2);
	assert_int_equal(k.m[1].offset, 10);
	assert_int_equal(k.m[1].line, 4);
	assert_int_equal(k.m[2].offset, 15);
	assert_int_equal(k.m[2].line, 5);
	assert_int_equal(k.m[3].offset, 19);
	assert_int_equal(k.m[3].line, 7);
	assert_int_equal(chunk_scan_line(&s), 7);
	/* A grid: the first end at or past 12 bytes, then 12 after that. */
	k.n = 0;
	chunk_scan_init(&s, 0, 12);
	chunk_scan_feed(&s, t, strlen(t), keep_mark, &k);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.m[0].offset, 15);
}

/* Random bytes of the kinds that matter, fed in random pieces (so that
 * blocks of 64 and CRLFs are split every way), against the plain way. */
static void test_scan_random(void **state)
{
	(void)state;
	static char buf[5000];
	static struct marks got, want;
	for (int round = 0; round < 3000; round++) {
		size_t len = next_rand() % sizeof buf, start = next_rand() % 4;
		if (start > len)
			start = len;
		/* Quotes many or rare (then most blocks of 64 hold none: the
		 * scan's quick way), CRs many, rare or none; in one in four, no
		 * line end at all. */
		unsigned quote = round % 2 ? 7 : 600, cr = round % 3 == 0 ? 0 : round % 3 == 1 ? 9 : 400;
		unsigned lf = round % 4 == 3 ? 0 : 1 + next_rand() % 40;
		for (size_t i = 0; i < len; i++) {
			unsigned x = next_rand();
			buf[i] = x % quote == 0 ? '"' : cr && x % cr == 1 ? '\r' : lf && (x >> 10) % lf == 0 ? '\n'
				 : "ab,c"[(x >> 20) % 4];
		}
		size_t grid = 1 + next_rand() % (round % 2 ? 9 : 300);
		struct chunk_scan s;
		chunk_scan_init(&s, start, grid);
		got.n = 0;
		for (size_t at = start; at < len;) {
			size_t piece = 1 + next_rand() % (round % 4 == 0 ? 3 : 200);
			if (piece > len - at)
				piece = len - at;
			chunk_scan_feed(&s, buf + at, piece, keep_mark, &got);
			at += piece;
		}
		expected_marks(buf, start, len, grid, &want);
		assert_int_equal(got.n, want.n);
		for (size_t i = 0; i < want.n; i++) {
			assert_int_equal(got.m[i].offset, want.m[i].offset);
			assert_int_equal(got.m[i].line, want.m[i].line);
		}
		assert_int_equal(chunk_scan_line(&s), 1 + chunk_lines(buf + start, len - start));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_after_last_lf),
		cmocka_unit_test(test_cut_outside_quotes),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_cut_lines_as_two_passes),
		cmocka_unit_test(test_cut_lines_sparse_quotes),
		cmocka_unit_test(test_scan_examples),
		cmocka_unit_test(test_scan_random),
		cmocka_unit_test(test_wire_round_trip),
		cmocka_unit_test(test_wire_truncated),
	};
	return cmocka_run_group_tests_name("chunks", tests, NULL, NULL);
}
