/* workers — jobs done in worker processes, results in order; see workers.h. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/mman.h>
#include "pages.h"
#include "strbuf.h"
#include "workers.h"

/* Jobs a worker may hold at once: while the parent merges one result, the
 * worker is already on its next job instead of waiting for it. */
#define DEPTH 2
#define DEPTH_MAX DEPTH

/* A result is written straight into a slot of memory shared with the
 * parent, and only its length goes through the pipe: no copy on the way,
 * and no ping-pong on a full pipe.  One larger than a slot goes through
 * the pipe as it is. */
#define SLOT_BYTES ((size_t)4 << 20)
#define IN_SLOT    ((uint64_t)1 << 63)   /* flag on the length sent */

struct worker {
	pid_t pid;
	int to, from;             /* pipe ends: batches out, results in */
	bool alive;
	char *slot[DEPTH_MAX];    /* shared with the parent; its k-th job's
				     result goes in slot[k % DEPTH] */
};


struct workers {
	int n;
	struct worker *w;
	const struct workers_ops *ops;
	struct strbuf *inflight;  /* n * DEPTH: job s kept at s % (n * DEPTH),
				     for a fallback */
	size_t next;              /* sequence number of the next job */
	size_t done;              /* of the next result to merge */
};

int workers_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* ---- Plain I/O on pipes ---- */

static int write_all(int fd, const void *p, size_t len)
{
	const char *s = p;
	while (len) {
		ssize_t k = write(fd, s, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		len -= (size_t)k;
	}
	return 0;
}

static int read_all(int fd, void *p, size_t len)
{
	char *s = p;
	while (len) {
		ssize_t k = read(fd, s, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Run a job here; its result replaces out. */
static void run_job(const struct workers_ops *ops, const char *job, size_t len, struct strbuf *out)
{
	strbuf_reset(out);
	ops->run(ops->ctx, job, len, out);
}

/* ---- The worker process ---- */

/* A worker's slots are mapped in one call (pages_populate) as far as its
 * results reach, rather than a page fault at a time as results first fill
 * them (a fault costs 10 us or more on a paravirtualized machine): the
 * first SLOT_WARM bytes (1.5 MiB) when it starts (a csv chunk's result is
 * 1-1.2 MiB), then, whenever a result reaches further, a quarter beyond it (a
 * jsonl chunk's result is about 3 MiB).  Not the whole slot at once: the
 * pages count in each process's resident memory. */
#define SLOT_WARM ((size_t)3 << 19)

static void warm_slots(char *const *slot, size_t *warm, size_t need)
{
	if (need > SLOT_BYTES)
		need = SLOT_BYTES;
	if (need <= *warm)
		return;
	for (int d = 0; d < DEPTH; d++)
		if (slot[d])
			pages_populate(slot[d], need);
	*warm = need;
}

static void worker_main(const struct workers_ops *ops, int in, int out, char *const *slot)
{
	struct strbuf batch = STRBUF_INIT, result = STRBUF_INIT;
	size_t warm = 0;
	warm_slots(slot, &warm, SLOT_WARM);
	for (size_t k = 0;; k++) {
		uint64_t len;
		if (read_all(in, &len, sizeof len) != 0 || len == 0)
			break;
		strbuf_reset(&batch);
		strbuf_grow(&batch, (size_t)len);
		if (read_all(in, batch.buf, (size_t)len) != 0)
			break;
		batch.len = (size_t)len;
		/* The result is written straight into this job's slot (free:
		 * the parent took the slot's last result before it sent this
		 * job); one that outgrows the slot moves to the heap and goes
		 * through the pipe. */
		char *into = slot[k % DEPTH];
		if (into)
			strbuf_borrow(&result, into, SLOT_BYTES);
		run_job(ops, batch.buf, batch.len, &result);
		uint64_t rlen = result.len;
		if (into && result.borrowed) {
			warm_slots(slot, &warm, result.len + result.len / 4);
			rlen |= IN_SLOT;
			if (write_all(out, &rlen, sizeof rlen) != 0)
				break;
			continue;
		}
		if (write_all(out, &rlen, sizeof rlen) != 0 || write_all(out, result.buf, result.len) != 0)
			break;
	}
	_exit(0);
}

static void unmap_slots(char *const *slot)
{
	for (int d = 0; d < DEPTH; d++)
		if (slot[d])
			munmap(slot[d], SLOT_BYTES);
}

struct workers *workers_start(int n, const struct workers_ops *ops)
{
	struct workers *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->n = n;
	w->ops = ops;
	w->w = calloc((size_t)n, sizeof *w->w);
	w->inflight = calloc((size_t)n * DEPTH, sizeof *w->inflight);
	if (!w->w || !w->inflight)
		abort();
	for (int i = 0; i < n * DEPTH; i++)
		strbuf_init(&w->inflight[i]);
	signal(SIGPIPE, SIG_IGN);
	/* Jobs and results are a few MiB each, made and freed again and again:
	 * keep such blocks in the heap for reuse rather than mapping fresh,
	 * zeroed pages from the kernel for every one. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	fflush(NULL);   /* nothing buffered may be written twice */
	for (int i = 0; i < n; i++) {
		int down[2], up[2];
		char *slot[DEPTH_MAX] = { NULL };
		for (int d = 0; d < DEPTH; d++) {
			void *m = mmap(NULL, SLOT_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			slot[d] = m == MAP_FAILED ? NULL : m;   /* none: through the pipe */
		}
		if (pipe(down) != 0 || pipe(up) != 0) {
			unmap_slots(slot);
			return w;   /* fewer workers; the parent covers the rest */
		}
#ifdef F_SETPIPE_SZ
		/* Room for a whole result (csv: about half a MiB a chunk), so
		 * that a worker can hand it over and go on at once. */
		fcntl(up[1], F_SETPIPE_SZ, 1 << 20);
#endif
		pid_t pid = fork();
		if (pid < 0) {
			close(down[0]); close(down[1]); close(up[0]); close(up[1]);
			unmap_slots(slot);
			continue;
		}
		if (pid == 0) {
			close(down[1]);
			close(up[0]);
			for (int j = 0; j < i; j++) {   /* not the other workers' pipes */
				if (w->w[j].alive) {
					close(w->w[j].to);
					close(w->w[j].from);
				}
			}
			worker_main(ops, down[0], up[1], slot);
		}
		close(down[0]);
		close(up[1]);
		w->w[i] = (struct worker){ pid, down[1], up[0], true, { NULL } };
		memcpy(w->w[i].slot, slot, sizeof slot);
	}
	return w;
}

/* Read the result of job s (the oldest not merged) from its worker and
 * merge it; evaluate it here if the worker died. */
static void collect(struct workers *w, size_t s)
{
	struct worker *k = &w->w[s % (size_t)w->n];
	struct strbuf *job = &w->inflight[s % ((size_t)w->n * DEPTH)];
	struct strbuf result = STRBUF_INIT;
	uint64_t len = 0;
	bool ok = k->alive && read_all(k->from, &len, sizeof len) == 0;
	const char *slot = k->slot[(s / (size_t)w->n) % DEPTH];
	if (ok && (len & IN_SLOT)) {
		len &= ~IN_SLOT;
		if (slot && len <= SLOT_BYTES) {
			w->ops->merge(w->ops->ctx, slot, (size_t)len);
			return;
		}
		ok = false;   /* cannot happen */
	} else if (ok) {
		strbuf_grow(&result, (size_t)len);
		ok = read_all(k->from, result.buf, (size_t)len) == 0;
		result.len = (size_t)len;
	}
	if (!ok) {
		/* The worker is gone: evaluate its job in this process (and
		 * any later one it held, when its turn comes). */
		if (k->alive) {
			close(k->to);
			close(k->from);
			k->alive = false;
		}
		run_job(w->ops, job->buf, job->len, &result);
	}
	w->ops->merge(w->ops->ctx, result.buf, result.len);
	strbuf_release(&result);
}

void workers_submit(struct workers *w, const char *job, size_t len)
{
	size_t s = w->next++, slots = (size_t)w->n * DEPTH;
	/* Results are merged oldest first, so that they stay in order; a
	 * worker holds at most DEPTH jobs. */
	while (s - w->done >= slots)
		collect(w, w->done++);
	struct strbuf *keep = &w->inflight[s % slots];
	strbuf_reset(keep);
	strbuf_add(keep, job, len);
	struct worker *k = &w->w[s % (size_t)w->n];
	uint64_t n = len;
	if (k->alive && (write_all(k->to, &n, sizeof n) != 0 || write_all(k->to, job, len) != 0)) {
		close(k->to);
		close(k->from);
		k->alive = false;
	}
}

void workers_finish(struct workers *w)
{
	while (w->done < w->next)
		collect(w, w->done++);
	/* Every worker told to stop before any is waited for: their exits
	 * (each lets go of its memory) overlap. */
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->alive) {
			uint64_t zero = 0;
			write_all(k->to, &zero, sizeof zero);
			close(k->to);
			close(k->from);
		}
	}
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->pid > 0)
			waitpid(k->pid, NULL, 0);
		unmap_slots(k->slot);
	}
	for (int i = 0; i < w->n * DEPTH; i++)
		strbuf_release(&w->inflight[i]);
	free(w->inflight);
	free(w->w);
	free(w);
}
