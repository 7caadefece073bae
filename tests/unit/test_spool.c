/*
 * test_spool — a pipe copied to an unnamed temporary file: every byte,
 * in order, past the copy's step; the file has no name; where it cannot
 * be made, a message naming the directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "spool.h"

#define LEN (((size_t)1 << 20) + 3)   /* four steps of the copy and a cut one */

static unsigned char byte_at(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

/* A pipe whose writer, a child, writes n bytes, byte(i) the i-th, in
 * pieces that cut the copy's steps, and exits (or stops when the reader
 * goes). */
static FILE *pipe_of(size_t n, unsigned char (*byte)(size_t), pid_t *pid)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		unsigned char buf[4099];
		close(fd[0]);
		for (size_t i = 0; i < n; i += sizeof buf) {
			size_t k = n - i < sizeof buf ? n - i : sizeof buf;
			for (size_t j = 0; j < k; j++)
				buf[j] = byte(i + j);
			if (write(fd[1], buf, k) != (ssize_t)k)
				_exit(0);
		}
		_exit(0);
	}
	close(fd[1]);
	FILE *f = fdopen(fd[0], "rb");
	assert_non_null(f);
	return f;
}

static void test_copy(void **state)
{
	(void)state;
	pid_t pid;
	FILE *in = pipe_of(LEN, byte_at, &pid);
	char err[256] = "x";
	setenv("TMPDIR", "/tmp", 1);
	FILE *f = spool_copy(in, err, sizeof err);
	assert_non_null(f);
	assert_string_equal(err, "");
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(st, 0);
	fclose(in);

	struct stat sb;
	assert_int_equal(fstat(fileno(f), &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_nlink, 0);   /* no name: gone when closed */
	assert_int_equal(sb.st_size, LEN);
	assert_int_equal(ftell(f), 0);
	size_t i = 0;
	int c;
	while ((c = getc(f)) != EOF && i < LEN && c == byte_at(i))
		i++;
	assert_int_equal(i, LEN);
	assert_int_equal(c, EOF);
	fclose(f);
}

/* What the CSV copy is given: /dev/zero; one long line of 'a'; `yes`
 * (a line "y" each); CR-only lines, a first line "a" and then lines of a
 * NUL each (a NUL in records, not in the header line). */
static unsigned char zero(size_t i) { (void)i; return 0; }
static unsigned char letter_a(size_t i) { (void)i; return 'a'; }
static unsigned char yes_lines(size_t i) { return i % 2 ? '\n' : 'y'; }
static unsigned char cr_records_with_nul(size_t i) { return i % 2 ? '\r' : i == 0 ? 'a' : 0; }

/* spool_copy_csv with the NUL test only */
static FILE *copy_csv(FILE *in, char *err, size_t errlen)
{
	return spool_copy_csv(in, NULL, NULL, err, errlen);
}

static off_t copied(FILE *(*copy)(FILE *, char *, size_t), size_t n, unsigned char (*byte)(size_t))
{
	pid_t pid;
	char err[256];
	setenv("TMPDIR", "/tmp", 1);
	FILE *in = pipe_of(n, byte, &pid);
	FILE *f = copy(in, err, sizeof err);
	assert_non_null(f);
	fclose(in);   /* the writer, if still writing, stops */
	waitpid(pid, NULL, 0);
	struct stat sb;
	assert_int_equal(fstat(fileno(f), &sb), 0);
	fclose(f);
	return sb.st_size;
}

/* A CSV input's copy stops once its first line is one the reader refuses
 * (a NUL byte in it); a long first line (a header the reader may take),
 * a line that ends, and any input for spool_copy, are copied whole. */
static void test_copy_csv_stops(void **state)
{
	(void)state;
	size_t n = (size_t)64 << 20;
	assert_true(copied(copy_csv, n, zero) <= (off_t)(256 << 10));
	assert_int_equal(copied(copy_csv, (size_t)20 << 20, letter_a), (off_t)20 << 20);
	assert_int_equal(copied(copy_csv, (size_t)4 << 20, yes_lines), (off_t)4 << 20);
	/* a first line ended by a CR: the NULs of the records after it do not
	 * stop the copy (a CR-only file was all one "first line") */
	assert_int_equal(copied(copy_csv, (size_t)4 << 20, cr_records_with_nul), (off_t)4 << 20);
	assert_int_equal(copied(spool_copy, (size_t)4 << 20, zero), (off_t)4 << 20);
}

/* The first line as the refusal is told it: "y\n" from `yes`; a line of
 * 300,000 'a' and its LF, across two steps of the copy. */
static size_t told_len;
static char told_head[4], told_last;

static bool refuse_all(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	told_len = len;
	memcpy(told_head, line, len < 3 ? len : 3);
	told_last = line[len - 1];
	return true;
}

static bool refuse_none(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	told_len = len;
	return false;
}

static FILE *copy_refusing(FILE *in, char *err, size_t errlen)
{
	return spool_copy_csv(in, refuse_all, NULL, err, errlen);
}

static FILE *copy_refusing_none(FILE *in, char *err, size_t errlen)
{
	return spool_copy_csv(in, refuse_none, NULL, err, errlen);
}

static unsigned char long_line(size_t i) { return i < 300000 ? 'a' : i == 300000 ? '\n' : 'b'; }

static void test_copy_csv_refused(void **state)
{
	(void)state;
	/* refused: stopped after the step that ends the first line */
	assert_true(copied(copy_refusing, (size_t)64 << 20, yes_lines) <= (off_t)(256 << 10));
	assert_int_equal(told_len, 2);
	assert_memory_equal(told_head, "y\n", 2);
	off_t n = copied(copy_refusing, (size_t)64 << 20, long_line);
	assert_true(n > 300000 && n <= (off_t)(512 << 10));
	assert_int_equal(told_len, 300001);
	assert_int_equal(told_last, '\n');
	/* not refused: copied whole */
	told_len = 0;
	assert_int_equal(copied(copy_refusing_none, (size_t)4 << 20, yes_lines), (off_t)4 << 20);
	assert_int_equal(told_len, 2);
	/* a first line that never ends is never judged, and copied whole */
	told_len = 0;
	assert_int_equal(copied(copy_refusing, (size_t)4 << 20, letter_a), (off_t)4 << 20);
	assert_int_equal(told_len, 0);
}

static void test_empty(void **state)
{
	(void)state;
	char err[256];
	FILE *in = fopen("/dev/null", "rb");
	FILE *f = spool_copy(in, err, sizeof err);
	assert_non_null(f);
	assert_int_equal(getc(f), EOF);
	fclose(f);
	fclose(in);
}

static void test_no_directory(void **state)
{
	(void)state;
	char err[256] = "";
	FILE *in = fopen("/dev/null", "rb");
	setenv("TMPDIR", "/nonexistent/verdict-test", 1);
	assert_null(spool_copy(in, err, sizeof err));
	assert_string_equal(err, "cannot copy the input to a temporary file in '/nonexistent/verdict-test' "
			    "(to check its UTF-8 before any output): No such file or directory; expected a "
			    "directory it may write in (set TMPDIR to another directory)");
	fclose(in);
}

static void test_dir(void **state)
{
	(void)state;
	setenv("TMPDIR", "", 1);
	assert_string_equal(spool_dir(), "/tmp");
	unsetenv("TMPDIR");
	assert_string_equal(spool_dir(), "/tmp");
	setenv("TMPDIR", "/var/tmp", 1);
	assert_string_equal(spool_dir(), "/var/tmp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_copy_csv_stops),
		cmocka_unit_test(test_copy_csv_refused),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_no_directory),
		cmocka_unit_test(test_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
