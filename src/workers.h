/*
 * workers — evaluating records in N worker processes, output in input order.
 *
 * The parent reads the input and hands records out in batches; each worker
 * is a fork() of the parent made once the header is known, so it already
 * holds its own copy of the loaded rule set (its own Lua state).  A worker
 * evaluates a whole batch, writes that batch's output into memory and sends
 * it back with the batch's counts; the parent writes the outputs in batch
 * order, so the result is byte-identical to one process.  Should a worker
 * die, the parent evaluates that batch itself: no record is lost.
 *
 * Relies on csvin.h (records) and POSIX fork, pipes, open_memstream.
 * Everything a batch holds is copied: the parent's records are borrowed
 * only during workers_add.
 */
#ifndef VERDICT_WORKERS_H
#define VERDICT_WORKERS_H

#include <stddef.h>
#include <stdio.h>
#include "csvin.h"

struct workers_ops {
	/* In a worker (or the parent, as a fallback): output of the records
	 * that follow goes to out; counts start from zero. */
	void (*begin_batch)(void *ctx, FILE *out);
	/* Evaluate and write one record. */
	int (*process)(void *ctx, const struct csvin_record *rec);
	/* The counts of the batch, as bytes to send back. */
	void (*end_batch)(void *ctx, const void **counts, size_t *len);
	/* In the parent: a batch's output and counts, in input order. */
	void (*merge)(void *ctx, const char *out, size_t outlen, const void *counts, size_t len);
	void *ctx;
};

struct workers;

/* Fork n workers (n >= 2).  NULL when they cannot be started (the caller
 * then evaluates in one process). */
struct workers *workers_start(int n, const struct workers_ops *ops);
/* Queue one record (copied). */
void workers_add(struct workers *w, const struct csvin_record *rec);
/* Send what is queued, collect every result in order, stop the workers. */
void workers_finish(struct workers *w);

/* The number of online processors (for --jobs 0). */
int workers_cpu_count(void);

#endif
