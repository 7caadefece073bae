/*
 * csvin — streaming CSV input (RFC 4180) with positions and encodings.
 *
 * Reads a FILE in fixed-size chunks (never the whole file), converts from
 * GB18030/GBK to UTF-8 with iconv when asked (GBK as Windows code page 936
 * has it: GB18030, and the single byte 0x80 for the euro sign), drops a
 * byte-order mark (UTF-8's; with GB18030/GBK also theirs, 84 31 95 33),
 * parses with libcsv (a line with no quote is split directly, with the
 * same result) and calls back once per record (the header is record
 * row 0).  Line ends may be LF, CRLF or a lone CR; a quoted field may span
 * lines; blank lines between records are skipped.
 *
 * Positions: `line` is the 1-based physical line where the record starts
 * (LF, CRLF and lone CR each end a line); `row` counts records, 0 for the
 * header.  libcsv reports no positions, so csvin feeds it one line at a
 * time and watches its parser state.
 *
 * Damage is reported per record, never by stopping: a record whose bytes
 * are not valid UTF-8 (no --encoding), cannot be converted from the given
 * encoding, holds a NUL byte, has a cell longer than max_cell, has more
 * than max_fields fields or more than 16 * max_cell bytes in all gets
 * `problem` set to a message naming the cell by its 1-based number, e.g.
 * "NUL byte in cell 3" (English; the field values are then
 * unreliable but still given: invalid UTF-8 as it is, unconvertible bytes
 * and NUL bytes as U+FFFD, a long cell cut to its first max_cell bytes on
 * a character boundary, fields past max_fields dropped, fields past the
 * record limit empty).  When a record has several problems, the first in
 * the record is given.  The only errors that stop reading are I/O errors
 * and an unknown encoding name; csvin_read then returns -1 with a message
 * in err.  An unterminated quote at end of input still yields its record
 * (its last field runs to the end of input), with the problem
 * "unterminated quoted field in cell C (opened on line N)", which
 * outranks others.
 *
 * Parsing is libcsv's, lenient: spaces and tabs around an unquoted field
 * are dropped (callers still trim: quoted fields keep theirs), a quote
 * inside an unquoted field is text, and so is a quote inside a quoted
 * field when no comma or line end follows it (the field goes on).  A line
 * of nothing but spaces is blank.
 *
 * Ownership: every pointer in a csvin_record is borrowed and valid only
 * during the callback.  Fields are NUL-terminated for convenience.
 * Relies on libcsv (only this module includes csv.h), iconv and json.h
 * (UTF-8 validation).
 */
#ifndef VERDICT_CSVIN_H
#define VERDICT_CSVIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct csvin_record {
	size_t row;            /* 0 = header, then 1, 2, ... */
	size_t line;           /* physical line where the record starts */
	size_t nfields;
	const char **fields;   /* nfields pointers, each NUL-terminated */
	const size_t *lens;    /* byte length of each field */
	const char *problem;   /* NULL, or why this record cannot be trusted */
	long long bytes_read;  /* raw input bytes consumed so far (progress):
				  up to the end of this record's last line */
};

/* Return 0 to go on, non-zero to stop reading (csvin_read returns it). */
typedef int (*csvin_record_fn)(void *ctx, const struct csvin_record *rec);

struct csvin_options {
	const char *encoding;  /* NULL or "utf-8": UTF-8; "gb18030" or "gbk" */
	size_t max_cell;       /* bytes; 0 = CSVIN_DEFAULT_MAX_CELL */
	size_t max_fields;     /* per record; 0 = CSVIN_DEFAULT_MAX_FIELDS */
	size_t chunk;          /* bytes per read; 0 = 64 KiB (tests vary it) */
	/* Reading a piece of a larger input that starts where a record does
	 * (the raw chunks of --jobs): */
	size_t first_row;      /* row of the first record (0: it is the header) */
	size_t first_line;     /* its physical line; 0 = 1 */
	bool mid_stream;       /* not the start of the input: no byte-order mark */
	bool *open_at_end;     /* if not NULL: set when the input ends inside a
				  record (no line end after its last cell) */
	bool utf8_checked;     /* the caller has found every byte valid UTF-8
				  (csvin_check_utf8): not validated again */
	bool libcsv_only;      /* no shortcut for plain lines: libcsv reads
				  every line (tests compare the two) */
	size_t expect_fields;  /* cells of the header, when the bytes do not
				  begin with it (0: the first record's) */
	bool more_follows;     /* the input goes on after these bytes (a chunk
				  of --jobs): a quoted field open at their end
				  is left open (open_at_end), not cut */
};

#define CSVIN_DEFAULT_MAX_CELL   (1u << 20)  /* 1 MiB */
#define CSVIN_DEFAULT_MAX_FIELDS 20000
#define CSVIN_BOM_MAX            4   /* bytes of the longest byte-order mark */

/*
 * Read all of f.  name is used in messages only.  Returns 0 at end of
 * input, the callback's non-zero value if it stopped, or -1 on an I/O or
 * set-up error with a message "NAME: what happened" in err.
 */
int csvin_read(FILE *f, const char *name, const struct csvin_options *opt,
	       csvin_record_fn fn, void *ctx, char *err, size_t errlen);

/* The length of the byte-order mark that head (n bytes, the first of an
 * input) starts with, in the encoding named as csvin_options has it; 0 if
 * none (or the name is unknown).  csvin_read drops it itself. */
size_t csvin_bom_length(const void *head, size_t n, const char *encoding);

/* The same over len bytes in memory (a file mapped read-only: nothing is
 * written to them).  Reads as csvin_read does, with no copy. */
int csvin_read_mem(const char *buf, size_t len, const char *name, const struct csvin_options *opt,
		   csvin_record_fn fn, void *ctx, char *err, size_t errlen);

/* The same over len bytes of the file fd from offset, read with pread a
 * chunk at a time (a --jobs worker's chunk: the buffer is reused, and
 * stays in the cache).  A read error, or a file that ends before the
 * range does, returns -1 with a message. */
int csvin_read_range(int fd, long long offset, size_t len, const char *name,
		     const struct csvin_options *opt, csvin_record_fn fn, void *ctx, char *err,
		     size_t errlen);

/* Whether the file's bytes, read from the start to the end, are all valid
 * UTF-8 (after an optional BOM): 1 if so, 0 if not, and then *bad_line is
 * the physical line of the first invalid byte and *bad_byte its value (the
 * first byte of the invalid or truncated sequence).  Leaves f rewound to
 * the start.  Only for seekable files; returns -1 if f cannot be rewound
 * or a read fails. */
int csvin_check_utf8(FILE *f, size_t *bad_line, unsigned *bad_byte);
/* The same; with ways >= 2, a large regular file is checked in two
 * halves at once, the second in a child process (for --jobs). */
int csvin_check_utf8_ways(FILE *f, int ways, size_t *bad_line, unsigned *bad_byte);
/* Bytes [from, to) of the file fd (read with pread): to if they are valid
 * UTF-8, else the offset of the first bad byte; (size_t)-1 if they
 * cannot be read.  No BOM is skipped: from is past it. */
size_t csvin_utf8_valid_upto(int fd, size_t from, size_t to);
/* The same, and each(ctx, bytes, n) for every piece read, in order, as it
 * is read (from `from` on; the last piece may go past a bad byte).  each
 * returns false to stop there: the answer is then (size_t)-1. */
typedef bool (*csvin_bytes_fn)(void *ctx, const char *bytes, size_t n);
size_t csvin_utf8_valid_each(int fd, size_t from, size_t to, csvin_bytes_fn each, void *ctx);
/* Where the check of fd starts: 3 after a byte-order mark, else 0. */
size_t csvin_utf8_start(int fd);
/* csvin_utf8_valid_upto(fd, from, to) in a child process; 0 when it is
 * started (*pid, and *answer to read it from), -1 when no child can be
 * made.  csvin_utf8_child_answer takes its answer, closes answer and
 * reaps the child: as csvin_utf8_valid_upto returns, (size_t)-1 when the
 * child gave none. */
int csvin_utf8_child_start(int fd, size_t from, size_t to, pid_t *pid, int *answer);
size_t csvin_utf8_child_answer(pid_t pid, int answer);

#endif
