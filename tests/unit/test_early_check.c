/* early_check: the thread's marks are the marks chunk_scan finds over
 * the whole file, in order, with the answer after them; a bad byte stops
 * the marks short and answers "not valid"; more marks waiting than
 * EARLY_MARKS_MAX are dropped, not held without bound; a check that is
 * never asked is stopped and joined at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "chunks.h"
#include "early_check.h"

static char path[64];

/* A file of the given bytes; the early check then runs on any size. */
static FILE *write_file(const char *bytes, size_t len)
{
	snprintf(path, sizeof path, "/tmp/test_early_check.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
	setenv("VERDICT_EARLY_CHECK_MIN", "1", 1);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	return f;
}

struct marks {
	struct chunk_mark m[64];
	size_t n;
};

static void collect(void *ctx, const struct chunk_mark *m)
{
	struct marks *ms = ctx;
	if (ms->n < 64)
		ms->m[ms->n++] = *m;
}

/* What chunk_scan finds over the bytes, fed in one piece. */
static void expected_marks(const char *bytes, size_t len, size_t grid, struct marks *ms, uint64_t *end_line)
{
	struct chunk_scan s;
	ms->n = 0;
	chunk_scan_init(&s, 0, grid);
	chunk_scan_feed(&s, bytes, len, collect, ms);
	*end_line = chunk_scan_line(&s);
}

static const char csv[] =
	"id,name\n"
	"1,\"a\nb\"\n"            /* a line break in a quoted cell: no mark inside */
	"2,c\r\n"
	"3,\"d,\"\"e\"\"\"\n"
	"4,f\n"
	"5,g\n"
	"6,h\n";

/* The check of csv with marks every grid bytes: its marks are the ones
 * chunk_scan finds, in order, and it marked the whole file; the answer
 * taken before the marks or after them. */
static void check_csv(size_t grid, bool answer_first)
{
	size_t len = sizeof csv - 1;
	FILE *f = write_file(csv, len);
	struct marks want;
	uint64_t want_end, end_line;
	expected_marks(csv, len, grid, &want, &want_end);
	assert_true(want.n >= 4);
	struct early_check ec;
	assert_true(early_check_start(&ec, path, grid));
	if (answer_first)
		assert_true(early_check_valid(&ec, f));   /* the marks wait */
	struct chunk_mark m;
	size_t n = 0;
	while (early_check_next_mark(&ec, &m)) {
		assert_true(n < want.n);
		assert_int_equal(m.offset, want.m[n].offset);
		assert_int_equal(m.line, want.m[n].line);
		n++;
	}
	assert_int_equal(n, want.n);
	if (!answer_first)
		assert_true(early_check_valid(&ec, f));
	assert_true(early_check_marked_all(&ec, &end_line));
	assert_int_equal(end_line, want_end);
	early_check_end(&ec);
	fclose(f);
	unlink(path);
}

static void test_marks_and_answer(void **state)
{
	(void)state;
	check_csv(4, true);
	check_csv(1, true);
}

/* Marks taken while the thread still reads: the same ones. */
static void test_marks_before_answer(void **state)
{
	(void)state;
	check_csv(4, false);
	check_csv(1, false);
}

static void test_bad_byte(void **state)
{
	(void)state;
	char bytes[] = "id,name\n1,a\n2,\xff\n3,c\n";
	FILE *f = write_file(bytes, sizeof bytes - 1);
	struct early_check ec;
	assert_true(early_check_start(&ec, path, 1));
	assert_false(early_check_valid(&ec, f));
	struct chunk_mark m;
	while (early_check_next_mark(&ec, &m))
		;
	uint64_t end_line;
	assert_false(early_check_marked_all(&ec, &end_line));   /* stopped short: cut by reading */
	early_check_end(&ec);
	fclose(f);
	unlink(path);
}

/* More record ends than EARLY_MARKS_MAX, none taken until the answer:
 * the first EARLY_MARKS_MAX are kept, in order, and the rest dropped. */
static void test_too_many_marks(void **state)
{
	(void)state;
	size_t records = EARLY_MARKS_MAX + 1000, len = 2 * records;
	char *bytes = malloc(len);
	assert_non_null(bytes);
	for (size_t i = 0; i < records; i++) {
		bytes[2 * i] = 'x';
		bytes[2 * i + 1] = '\n';
	}
	FILE *f = write_file(bytes, len);
	struct early_check ec;
	assert_true(early_check_start(&ec, path, 1));
	assert_true(early_check_valid(&ec, f));   /* valid UTF-8 all the same */
	struct chunk_mark m;
	size_t n = 0;
	while (early_check_next_mark(&ec, &m)) {
		assert_int_equal(m.offset, 2 * (n + 1));
		assert_int_equal(m.line, n + 2);
		n++;
	}
	assert_int_equal(n, EARLY_MARKS_MAX);
	uint64_t end_line;
	assert_false(early_check_marked_all(&ec, &end_line));
	early_check_end(&ec);
	fclose(f);
	unlink(path);
	free(bytes);
}

/* Never asked: stopped and joined, however far the thread got. */
static void test_end_unasked(void **state)
{
	(void)state;
	size_t len = (size_t)8 << 20;
	char *bytes = malloc(len);
	assert_non_null(bytes);
	for (size_t i = 0; i < len; i++)
		bytes[i] = (i % 50 == 49) ? '\n' : 'a';
	FILE *f = write_file(bytes, len);
	for (int i = 0; i < 20; i++) {
		struct early_check ec;
		assert_true(early_check_start(&ec, path, 1024));
		early_check_end(&ec);
		assert_false(ec.running);
	}
	fclose(f);
	unlink(path);
	free(bytes);
}

static void test_not_started(void **state)
{
	(void)state;
	struct early_check ec;
	setenv("VERDICT_EARLY_CHECK_MIN", "1", 1);
	assert_false(early_check_start(&ec, "/nonexistent/file.csv", 4));
	assert_false(early_check_start(&ec, "/tmp", 4));   /* a directory */
	early_check_end(&ec);   /* nothing to end: no harm */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_and_answer),
		cmocka_unit_test(test_marks_before_answer),
		cmocka_unit_test(test_bad_byte),
		cmocka_unit_test(test_too_many_marks),
		cmocka_unit_test(test_end_unasked),
		cmocka_unit_test(test_not_started),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
