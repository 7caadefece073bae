/*
 * early_check — the UTF-8 check of a large input begun in a child process
 * before the rules load (--jobs), so that the two take the same time
 * rather than one after the other; and, in the same pass, the places
 * where --jobs may cut the file into chunks.
 *
 * check refuses a file that is not valid UTF-8 before it evaluates any
 * record: every byte is read once before the first record.  On one core
 * that read waits its turn; with two, a child reads the file while the
 * parent compiles the rule set (some 10 ms each for 50 MB).  The child
 * answers "valid up to the end" or "not"; for "not" (or no answer) the
 * parent checks again the usual way, which finds the line to name.
 *
 * As it reads, the child also marks record ends (chunks.h, chunk_scan):
 * one at least every `grid` bytes, with the line that begins there.  It
 * sends them as it goes, before its answer, through the same pipe; the
 * parent takes them as cuts for the workers' chunks and never reads the
 * file itself (that read had been a third of its work).  Marks read
 * while the parent waits for the answer are kept for later, up to
 * EARLY_MARKS_MAX; past that the parent cuts the rest by itself.
 */
#ifndef VERDICT_EARLY_CHECK_H
#define VERDICT_EARLY_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "chunks.h"

struct early_check {
	pid_t pid;            /* the child, or 0: none running */
	int fd;               /* its messages: marks, then the answer */
	dev_t dev;            /* the file it checks, to know it is the same one */
	ino_t ino;
	off_t size;
	struct timespec mtime;
	/* the marks */
	bool marks;           /* the child sends marks (grid > 0) */
	struct chunk_mark *kept;   /* read ahead while waiting for the answer */
	size_t kept_at, kept_len, kept_room;
	bool dropped;         /* more than EARLY_MARKS_MAX were read ahead */
	bool ended;           /* the answer (or the pipe's end) has been read */
	uint64_t valid_upto;  /* the answer: the size if valid, (uint64_t)-1 if none */
	uint64_t end_line;    /* the line after the last byte */
	char in[4080];        /* messages read from the pipe, not yet taken */
	size_t in_at, in_len;
};

/* Files smaller than this are checked at once, in the process
 * (VERDICT_EARLY_CHECK_MIN, for tests, sets another). */
#define EARLY_CHECK_MIN ((off_t)8 << 20)
/* Marks kept while the parent waits for the answer: 1.5 MiB. */
#define EARLY_MARKS_MAX ((size_t)1 << 16)

/* Start checking the file at path in a child, marking record ends every
 * grid bytes or so (none if grid is 0); false (and nothing started) if
 * it is not a regular file of EARLY_CHECK_MIN bytes or more, or no child
 * can be made. */
bool early_check_start(struct early_check *ec, const char *path, size_t grid);

/* The child's answer for the file now open as f: true if it found every
 * byte valid UTF-8 (after an optional BOM) and f is the file it read,
 * unchanged since; false otherwise.  The child is reaped; marks it sent
 * and that were not taken yet are kept for early_check_next_mark. */
bool early_check_valid(struct early_check *ec, FILE *f);

/* The next mark, in file order (waiting for the child if need be):
 * true and *m; false when there is none left. */
bool early_check_next_mark(struct early_check *ec, struct chunk_mark *m);

/* After early_check_next_mark said false: true if the child marked the
 * whole file (every record end that ends a grid is marked; after the last
 * mark, the rest of the file is one piece), with *end_line the line after
 * its last byte; false if the marks stopped short (a bad byte, a read
 * error, too many kept): the caller cuts the rest itself. */
bool early_check_marked_all(const struct early_check *ec, uint64_t *end_line);

/* Reap the child if it is still there (the run stopped before asking),
 * and free what is kept. */
void early_check_end(struct early_check *ec);

#endif
