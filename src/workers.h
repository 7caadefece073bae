/*
 * workers — jobs done in N worker processes, results taken in order.
 *
 * Each worker is a fork() of the parent made once the header is known, so
 * it already holds its own copy of the loaded rule set (its own Lua state
 * and native plans).  A job is a string of bytes: the parent submits jobs,
 * a worker runs each (ops->run) into a result, and the parent receives the
 * results (ops->merge) in the order the jobs were submitted, so that
 * output written from them is byte-identical to one process.  What a job
 * is (a batch of parsed records, a raw chunk of the input) is the
 * caller's business (batch.c).  Should a worker die, the parent runs its
 * job itself: no record is lost.
 *
 * Jobs go to whichever worker has room (it holds fewer than two), not in
 * turn, so that a worker that is ahead takes more of them.  A result
 * travels back through memory shared with the parent and every worker
 * (`slots` slots a worker, one of which a job's result goes to: one of
 * its worker's own when one is free, else any free one), or, when larger
 * than a slot, through the pipe; the parent reads results while it waits
 * for room to hand out a job, so a worker writing a large result and the
 * parent writing it a job never wait on each other.  Results are merged
 * in order, so the slots bound how far a worker can run ahead of the
 * oldest job out: n * slots jobs out at once.
 *
 * Relies on POSIX fork, pipes and shared anonymous mappings.
 */
#ifndef VERDICT_WORKERS_H
#define VERDICT_WORKERS_H

#include <stddef.h>
#include <stdio.h>
#include "strbuf.h"

struct workers_ops {
	/* In a worker (or in the parent when the worker is gone): do the job
	 * and append its result to out. */
	void (*run)(void *ctx, const char *job, size_t len, struct strbuf *out);
	/* In the parent: the result of each job, in submission order. */
	void (*merge)(void *ctx, const char *result, size_t len);
	void *ctx;
};

struct workers;

/* Fork n workers (n >= 2), with `slots` (>= 2) slots of result memory
 * each.  NULL when they cannot be started (the caller then works in one
 * process). */
struct workers *workers_start(int n, int slots, const struct workers_ops *ops);
/* Hand a job (copied) to a worker with room, merging the results that are
 * there on the way; waits while as many jobs are out as there are slots,
 * or while no worker has room. */
void workers_submit(struct workers *w, const char *job, size_t len);
/* True when no worker has room for another job: each holds as many as
 * it can (or none is left). */
bool workers_full(const struct workers *w);
/* Merge every result still out, then stop the workers. */
void workers_finish(struct workers *w);

/* The number of online processors (for --jobs 0). */
int workers_cpu_count(void);

#endif
