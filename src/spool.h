/*
 * spool — an input that cannot be read twice (a pipe, a FIFO, a terminal)
 * copied to a temporary file that can, so that it is read as a file is:
 * its UTF-8 checked whole before any output, then parsed (and, with
 * --jobs, cut into chunks for the workers).
 *
 * The copy is made in $TMPDIR (default /tmp) with no name (O_TMPFILE, or
 * mkstemp and unlink where the file system has no O_TMPFILE): it is gone
 * when closed, or when the process ends, however it ends.  It is copied
 * a fixed 256 KiB at a time: memory does not grow with the input, only
 * the disk copy does.
 *
 * Relies on nothing of verdict's own.  The FILE returned is the caller's
 * to fclose; in is left open.
 */
#ifndef VERDICT_SPOOL_H
#define VERDICT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Copy the rest of in to an unnamed temporary file and return it, open
 * for reading at its start.  On failure (TMPDIR missing or not writable,
 * the disk full, a read error) NULL, with a message in err naming the
 * directory and the system's reason, that begins "cannot copy ..." (the
 * caller puts the input's name before it). */
FILE *spool_copy(FILE *in, char *err, size_t errlen);
/* Told the first line of a CSV input once it is whole (its bytes up to
 * and with the CR or LF that ends it, at most SPOOL_FIRST_LINE_MAX): true
 * when the reader will refuse it as a header, and so need not see more. */
typedef bool (*spool_first_line_fn)(void *ctx, const char *line, size_t len);

#define SPOOL_FIRST_LINE_MAX ((size_t)1 << 20)

/* The same for a CSV input whose header is its first line (not with
 * --header-from, whose first line is a record): the copy stops once that
 * line holds a NUL byte (no header the reader takes: it refuses what the
 * copy holds), rather than copy all of `cat /dev/zero |` first; and, when
 * refused is not NULL, once refused(ctx, ...) says the whole first line is
 * a header the reader refuses (`yes | verdict check -`, or a large pipe
 * given the wrong -d, refused at once rather than after the copy).  The
 * copy then holds the first line and at most one step after it. */
FILE *spool_copy_csv(FILE *in, spool_first_line_fn refused, void *ctx, char *err, size_t errlen);

/* The directory spool_copy writes in: $TMPDIR if set and not empty,
 * else /tmp. */
const char *spool_dir(void);

#endif
