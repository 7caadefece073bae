/*
 * test_csvin — the streaming CSV reader.
 *
 * Each case reads an input and compares a transcript of the callbacks
 * ("row@line [field|field] !problem", one line per record) with the
 * expected one; then, as libcsv's own test does, reads the same input
 * again with every chunk size from 1 to its length and checks that the
 * callbacks (with bytes_read) stay the same.
 */
#include <errno.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "csvin.h"
#include "json.h"
#include "strbuf.h"

#define UTF8_ADVICE "; if the file was saved by Excel on Chinese Windows, " \
	"use --encoding gb18030"
#define UNTERMINATED(cell, line) "unterminated quoted field in cell " #cell \
	": the quote opened on line " #line " is never closed; the record is " \
	"read as ending with that line"
#define UNCLOSED(cell, line) "unterminated quoted field in cell " #cell \
	": the quote opened on line " #line " is never closed"
#define STRAY(cell, line) "stray quote in cell " #cell ": a quote inside " \
	"a quoted cell must be doubled (\"\"); the record is read as ending " \
	"with line " #line

struct transcript {
	struct strbuf text;   /* without bytes_read */
	struct strbuf full;   /* with bytes_read */
	int stop_row;         /* return stop_value after this row; -1: never */
	int stop_value;
	long long last_bytes;
	/* memory watch */
	size_t heap_base, heap_peak;
	bool watch_heap;      /* heap_peak: heap in use on row 1 */
};

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void escape(struct strbuf *sb, const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\n')
			strbuf_addstr(sb, "\\n");
		else if (c == '\r')
			strbuf_addstr(sb, "\\r");
		else if (c == '|' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7F)
			strbuf_addf(sb, "\\x%02X", c);
		else
			strbuf_addch(sb, c);
	}
}

static int record_cb(void *ctx, const struct csvin_record *rec)
{
	struct transcript *t = ctx;
	struct strbuf line = STRBUF_INIT;
	size_t i, heap;

	/* Before this callback allocates anything. */
	if (t->watch_heap && rec->row == 1) {
		heap = heap_in_use();
		if (heap > t->heap_peak)
			t->heap_peak = heap;
	}
	strbuf_init(&line);
	strbuf_addf(&line, "%zu@%zu [", rec->row, rec->line);
	assert_true(rec->nfields >= 1);
	for (i = 0; i < rec->nfields; i++) {
		/* NUL-terminated, with no NUL inside. */
		assert_int_equal(rec->fields[i][rec->lens[i]], '\0');
		assert_int_equal(strlen(rec->fields[i]), rec->lens[i]);
		if (i > 0)
			strbuf_addch(&line, '|');
		escape(&line, rec->fields[i], rec->lens[i]);
	}
	strbuf_addch(&line, ']');
	if (rec->problem)
		strbuf_addf(&line, " !%s", rec->problem);
	strbuf_add(&t->text, line.buf, line.len);
	strbuf_addch(&t->text, '\n');
	strbuf_add(&t->full, line.buf, line.len);
	strbuf_addf(&t->full, " +%lld\n", rec->bytes_read);
	strbuf_release(&line);

	assert_true(rec->bytes_read >= t->last_bytes);
	t->last_bytes = rec->bytes_read;
	if (t->stop_row >= 0 && rec->row == (size_t)t->stop_row)
		return t->stop_value;
	return 0;
}

static void transcript_init(struct transcript *t)
{
	memset(t, 0, sizeof(*t));
	strbuf_init(&t->text);
	strbuf_init(&t->full);
	t->stop_row = -1;
}

static void transcript_release(struct transcript *t)
{
	strbuf_release(&t->text);
	strbuf_release(&t->full);
}

static FILE *open_bytes(const char *in, size_t len)
{
	FILE *f;

	/* A regular file, as csvin_read mostly gets: one it can read again
	 * from an offset (stray quotes).  run_pipe gives one it cannot. */
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(in, 1, len, f), len);
	rewind(f);
	return f;
}

/* Read in with the options and chunk size; fill t; return csvin_read's
 * result. */
static int run(const char *in, size_t len, const struct csvin_options *o,
	       size_t chunk, struct transcript *t, char *err, size_t errlen)
{
	struct csvin_options opt = *o;
	FILE *f = open_bytes(in, len);
	int rc;

	opt.chunk = chunk;
	rc = csvin_read(f, "t.csv", &opt, record_cb, t, err, errlen);
	fclose(f);
	return rc;
}

/* The same from memory (csvin_read_mem). */
static int run_mem(const char *in, size_t len, const struct csvin_options *o,
		   size_t chunk, struct transcript *t, char *err, size_t errlen)
{
	struct csvin_options opt = *o;

	opt.chunk = chunk;
	return csvin_read_mem(in, len, "t.csv", &opt, record_cb, t, err, errlen);
}

/* The same from a range of a file (csvin_read_range, as --jobs workers
 * read): the bytes after a few others, which the reader must not see. */
static int run_range(const char *in, size_t len, const struct csvin_options *o,
		     size_t chunk, struct transcript *t, char *err, size_t errlen)
{
	struct csvin_options opt = *o;
	FILE *f = tmpfile();
	int rc;

	assert_non_null(f);
	assert_int_equal(fwrite("x,\"\n", 1, 4, f), 4);
	assert_int_equal(fwrite(in, 1, len, f), len);
	assert_int_equal(fflush(f), 0);
	opt.chunk = chunk;
	rc = csvin_read_range(fileno(f), 4, len, "t.csv", &opt, record_cb, t, err, errlen);
	fclose(f);
	return rc;
}

/* The same from a pipe (a stream read as it comes, as with --encoding
 * from standard input), written by a child process. */
static int run_pipe(const char *in, size_t len, const struct csvin_options *o,
		    size_t chunk, struct transcript *t, char *err, size_t errlen)
{
	struct csvin_options opt = *o;
	int fds[2];
	pid_t pid;
	int rc, st;
	FILE *f;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t done = 0;
		close(fds[0]);
		while (done < len) {
			ssize_t k = write(fds[1], in + done, len - done);
			if (k <= 0)
				_exit(1);
			done += (size_t)k;
		}
		_exit(0);
	}
	close(fds[1]);
	f = fdopen(fds[0], "rb");
	assert_non_null(f);
	opt.chunk = chunk;
	rc = csvin_read(f, "t.csv", &opt, record_cb, t, err, errlen);
	fclose(f);   /* a stop before the end: the child gets EPIPE */
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return rc;
}

/* Compare with expected, then with every chunk size from 1 to len + 1,
 * read from a file, from memory, from a range of a file and from a pipe
 * (which is read again from the bytes it keeps, as a file is sought). */
static void check_stop(const char *in, size_t len, const struct csvin_options *o,
		       const char *expected, int stop_row, int stop_value,
		       int expected_rc)
{
	struct transcript base, t;
	char err[256] = "";
	size_t chunk;
	int rc;

	transcript_init(&base);
	base.stop_row = stop_row;
	base.stop_value = stop_value;
	rc = run(in, len, o, 0, &base, err, sizeof(err));
	assert_string_equal(err, "");
	assert_string_equal(base.text.buf, expected);
	assert_int_equal(rc, expected_rc);
	for (chunk = 1; chunk <= len + 1; chunk++) {
		for (int mem = 0; mem < 4; mem++) {
			static const char *const how[] = { "", "from memory, ", "from a range of a file, ",
							   "from a pipe, " };
			transcript_init(&t);
			t.stop_row = stop_row;
			t.stop_value = stop_value;
			rc = (mem == 3 ? run_pipe : mem == 2 ? run_range : mem ? run_mem : run)(in, len, o, chunk, &t, err,
											       sizeof(err));
			if (strcmp(t.full.buf, base.full.buf) != 0)
				fail_msg("%schunk size %zu:\n%s\nexpected:\n%s",
					 how[mem], chunk, t.full.buf, base.full.buf);
			assert_int_equal(rc, expected_rc);
			transcript_release(&t);
		}
	}
	transcript_release(&base);
}

static void check_opt(const char *in, size_t len, const struct csvin_options *o,
		      const char *expected)
{
	check_stop(in, len, o, expected, -1, 0, 0);
}

#define CHECK(in, expected) do { \
		static const struct csvin_options o_; \
		check_opt(in, sizeof(in) - 1, &o_, expected); \
	} while (0)
#define CHECK_OPT(in, opt, expected) \
	check_opt(in, sizeof(in) - 1, &(opt), expected)

static void test_simple(void **state)
{
	(void)state;
	CHECK("name,amount\nA,1\nB,2\n",
	      "0@1 [name|amount]\n1@2 [A|1]\n2@3 [B|2]\n");
	CHECK("a\n", "0@1 [a]\n");
	CHECK(",\n,,\n", "0@1 [|]\n1@2 [||]\n");
}

static void test_quoted_commas(void **state)
{
	(void)state;
	CHECK("a,b\n\"x, y\",\"1,2,3\"\n\"\",\"\"\n",
	      "0@1 [a|b]\n1@2 [x, y|1,2,3]\n2@3 [|]\n");
}

static void test_doubled_quotes(void **state)
{
	(void)state;
	CHECK("q\n\"he said \"\"hi\"\"\"\n\"\"\"\"\n\"a\"\"\",b\n",
	      "0@1 [q]\n1@2 [he said \"hi\"]\n2@3 [\"]\n3@4 [a\"|b]\n");
}

static void test_lenient(void **state)
{
	(void)state;
	/* A stray quote inside an unquoted field is text. */
	CHECK("a\"b,c\"\nx\n", "0@1 [a\"b|c\"]\n1@2 [x]\n");
	/* Spaces around unquoted fields and around quotes are dropped. */
	CHECK(" a , b \nx,  \"y,z\"  ,\t w\t\n",
	      "0@1 [a|b]\n1@2 [x|y,z|w]\n");
	/* Text after a closing quote is kept (libcsv, not strict). */
	CHECK("\"ab\"c,d\"\n", "0@1 [ab\"c,d]\n");
}

static void test_embedded_newlines(void **state)
{
	(void)state;
	CHECK("id,text\n1,\"line one\nline two\"\n2,\"a\r\nb\rc\"\n3,end\n",
	      "0@1 [id|text]\n1@2 [1|line one\\nline two]\n"
	      "2@4 [2|a\\r\\nb\\rc]\n3@7 [3|end]\n");
	CHECK("\"\n\n\n\",x\ny\n", "0@1 [\\n\\n\\n|x]\n1@5 [y]\n");
}

static void test_crlf(void **state)
{
	(void)state;
	CHECK("a,b\r\n1,2\r\n3,4\r\n", "0@1 [a|b]\n1@2 [1|2]\n2@3 [3|4]\n");
	CHECK("a,b\r\n1,2", "0@1 [a|b]\n1@2 [1|2]\n");
}

static void test_lone_cr(void **state)
{
	(void)state;
	CHECK("a,b\r1,2\r3,4\r", "0@1 [a|b]\n1@2 [1|2]\n2@3 [3|4]\n");
}

static void test_mixed_line_ends(void **state)
{
	(void)state;
	/* Lines: a CRLF, b CR, c LF, d CRLF, (blank) CR, e LF CR, (blank). */
	CHECK("a\r\nb\rc\nd\r\n\re\n\rf",
	      "0@1 [a]\n1@2 [b]\n2@3 [c]\n3@4 [d]\n4@6 [e]\n5@8 [f]\n");
	CHECK("\"x\r\n\r\ny\",1\n\"\r\r\",2\r\nz",
	      "0@1 [x\\r\\n\\r\\ny|1]\n1@4 [\\r\\r|2]\n2@7 [z]\n");
}

static void test_bom(void **state)
{
	(void)state;
	CHECK("\xEF\xBB\xBFid,name\n1,x\n", "0@1 [id|name]\n1@2 [1|x]\n");
	CHECK("\xEF\xBB\xBF", "");
	CHECK("\xEF\xBB\xBF\n\nid\n", "0@3 [id]\n");
	/* Not at the start it is a character like any other. */
	CHECK("a\n\xEF\xBB\xBF" "b\n", "0@1 [a]\n1@2 [\xEF\xBB\xBF" "b]\n");
	/* Part of a BOM is invalid UTF-8. */
	CHECK("\xEF\xBBx\nb\n",
	      "0@1 [\xEF\xBBx] !invalid UTF-8 in cell 1 (byte 0xEF)" UTF8_ADVICE "\n"
	      "1@2 [b]\n");
	CHECK("\xEF\xBB", "0@1 [\xEF\xBB] !invalid UTF-8 in cell 1 (byte 0xEF)"
	      UTF8_ADVICE "\n");
}

static void test_blank_lines(void **state)
{
	(void)state;
	CHECK("\n\na,b\n\n\n1,2\n   \n\r\n\t\n3,4\n\n\n",
	      "0@3 [a|b]\n1@6 [1|2]\n2@10 [3|4]\n");
	CHECK("\n\r\n\r \t\n", "");
}

static void test_no_final_newline(void **state)
{
	(void)state;
	CHECK("a,b\n1,2", "0@1 [a|b]\n1@2 [1|2]\n");
	CHECK("a,b\n1,\"2\"", "0@1 [a|b]\n1@2 [1|2]\n");
	CHECK("a,b\n1,", "0@1 [a|b]\n1@2 [1|]\n");
}

static void test_header_only(void **state)
{
	(void)state;
	CHECK("a,b,c\n", "0@1 [a|b|c]\n");
	CHECK("a,b,c", "0@1 [a|b|c]\n");
}

static void test_empty_file(void **state)
{
	struct transcript t;
	struct csvin_options o = { 0 };
	char err[64] = "";

	(void)state;
	transcript_init(&t);
	assert_int_equal(run("", 0, &o, 0, &t, err, sizeof(err)), 0);
	assert_string_equal(t.text.buf, "");
	assert_string_equal(err, "");
	transcript_release(&t);
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	/* Not closed by the end of the input: the lines after the one it
	 * opened on are records of their own. */
	CHECK("a,b\n1,\"abc\ndef\n",
	      "0@1 [a|b]\n1@2 [1|] !" UNTERMINATED(2, 2) "\n2@3 [def]\n");
	/* The record starts on line 2, the open quote on line 3. */
	CHECK("a,b\n\"x\ny\",\"z\nw",
	      "0@1 [a|b]\n1@2 [x\\ny|] !" UNTERMINATED(2, 3) "\n2@4 [w]\n");
	/* Opened on the last line: nothing after it to read again. */
	CHECK("\"", "0@1 [] !" UNCLOSED(1, 1) "\n");
	/* It outranks a problem found earlier in the record. */
	CHECK("a\n\xC9,\"b\n",
	      "0@1 [a]\n1@2 [\xC9|b\\n] !" UNCLOSED(2, 2) "\n");
	/* Closed on a later line by a quote that is not followed by a comma:
	 * the quote that opened it was the mistake; the records after it
	 * are read. */
	CHECK("a,b\n1,\"x\n2,\"y\"\n3,z\n",
	      "0@1 [a|b]\n1@2 [1|] !" UNTERMINATED(2, 2) "\n2@3 [2|y]\n3@4 [3|z]\n");
	/* Closed by a quote lines on, which leaves the record with fewer
	 * cells than the header, and a line inside it has a record's
	 * commas: the quote that opened it was the mistake; the lines after
	 * it are read again as records. */
	CHECK("a,b,c\n1,\"x,q\n2,y,w\n3,z\"\n4,w,q\n",
	      "0@1 [a|b|c]\n1@2 [1|] !quoted field in cell 2 opened on line 2 and "
	      "closed on a later line, leaving 2 cells where the header has 3: "
	      "the quote is read as never closed, and the record as ending "
	      "with line 2\n2@3 [2|y|w]\n3@4 [3|z\"]\n4@5 [4|w|q]\n");
	/* Or the line the quote opened on has them: its cells before the
	 * quote and its commas after it make a record's (1,"x,q). */
	CHECK("a,b,c\n1,\"x,q\n2 y\n3,z\"\n4,w,q\n",
	      "0@1 [a|b|c]\n1@2 [1|] !quoted field in cell 2 opened on line 2 and "
	      "closed on a later line, leaving 2 cells where the header has 3: "
	      "the quote is read as never closed, and the record as ending "
	      "with line 2\n2@3 [2 y]\n3@4 [3|z\"]\n4@5 [4|w|q]\n");
	/* Without either: a multi-line cell in a record of the wrong
	 * length, one record (its count makes it INVALID). */
	CHECK("a,b,c\n1,\"x\n2 y\n3,z\"\n4,w,q\n",
	      "0@1 [a|b|c]\n1@2 [1|x\\n2 y\\n3,z]\n2@5 [4|w|q]\n");
	/* Two cells over several lines, the second holding the evidence:
	 * the record is cut at the second's quote, not the first's. */
	CHECK("a,b,c,d\n1,\"n\nm\",\"x\n2,y,z,w\n3,v\"\n4,u,t,s\n",
	      "0@1 [a|b|c|d]\n1@2 [1|n\\nm|] !quoted field in cell 3 opened on line 3 and "
	      "closed on a later line, leaving 3 cells where the header has 4: "
	      "the quote is read as never closed, and the record as ending "
	      "with line 3\n2@4 [2|y|z|w]\n3@5 [3|v\"]\n4@6 [4|u|t|s]\n");
	/* The last record, with no line end after it: a multi-line cell
	 * closed at the very end is closed; and a record after a quote
	 * never closed, at the end of the input, is read again. */
	CHECK("a,b\n1,\"x\ny\"", "0@1 [a|b]\n1@2 [1|x\\ny]\n");
	CHECK("a,b,c\n1,\"x,q\n2,y,w\n3,z\",t,u",
	      "0@1 [a|b|c]\n1@2 [1|] !quoted field in cell 2 opened on line 2 and "
	      "closed on a later line, leaving 4 cells where the header has 3: "
	      "the quote is read as never closed, and the record as ending "
	      "with line 2\n2@3 [2|y|w]\n3@4 [3|z\"|t|u]\n");
	CHECK("a,b,c\n1,\"x\ny\",z,\n2,w,q\n",
	      "0@1 [a|b|c]\n1@2 [1|x\\ny|z|]\n2@4 [2|w|q]\n");
	/* A closed cell with the right count is a cell, whatever the commas
	 * of its lines (RFC 4180): a note listing reasons, a line each. */
	CHECK("a,b\n1,\"x\n2,y\n\"\n3,z\n",
	      "0@1 [a|b]\n1@2 [1|x\\n2,y\\n]\n2@5 [3|z]\n");
	CHECK("a,b,c\n1,\"why:\np,q,r,s\nend\",z\n2,w,q\n",
	      "0@1 [a|b|c]\n1@2 [1|why:\\np,q,r,s\\nend|z]\n2@5 [2|w|q]\n");
	/* The line read again after a cut opens a quoted cell of its own
	 * over two lines, which stays one cell: a line is read as a record
	 * of its own only when a quote opened on an earlier line holds it. */
	CHECK("a,b,c\n1,\"x\n2,y,\"p\nq\"\n",
	      "0@1 [a|b|c]\n1@2 [1|] !" UNTERMINATED(2, 2) "\n2@3 [2|y|p\\nq]\n");
	/* Fewer: an address over two lines. */
	CHECK("a,b,c\n1,\"Room 1\nBldg 2, Pudong\",x\n",
	      "0@1 [a|b|c]\n1@2 [1|Room 1\\nBldg 2, Pudong|x]\n");
	/* A multi-line cell with the right number of cells is a cell. */
	CHECK("a,b\n1,\"x\n2,y\"\n4,w\n",
	      "0@1 [a|b]\n1@2 [1|x\\n2,y]\n2@4 [4|w]\n");
	/* A lone quote on a line of its own, CRLF line ends. */
	CHECK("a\r\n\"\r\nb\r\nc\r\n",
	      "0@1 [a]\n1@2 [] !" UNTERMINATED(1, 2) "\n2@3 [b]\n3@4 [c]\n");
}

/* A quote that closes a cell and is followed by more than a comma: the
 * record ends with the line, and the next line is a record. */
static void test_stray_quote(void **state)
{
	(void)state;
	CHECK("a,b\n\"ab\"c,x\n\"y\",z\n",
	      "0@1 [a|b]\n1@2 [ab\"c,x\\n] !" STRAY(1, 2) "\n2@3 [y|z]\n");
	/* Closed again on the same line: read leniently, as libcsv does. */
	CHECK("a,b\n\"ab\"c\",x\n",
	      "0@1 [a|b]\n1@2 [ab\"c|x]\n");
	/* A doubled quote and a quote in an unquoted cell are content. */
	CHECK("a,b\n\"say \"\"hi\"\"\",5\" screen\n",
	      "0@1 [a|b]\n1@2 [say \"hi\"|5\" screen]\n");
	/* Spaces after the closing quote, then another quote. */
	CHECK("a,b\n\"ab\" \"c,x\n1,2\n",
	      "0@1 [a|b]\n1@2 [ab\" \"c,x\\n] !" STRAY(1, 2) "\n2@3 [1|2]\n");
}

static void test_nul_byte(void **state)
{
	(void)state;
	CHECK("a,b\n1,x\0y\n2,3\n",
	      "0@1 [a|b]\n1@2 [1|x\xEF\xBF\xBDy] !NUL byte in cell 2; expected text, which holds no NUL (a file that is not CSV?)\n"
	      "2@3 [2|3]\n");
	CHECK("\0\n", "0@1 [\xEF\xBF\xBD] !NUL byte in cell 1; expected text, which holds no NUL (a file that is not CSV?)\n");
	/* The cell is named: the one the byte is in, or begins. */
	CHECK("a,b,c\n1,2,\0\n1,\"2\0\",3\n",
	      "0@1 [a|b|c]\n1@2 [1|2|\xEF\xBF\xBD] !NUL byte in cell 3; expected text, which holds no NUL (a file that is not CSV?)\n"
	      "2@3 [1|2\xEF\xBF\xBD|3] !NUL byte in cell 2; expected text, which holds no NUL (a file that is not CSV?)\n");
}

static void test_too_many_fields(void **state)
{
	struct csvin_options o = { .max_fields = 3 };

	(void)state;
	CHECK_OPT("a,b,c,d,e\n1,2,3\n1,2\n", o,
		  "0@1 [a|b|c] !record has more than 3 cells; expected at most that many (a file that is not CSV, or a line of commas?)\n"
		  "1@2 [1|2|3]\n2@3 [1|2]\n");
}

static void test_small_cell_limit(void **state)
{
	struct csvin_options o = { .max_cell = 4 };

	(void)state;
	/* Cut on a character boundary: 中 is E4 B8 AD. */
	CHECK_OPT("ab\xE4\xB8\xAD,x\nxy\n", o,
		  "0@1 [ab|x] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n"
		  "1@2 [xy]\n");
	CHECK_OPT("x,\"abcdef\nghi\",z\nok\n", o,
		  "0@1 [x|abcd|z] !cell 2 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n"
		  "1@3 [ok]\n");
	CHECK_OPT("\"abcdef\"   ,z\n", o,
		  "0@1 [abcd|z] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abcd\"\"ef\"\n", o,
		  "0@1 [abcd] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abc\"\"\"\n", o,
		  "0@1 [abc\"]\n");
	/* Trailing spaces that libcsv drops are not content. */
	CHECK_OPT("abc          ,z\n", o, "0@1 [abc|z]\n");
	CHECK_OPT("\"abc\"          ,z\n", o, "0@1 [abc|z]\n");
	CHECK_OPT("\"abc\"          \n", o, "0@1 [abc]\n");
	CHECK_OPT("\"abc\"          ", o, "0@1 [abc]\n");
	/* ... but spaces followed by text are. */
	CHECK_OPT("abc  \t       x,z\n", o,
		  "0@1 [abc |z] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abc\"          x\",z\n", o,
		  "0@1 [abc\"|z] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"ab\"  \"\n", o,
		  "0@1 [ab\" ] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abcd\"  \"\n", o,
		  "0@1 [abcd] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abcd\"  \n", o, "0@1 [abcd]\n");
	CHECK_OPT("\"abcd\"\"\"\n", o,
		  "0@1 [abcd] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abcd\"\"\n", o,
		  "0@1 [abcd] !" UNCLOSED(1, 1) "\n");
	CHECK_OPT("\"abcdef\"     \",x\n", o,
		  "0@1 [abcd|x] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	CHECK_OPT("\"abcdef\"\",x\n", o,
		  "0@1 [abcd] !" UNCLOSED(1, 1) "\n");
	CHECK_OPT("\"abcdef\"  x\"  ,\n", o,
		  "0@1 [abcd|] !cell 1 exceeds the cell limit of 4 bytes; expected a shorter cell (or a larger --max-cell)\n");
	/* A record holds at most 16 times max_cell bytes. */
	CHECK_OPT("aaaa,bbbb,cccc,dddd,eeee,ffff,gggg,hhhh,iiii,jjjj,kkkk,"
		  "llll,mmmm,nnnn,oooo,pppp,qqqq,r\nok\n", o,
		  "0@1 [aaaa|bbbb|cccc|dddd|eeee|ffff|gggg|hhhh|iiii|jjjj|"
		  "kkkk|llll|mmmm|nnnn|oooo|pppp||]"
		  " !record exceeds the limit of 64 bytes (16 times the cell limit); expected a smaller record (or a larger --max-cell)\n1@2 [ok]\n");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	CHECK("h\nr1\nr2\nr\xC9\xEAx\nr4\n",
	      "0@1 [h]\n1@2 [r1]\n2@3 [r2]\n"
	      "3@4 [r\xC9\xEAx] !invalid UTF-8 in cell 1 (byte 0xC9)" UTF8_ADVICE "\n"
	      "4@5 [r4]\n");
	/* On the second line of a record. */
	CHECK("h,i\n\"ok\n\xFF\",x\nnext,y\n",
	      "0@1 [h|i]\n1@2 [ok\\n\xFF|x] !invalid UTF-8 in cell 1 (byte 0xFF)"
	      UTF8_ADVICE "\n2@4 [next|y]\n");
	/* After a quote that does not close the field: the same cell. */
	CHECK("h,i\n\"ab\"\xFF\",x\ny,\xFF\n",
	      "0@1 [h|i]\n1@2 [ab\"\xFF|x] !invalid UTF-8 in cell 1 (byte 0xFF)"
	      UTF8_ADVICE "\n2@3 [y|\xFF] !invalid UTF-8 in cell 2 (byte 0xFF)"
	      UTF8_ADVICE "\n");
	/* Cut off by the end of the file, or by the end of the line. */
	CHECK("h\nab\xE4\xB8",
	      "0@1 [h]\n1@2 [ab\xE4\xB8] !invalid UTF-8 in cell 1 (byte 0xE4)"
	      UTF8_ADVICE "\n");
	CHECK("h\nab\xE4\xB8\nc\n",
	      "0@1 [h]\n1@2 [ab\xE4\xB8] !invalid UTF-8 in cell 1 (byte 0xE4)"
	      UTF8_ADVICE "\n2@3 [c]\n");
	/* Overlong, surrogate. */
	CHECK("\xC0\xAF\n\xED\xA0\x80\n",
	      "0@1 [\xC0\xAF] !invalid UTF-8 in cell 1 (byte 0xC0)" UTF8_ADVICE "\n"
	      "1@2 [\xED\xA0\x80] !invalid UTF-8 in cell 1 (byte 0xED)" UTF8_ADVICE "\n");
	/* Valid multi-byte characters split by every chunk size. */
	CHECK("名称,金额\n张三,1\n\xF0\x9F\x98\x80,\xC3\xA4\n",
	      "0@1 [名称|金额]\n1@2 [张三|1]\n2@3 [\xF0\x9F\x98\x80|\xC3\xA4]\n");
}

static void test_encoding_names(void **state)
{
	struct csvin_options o = { 0 };
	static const char *const ok[] = {
		"utf-8", "UTF-8", "utf8", "Utf8", "gb18030", "GB18030", "gbk",
		"GBK",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		o.encoding = ok[i];
		CHECK_OPT("a,b\n", o, "0@1 [a|b]\n");
	}
}

static void test_gb18030(void **state)
{
	struct csvin_options o = { .encoding = "gb18030" };

	(void)state;
	/* 申报编号,单位名称 / 张三,😀ä (4-byte forms) / €中 */
	CHECK_OPT("\xC9\xEA\xB1\xA8\xB1\xE0\xBA\xC5,"
		  "\xB5\xA5\xCE\xBB\xC3\xFB\xB3\xC6\r\n"
		  "\xD5\xC5\xC8\xFD,\x94\x39\xFC\x36\x81\x30\x8A\x31\r\n"
		  "\"\xA2\xE3\n\xD6\xD0\",x\r\n", o,
		  "0@1 [申报编号|单位名称]\n1@2 [张三|😀ä]\n2@3 [€\\n中|x]\n");
	o.encoding = "GBK";
	CHECK_OPT("\xC9\xEA\xB1\xA8,\xB5\xA5\xCE\xBB\n", o,
		  "0@1 [申报|单位]\n");
	/* A BOM is still dropped (Excel writes none for GB18030). */
	o.encoding = "gb18030";
	CHECK_OPT("\xEF\xBB\xBF" "a\n", o, "0@1 [a]\n");
}

static void test_gb18030_invalid(void **state)
{
	struct csvin_options o = { .encoding = "gb18030" };

	(void)state;
	CHECK_OPT("a\n\x81\x20x,\xD6\xD0\nb\n", o,
		  "0@1 [a]\n"
		  "1@2 [\xEF\xBF\xBD x|中] !invalid GB18030 byte sequence in cell 1"
		  " (0x81 0x20); expected GB18030 text, as --encoding says\n2@3 [b]\n");
	CHECK_OPT("a\n\x80,\xFF\n", o,
		  "0@1 [a]\n1@2 [\xEF\xBF\xBD|\xEF\xBF\xBD]"
		  " !invalid GB18030 byte sequence in cell 1 (0x80); expected GB18030 text, as --encoding says\n");
	CHECK_OPT("a\nx\x81\x30\x20\n", o,
		  "0@1 [a]\n1@2 [x\xEF\xBF\xBD" "0]"
		  " !invalid GB18030 byte sequence in cell 1 (0x81 0x30 0x20); expected GB18030 text, as --encoding says\n");
	/* The line end is never part of a character. */
	CHECK_OPT("a\n\xD6\nb\n", o,
		  "0@1 [a]\n1@2 [\xEF\xBF\xBD]"
		  " !invalid GB18030 byte sequence in cell 1 (0xD6 0x0A); expected GB18030 text, as --encoding says\n2@3 [b]\n");
	CHECK_OPT("a\n\x00" "b\n", o,
		  "0@1 [a]\n1@2 [\xEF\xBF\xBD" "b] !NUL byte in cell 1; expected text, which holds no NUL (a file that is not CSV?)\n");
}

/* GBK is read as Windows code page 936 has it: GB18030, and the single
 * byte 0x80 for the euro sign (GB18030 has none); messages name the
 * encoding asked for. */
static void test_gbk(void **state)
{
	struct csvin_options o = { .encoding = "gbk" };

	(void)state;
	CHECK_OPT("a,b\n\x80,\xA2\xE3\n\xD6\xD0\x80\r\n", o,
		  "0@1 [a|b]\n1@2 [€|€]\n2@3 [中€]\n");
	/* 0x80 as the second byte of a character is that character's. */
	CHECK_OPT("a\n\x81\x80\n", o, "0@1 [a]\n1@2 [亐]\n");
	CHECK_OPT("a\n\x80\xFF,\x81\x20\n", o,
		  "0@1 [a]\n1@2 [€\xEF\xBF\xBD|\xEF\xBF\xBD]"
		  " !invalid GBK byte sequence in cell 1 (0xFF); expected GBK text, as --encoding says\n");
	CHECK_OPT("a\nx,\x81\x30\x8A", o,
		  "0@1 [a]\n1@2 [x|\xEF\xBF\xBD]"
		  " !invalid GBK byte sequence in cell 2 (0x81 0x30 0x8A); expected GBK text, as --encoding says\n");
}

/* U+FEFF in GB18030 (84 31 95 33) is the byte-order mark of a GB18030 or
 * GBK file, dropped as UTF-8's is. */
static void test_gb18030_bom(void **state)
{
	static const char *const gb[] = { "gb18030", "GBK" };
	struct csvin_options o = { 0 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		o.encoding = gb[i];
		CHECK_OPT("\x84\x31\x95\x33id,\xC3\xFB\n1,x\n", o,
			  "0@1 [id|名]\n1@2 [1|x]\n");
		CHECK_OPT("\x84\x31\x95\x33", o, "");
		CHECK_OPT("\x84\x31\x95\x33\r\n\r\nid\r\n", o, "0@3 [id]\n");
		/* Not at the start it is a character like any other. */
		CHECK_OPT("a\n\x84\x31\x95\x33" "b\n", o, "0@1 [a]\n1@2 [\xEF\xBB\xBF" "b]\n");
	}
	/* In UTF-8 it is no mark, and not UTF-8. */
	o.encoding = NULL;
	CHECK_OPT("\x84\x31\x95\x33id\n", o,
		  "0@1 [\x84\x31\x95\x33id] !invalid UTF-8 in cell 1 (byte 0x84)" UTF8_ADVICE "\n");
}

static void test_bom_length(void **state)
{
	(void)state;
	assert_int_equal(csvin_bom_length("\xEF\xBB\xBFid", 5, NULL), 3);
	assert_int_equal(csvin_bom_length("\xEF\xBB\xBFid", 5, "gb18030"), 3);
	assert_int_equal(csvin_bom_length("\x84\x31\x95\x33id", 6, "gbk"), 4);
	assert_int_equal(csvin_bom_length("\x84\x31\x95\x33id", 6, "GB18030"), 4);
	assert_int_equal(csvin_bom_length("\x84\x31\x95\x33id", 6, "utf-8"), 0);
	assert_int_equal(csvin_bom_length("\x84\x31\x95", 3, "gbk"), 0);
	assert_int_equal(csvin_bom_length("id", 2, NULL), 0);
}

static void test_gb18030_truncated(void **state)
{
	struct csvin_options o = { .encoding = "gb18030" };

	(void)state;
	CHECK_OPT("a\n\xD6", o,
		  "0@1 [a]\n1@2 [\xEF\xBF\xBD]"
		  " !invalid GB18030 byte sequence in cell 1 (0xD6); expected GB18030 text, as --encoding says\n");
	CHECK_OPT("a\nx,\x81\x30\x8A", o,
		  "0@1 [a]\n1@2 [x|\xEF\xBF\xBD]"
		  " !invalid GB18030 byte sequence in cell 2 (0x81 0x30 0x8A); expected GB18030 text, as --encoding says\n");
	CHECK_OPT("a\n\n\xD6", o,
		  "0@1 [a]\n1@3 [\xEF\xBF\xBD]"
		  " !invalid GB18030 byte sequence in cell 1 (0xD6); expected GB18030 text, as --encoding says\n");
}

static void test_unknown_encoding(void **state)
{
	struct csvin_options o = { .encoding = "latin1" };
	struct transcript t;
	char err[256] = "";

	(void)state;
	transcript_init(&t);
	assert_int_equal(run("a\n", 2, &o, 0, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "t.csv: unknown encoding 'latin1' "
			    "(use utf-8, gb18030 or gbk)");
	assert_string_equal(t.text.buf, "");
	transcript_release(&t);
}

static void test_callback_stops(void **state)
{
	static const char in[] = "a\nb\r\nc\n";
	static const struct csvin_options o;

	(void)state;
	check_stop(in, sizeof(in) - 1, &o, "0@1 [a]\n1@2 [b]\n", 1, 7, 7);
	check_stop(in, sizeof(in) - 1, &o, "0@1 [a]\n1@2 [b]\n2@3 [c]\n",
		   2, 3, 3);
}

static void test_read_error(void **state)
{
	struct csvin_options o = { 0 };
	struct transcript t;
	char err[256] = "";
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	transcript_init(&t);
	assert_int_equal(csvin_read(f, "w.csv", &o, record_cb, &t, err,
				    sizeof(err)), -1);
	assert_string_equal(err, "w.csv: cannot read: Bad file descriptor");
	fclose(f);
	transcript_release(&t);

	/* A range that runs past the end of the file (it shrank): an error,
	 * after the records that were there. */
	FILE *g = tmpfile();
	assert_non_null(g);
	assert_int_equal(fwrite("a\nb\n", 1, 4, g), 4);
	assert_int_equal(fflush(g), 0);
	transcript_init(&t);
	o.chunk = 2;
	assert_int_equal(csvin_read_range(fileno(g), 0, 10, "s.csv", &o, record_cb, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "s.csv: cannot read: Input/output error");
	assert_string_equal(t.text.buf, "0@1 [a]\n1@2 [b]\n");
	fclose(g);
	transcript_release(&t);
}

/* A cell of size bytes of 'x' between two records. */
static char *big_input(size_t size, size_t *len)
{
	static const char head[] = "a,b,c\n1,", tail[] = ",z\n2,ok,y\n";
	char *in = malloc(sizeof(head) + size + sizeof(tail));

	assert_non_null(in);
	memcpy(in, head, sizeof(head) - 1);
	memset(in + sizeof(head) - 1, 'x', size);
	memcpy(in + sizeof(head) - 1 + size, tail, sizeof(tail));
	*len = sizeof(head) - 1 + size + sizeof(tail) - 1;
	return in;
}

static void test_big_cell(void **state)
{
	static const size_t chunks[] = { 0, 1, 4093, 65536, 1 << 20 };
	struct csvin_options o = { .max_cell = 1 << 20 };
	struct transcript t;
	char err[64] = "", *in;
	size_t len, i, limit;

	(void)state;
	in = big_input(3000000, &len);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		transcript_init(&t);
		t.watch_heap = true;
		t.heap_base = t.heap_peak = heap_in_use();
		assert_int_equal(run(in, len, &o, chunks[i], &t, err,
				     sizeof(err)), 0);
		/* The record: row, line, three fields, the problem. */
		assert_true(strncmp(t.text.buf, "0@1 [a|b|c]\n1@2 [1|xxx", 22)
			    == 0);
		assert_string_equal(t.text.buf + 22 + (1 << 20) - 3,
				    "|z] !cell 2 exceeds the cell limit of "
				    "1048576 bytes; expected a shorter cell (or "
				    "a larger --max-cell)\n2@3 [2|ok|y]\n");
		/* Buffers: max_cell in libcsv and up to 1.5 max_cell in the
		 * record, plus a few chunks; not the 3 MB of the cell, which
		 * would make 4 MiB with the record. */
		limit = 3 * (1 << 20) + 4 * (chunks[i] ? chunks[i] : 65536);
		if (limit < (4u << 20) && t.heap_peak - t.heap_base > limit)
			fail_msg("chunk %zu: %zu bytes in use", chunks[i],
				 t.heap_peak - t.heap_base);
		transcript_release(&t);
	}
	free(in);
}

/* A 10 MB quoted field never closed: one record, bounded memory. */
static void test_runaway_quote(void **state)
{
	struct csvin_options o = { 0 };
	struct transcript t;
	char err[64] = "", *in;
	size_t len, i;

	(void)state;
	in = malloc(10u << 20);
	assert_non_null(in);
	memcpy(in, "h\n\"", 3);
	for (i = 3; i < (10u << 20); i++)
		in[i] = i % 64 == 63 ? '\n' : 'y';
	len = 10u << 20;
	transcript_init(&t);
	t.watch_heap = true;
	t.heap_base = t.heap_peak = heap_in_use();
	assert_int_equal(run(in, len, &o, 0, &t, err, sizeof(err)), 0);
	assert_true(strstr(t.text.buf, "!cell 1 exceeds the cell limit") == NULL);
	assert_non_null(strstr(t.text.buf,
		"] !" UNTERMINATED(1, 2) "\n"));
	if (t.heap_peak - t.heap_base > (4u << 20))
		fail_msg("%zu bytes in use", t.heap_peak - t.heap_base);
	transcript_release(&t);
	free(in);
}

/* From a pipe, a quote never closed whose field outgrows what a record
 * may hold (16 times max_cell) is read as never closed as soon as it has,
 * and the lines after its own are read again from the bytes kept: the
 * same records as from the file, which reads them again at the end. */
static void test_runaway_quote_pipe(void **state)
{
	struct csvin_options o = { .max_cell = 64 };
	struct transcript a, b;
	char err[64] = "";
	struct strbuf in = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&in, "id,kind\nA0,\"never closed\n");
	for (int i = 1; i <= 2000; i++)
		strbuf_addf(&in, "A%d,plain\n", i);
	for (size_t chunk = 0; chunk <= 4096; chunk += chunk ? chunk : 7) {
		transcript_init(&a);
		transcript_init(&b);
		assert_int_equal(run(in.buf, in.len, &o, chunk, &a, err, sizeof(err)), 0);
		assert_int_equal(run_pipe(in.buf, in.len, &o, chunk, &b, err, sizeof(err)), 0);
		if (strcmp(a.full.buf, b.full.buf) != 0)
			fail_msg("chunk size %zu: from a pipe\n%.300s\nfrom the file\n%.300s", chunk, b.full.buf, a.full.buf);
		assert_non_null(strstr(a.text.buf, "2001@2002 [A2000|plain]"));
		transcript_release(&a);
		transcript_release(&b);
	}
	strbuf_release(&in);
}

static void test_check_utf8(void **state)
{
	static const char good[] = "\xEF\xBB\xBFh\n名称\r\n\xF0\x9F\x98\x80\n";
	static const char bad[] = "h\r\na\rb\n\"x\ny\xC9\xEA\"\n";
	static const char cut[] = "h\nab\xE4\xB8";
	size_t line = 0;
	unsigned byte = 0;
	FILE *f;
	int fds[2];

	(void)state;
	f = open_bytes(good, sizeof(good) - 1);
	assert_int_equal(fgetc(f), 0xEF);
	assert_int_equal(csvin_check_utf8(f, &line, &byte), 1);
	assert_int_equal(ftell(f), 0);
	fclose(f);

	f = open_bytes(bad, sizeof(bad) - 1);
	assert_int_equal(csvin_check_utf8(f, &line, &byte), 0);
	assert_int_equal(line, 5);
	assert_int_equal(byte, 0xC9);
	assert_int_equal(ftell(f), 0);
	assert_int_equal(fgetc(f), 'h');
	fclose(f);

	f = open_bytes(cut, sizeof(cut) - 1);
	assert_int_equal(csvin_check_utf8(f, &line, &byte), 0);
	assert_int_equal(line, 2);
	assert_int_equal(byte, 0xE4);
	fclose(f);

	f = open_bytes("", 0);
	assert_int_equal(csvin_check_utf8(f, &line, &byte), 1);
	fclose(f);

	/* A pipe cannot be rewound. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "a\n", 2), 2);
	close(fds[1]);
	f = fdopen(fds[0], "r");
	assert_non_null(f);
	assert_int_equal(csvin_check_utf8(f, &line, &byte), -1);
	fclose(f);
}

/* The check reads 64 KiB chunks: a character, a bad byte, a cut
 * character before a line end, a CRLF or a lone CR placed across every
 * offset near the first chunk's end (and the BOM's three bytes moving it),
 * against a plain reading of the whole input. */
static void ref_check(const unsigned char *b, size_t len, int *ok, size_t *line,
		      unsigned *byte)
{
	size_t i = len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	size_t k = i + utf8_valid_prefix((const char *)b + i, len - i);

	*ok = k == len;
	*line = 1;
	for (i = 0; i < k; i++)
		*line += b[i] == '\r' || (b[i] == '\n' && (i == 0 || b[i - 1] != '\r'));
	*byte = k < len ? b[k] : 0;
}

static void test_check_utf8_chunk_ends(void **state)
{
	static const char *const inserts[] = {
		"\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC3\xA9", "\xFF", "\xE4\xB8\n",
		"\xE4\n\xB8", "\r\n\xC9", "\r\xC9", "\n\xE4\xB8", "\xED\xA0\x80",
		"\xF0\x9F\x98", "\r\n", "\xE4\xB8\xAD\xE4\xB8",
	};
	size_t size = (64 << 10) + 64;
	unsigned char *b = malloc(size);

	(void)state;
	assert_non_null(b);
	for (size_t k = 0; k < sizeof inserts / sizeof inserts[0]; k++) {
		size_t n = strlen(inserts[k]);

		for (size_t at = (64 << 10) - 6; at <= (64 << 10) + 2; at++) {
			for (int bom = 0; bom < 2; bom++) {
				for (size_t i = 0; i < size; i++)
					b[i] = i % 61 == 60 ? '\n' : i % 7 == 3 ? '\r' : 'a';
				if (bom)
					memcpy(b, "\xEF\xBB\xBF", 3);
				memcpy(b + at, inserts[k], n);
				for (size_t len = at + n - 1; len <= at + n + 1; len++) {
					int want_ok;
					size_t want_line, line = 0;
					unsigned want_byte, byte = 0;
					FILE *f = open_bytes((const char *)b, len);

					ref_check(b, len, &want_ok, &want_line, &want_byte);
					assert_int_equal(csvin_check_utf8(f, &line, &byte), want_ok);
					if (!want_ok) {
						assert_int_equal(line, want_line);
						assert_int_equal(byte, want_byte);
					}
					assert_int_equal(ftell(f), 0);
					fclose(f);
				}
			}
		}
	}
	free(b);
}

/* Plain lines are split without libcsv (csvin.c, split_plain): on random
 * inputs built from the bytes that matter (commas, quotes, spaces, tabs,
 * line ends, NUL, multi-byte and invalid UTF-8) and with small limits, the
 * callbacks are the same as when libcsv reads every line. */
static void test_plain_lines_as_libcsv(void **state)
{
	static const char *const bits[] = {
		"a", "bc", ",", ",", " ", "\t", "\"", "\n", "\n", "\r", "\r\n",
		"\xE4\xB8\xAD", "\xFF", "\0", "  ", "x y",
	};
	static const size_t cells[] = { 0, 3, 6 }, fields[] = { 0, 2, 5 };
	unsigned long long seed = 12345;
	char in[256];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = 0;
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int parts = (int)(seed >> 59);   /* 0..31 */
		for (int k = 0; k < parts; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t b = (size_t)(seed >> 33) % (sizeof bits / sizeof bits[0]);
			size_t n = b == 13 ? 1 : strlen(bits[b]);
			memcpy(in + len, bits[b], n);
			len += n;
		}
		struct csvin_options o = { .max_cell = cells[round % 3],
					   .max_fields = fields[round / 3 % 3] };
		struct csvin_options ref = o;
		ref.libcsv_only = true;
		struct transcript a, b;
		char err[256] = "";
		transcript_init(&a);
		transcript_init(&b);
		run(in, len, &o, 0, &a, err, sizeof err);
		run(in, len, &ref, 0, &b, err, sizeof err);
		if (strcmp(a.full.buf, b.full.buf) != 0) {
			struct strbuf shown = STRBUF_INIT;
			escape(&shown, in, len);
			fail_msg("input '%s':\n%s\nlibcsv:\n%s", shown.buf, a.full.buf, b.full.buf);
		}
		transcript_release(&a);
		transcript_release(&b);
	}
}

/* utf8_checked: the caller vouches for the bytes; they are not looked at
 * again (so a byte that is not UTF-8 passes as it is, with no problem). */
static void test_utf8_checked(void **state)
{
	struct csvin_options o = { .utf8_checked = true };

	(void)state;
	CHECK_OPT("a,\xE4\xB8\xAD\nb,c\n", o, "0@1 [a|\xE4\xB8\xAD]\n1@2 [b|c]\n");
	CHECK_OPT("a,\xFF\n", o, "0@1 [a|\xFF]\n");
}

/* A large file checked in two halves at once (--jobs) gives the answer of
 * the check in one piece: valid, or the first bad byte and its line, with
 * bad bytes in either half, in both, and at the cut between them. */
static void test_check_utf8_halves(void **state)
{
	size_t size = (9u << 20) + 77, mid = size / 2;
	unsigned char *b = malloc(size);
	const size_t at[][2] = {
		{ 0, 0 }, { 100, 0 }, { size - 5, 0 }, { 100, size - 5 },
		{ mid - 1, 0 }, { mid, 0 }, { mid + 1, 0 }, { mid + 2, mid + 40 },
	};

	(void)state;
	assert_non_null(b);
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		for (size_t i = 0; i < size; i++)
			b[i] = i % 50 == 45 ? '\n' : "a,\xE4\xB8\xAD"[i % 5];
		/* "a,中" repeated: a character straddles many offsets, the cut
		 * among them. */
		for (int j = 0; j < 2; j++)
			if (at[k][j])
				b[at[k][j]] = 0xFF;
		FILE *f = tmpfile();
		assert_non_null(f);
		assert_int_equal(fwrite(b, 1, size, f), size);
		fflush(f);
		size_t line1 = 0, line2 = 0;
		unsigned byte1 = 0, byte2 = 0;
		int one = csvin_check_utf8(f, &line1, &byte1);
		int two = csvin_check_utf8_ways(f, 2, &line2, &byte2);
		assert_int_equal(one, two);
		assert_int_equal(line1, line2);
		assert_int_equal(byte1, byte2);
		assert_int_equal(one, at[k][0] || at[k][1] ? 0 : 1);
		fclose(f);
	}
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_plain_lines_as_libcsv),
		cmocka_unit_test(test_utf8_checked),
		cmocka_unit_test(test_check_utf8_halves),
		cmocka_unit_test(test_quoted_commas),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_lone_cr),
		cmocka_unit_test(test_mixed_line_ends),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_stray_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_small_cell_limit),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_encoding_names),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_gb18030_invalid),
		cmocka_unit_test(test_gb18030_truncated),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_gb18030_bom),
		cmocka_unit_test(test_bom_length),
		cmocka_unit_test(test_unknown_encoding),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_big_cell),
		cmocka_unit_test(test_runaway_quote),
		cmocka_unit_test(test_runaway_quote_pipe),
		cmocka_unit_test(test_check_utf8),
		cmocka_unit_test(test_check_utf8_chunk_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
