/*
 * early_check — the UTF-8 check of a large input begun in a thread of its
 * own before the rules load (--jobs), so that the two take the same time
 * rather than one after the other; and, in the same pass, the places
 * where --jobs may cut the file into chunks.
 *
 * check refuses a file that is not valid UTF-8 before it evaluates any
 * record: every byte is read once before the first record.  On one core
 * that read waits its turn; with two, a thread reads the file while the
 * main thread compiles the rule set (some 10 ms each for 50 MB).  The
 * thread answers "valid up to the end" or "not"; for "not" (or no
 * answer) the caller checks again the usual way, which finds the line to
 * name.
 *
 * A thread, not a child process: a child made before the rules load
 * shares every page of the parent's heap, and each page the loading then
 * writes was copied on its first write (some 350 page faults at 10-13 us
 * each on the reference machine, which doubled the load's wall time).
 * The thread writes only its own buffer and the marks below, under a
 * lock; it blocks every signal, so they go to the main thread as before.
 *
 * As it reads, the thread also marks record ends (chunks.h, chunk_scan):
 * one at least every `grid` bytes, with the line that begins there; the
 * main thread takes them as cuts for the workers' chunks and never reads
 * the file itself (that read had been a third of its work).  Marks not
 * yet taken are held up to EARLY_MARKS_MAX; past that the thread stops
 * marking and the caller cuts the rest by itself.
 */
#ifndef VERDICT_EARLY_CHECK_H
#define VERDICT_EARLY_CHECK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "chunks.h"

struct early_marks;       /* shared with the thread (early_check.c) */

struct early_check {
	bool running;         /* a thread was started and has not been joined */
	pthread_t thread;
	struct early_marks *sh;
	dev_t dev;            /* the file it checks, to know it is the same one */
	ino_t ino;
	off_t size;
	struct timespec mtime;
	bool marks;           /* the thread marks record ends (grid > 0) */
	/* the answer, once taken from the thread */
	bool ended;           /* taken (every mark before it taken too, for next_mark) */
	bool dropped;         /* more than EARLY_MARKS_MAX were waiting: marks stopped */
	uint64_t valid_upto;  /* the size if valid, (uint64_t)-1 if no answer */
	uint64_t end_line;    /* the line after the last byte */
};

/* Files smaller than this are checked at once, in the process
 * (VERDICT_EARLY_CHECK_MIN, for tests, sets another). */
#define EARLY_CHECK_MIN ((off_t)8 << 20)
/* Marks held for the main thread at most: 1 MiB. */
#define EARLY_MARKS_MAX ((size_t)1 << 16)

/* Start checking the file at path in a thread, marking record ends every
 * grid bytes or so (none if grid is 0); false (and nothing started) if
 * it is not a regular file of EARLY_CHECK_MIN bytes or more, or no thread
 * can be made. */
bool early_check_start(struct early_check *ec, const char *path, size_t grid);

/* The thread's answer for the file now open as f (waiting for it): true
 * if it found every byte valid UTF-8 (after an optional BOM) and f is the
 * file it read, unchanged since; false otherwise.  The thread is joined;
 * marks not taken yet stay for early_check_next_mark. */
bool early_check_valid(struct early_check *ec, FILE *f);

/* The next mark, in file order (waiting for the thread if need be):
 * true and *m; false when there is none left. */
bool early_check_next_mark(struct early_check *ec, struct chunk_mark *m);

/* After early_check_next_mark said false: true if the thread marked the
 * whole file (every record end that ends a grid is marked; after the last
 * mark, the rest of the file is one piece), with *end_line the line after
 * its last byte; false if the marks stopped short (a bad byte, a read
 * error, too many kept): the caller cuts the rest itself. */
bool early_check_marked_all(const struct early_check *ec, uint64_t *end_line);

/* Stop and join the thread if it is still there (the run stopped before
 * asking), and free the marks. */
void early_check_end(struct early_check *ec);

#endif
