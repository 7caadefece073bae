/*
 * early_check — the UTF-8 check of a large input begun in a child process
 * before the rules load (--jobs), so that the two take the same time
 * rather than one after the other.
 *
 * check refuses a file that is not valid UTF-8 before it evaluates any
 * record: every byte is read once before the first record.  On one core
 * that read waits its turn; with two, a child reads the file while the
 * parent compiles the rule set (some 10 ms each for 50 MB).  The child
 * answers "valid up to the end" or "not"; for "not" (or no answer) the
 * parent checks again the usual way, which finds the line to name.
 */
#ifndef VERDICT_EARLY_CHECK_H
#define VERDICT_EARLY_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

struct early_check {
	pid_t pid;            /* the child, or 0: none running */
	int fd;               /* its answer: the first bad offset, or the size */
	dev_t dev;            /* the file it checks, to know it is the same one */
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/* Files smaller than this are checked at once, in the process. */
#define EARLY_CHECK_MIN ((off_t)8 << 20)

/* Start checking the file at path in a child; false (and nothing
 * started) if it is not a regular file of EARLY_CHECK_MIN bytes or more,
 * or no child can be made. */
bool early_check_start(struct early_check *ec, const char *path);

/* The child's answer for the file now open as f: true if it found every
 * byte valid UTF-8 (after an optional BOM) and f is the file it read,
 * unchanged since; false otherwise.  The child is reaped. */
bool early_check_valid(struct early_check *ec, FILE *f);

/* Reap the child if it is still there (the run stopped before asking). */
void early_check_end(struct early_check *ec);

#endif
