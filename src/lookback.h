/*
 * lookback — the latest bytes of a stream kept, so that it can be read
 * again from an offset among them, as a regular file can be sought.
 *
 * csvin reads the lines after a quote that was never closed again, as
 * records of their own; from a file it seeks back, and from a pipe read
 * as it comes (--encoding) it reads the bytes kept here, so that a pipe
 * gives the file's records (within the record limit: csvin.c,
 * stream_quote_too_long).  The reader says
 * what it will not go back before (the start of the record it is in), so
 * what is kept is that record and the chunk being read; and never more
 * than `limit` bytes: past it, the bytes kept so far are let go, and the
 * record they began cannot be read again (lookback_kept_from says from
 * where it can).  Memory does not grow with the input.
 *
 * Offsets count the stream's bytes from the first read through here.
 * Relies on nothing of verdict's own.
 */
#ifndef VERDICT_LOOKBACK_H
#define VERDICT_LOOKBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct lookback {
	unsigned char *buf;   /* the stream's bytes [base, base + len) */
	size_t len, cap, limit;
	long long base;
	long long pos;        /* the offset of the next byte read */
};

void lookback_init(struct lookback *lb, size_t limit);
void lookback_release(struct lookback *lb);

/* Up to n bytes at pos into dst, as fread: those kept first, then from f
 * (kept in turn).  Fewer than n only at the end of f or on its error. */
size_t lookback_read(struct lookback *lb, FILE *f, unsigned char *dst, size_t n);

/* Keep nothing before off: no read will go back before it. */
void lookback_forget_before(struct lookback *lb, long long off);

/* Read again from pos: true when its bytes are kept (from
 * lookback_kept_from to the furthest read), else false, nothing changed. */
bool lookback_seek(struct lookback *lb, long long pos);

/* The first offset that can be read again. */
long long lookback_kept_from(const struct lookback *lb);

#endif
