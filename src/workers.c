/* workers — jobs done in worker processes, results in order; see workers.h. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pages.h"
#include "strbuf.h"
#include "workers.h"

/* Jobs a worker holds at once: while it runs one, the next is already in
 * its pipe, and it never waits for the parent between two. */
#define DEPTH 2

/* Jobs out at once (handed out, result not yet merged): `slots` a worker
 * (workers_start), each with a slot of shared memory.  Any free slot may
 * take a job, so that a worker that is ahead takes more jobs: it waits
 * only when the oldest job out, which another worker still runs, is
 * nslots behind.  But a worker is given one of its own slots when one is
 * free, the first of them first: the first touch of each page costs a
 * process some 6 us on a paravirtualized machine (pages.h), and a worker
 * that wrote into every slot paid it for all of them (a csv chunk's
 * result fills about 115 pages); a worker's third and fourth slots are
 * touched only when it runs ahead. */

/* A result is written straight into its job's slot, and only its length
 * goes through the pipe: no copy on the way, and no ping-pong on a full
 * pipe.  One larger than a slot goes through the pipe as it is. */
#define SLOT_BYTES ((size_t)4 << 20)
#define IN_SLOT    ((uint64_t)1 << 63)   /* flag on the length sent */

struct worker {
	pid_t pid;
	int to, from;             /* pipe ends: jobs out, results in */
	bool alive;
	size_t queue[DEPTH];      /* the jobs it holds, oldest first */
	int nq;
	size_t given;             /* jobs handed to it in all */
};

/* A job out, kept at its number % nslots. */
struct job {
	struct strbuf copy;       /* the job, for the parent to run should its worker die */
	struct strbuf result;     /* a result that came through the pipe */
	uint64_t len;             /* its result's length */
	bool ready;               /* the result is there (or is to be made here) */
	bool in_slot;             /* ... in the job's slot */
	size_t slot;              /* its slot (< nslots) */
	bool orphan;              /* its worker died: run it here */
};

struct workers {
	struct sigaction old_pipe;  /* SIGPIPE's handling before, back at the end */
	int n;
	struct worker *w;
	const struct workers_ops *ops;
	size_t per;               /* slots a worker */
	size_t nslots;
	char **slot;              /* nslots, shared with every worker (NULL: none) */
	bool *slot_busy;          /* nslots: a job out holds it */
	struct job *jobs;         /* nslots */
	size_t next;              /* number of the next job */
	size_t done;              /* of the next result to merge */
	struct pollfd *fds;       /* n + 1, for poll */
	int *who;                 /* the worker of each */
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

/* A slot is mapped in one call (pages_populate) as far as results reach,
 * rather than a page fault at a time as a result first fills it (a fault
 * costs 10 us or more on a paravirtualized machine): the first SLOT_WARM
 * bytes (768 KiB) when a worker first writes there (a csv chunk's result,
 * its text and the records' notes, is about 0.5 MiB), and an eighth
 * beyond the longest result so far (a jsonl chunk's result is about 3
 * MiB).  Not the whole slot at once: the pages count in each process's
 * resident memory. */
#define SLOT_WARM ((size_t)768 << 10)

static void warm_slot(char *slot, size_t *warm, size_t need)
{
	if (need > SLOT_BYTES)
		need = SLOT_BYTES;
	if (need > *warm) {
		pages_populate(slot, need);
		*warm = need;
	}
}

/* For tests (tests/jobs.sh): the first worker dies when given its job
 * number VERDICT_WORKER_EXIT_AT (counting from 0), so that the parent's
 * running of a dead worker's jobs is seen to lose nothing. */
static long exit_at(int index)
{
	const char *e = getenv("VERDICT_WORKER_EXIT_AT");
	return index == 0 && e && *e ? atol(e) : -1;
}

/* For tests: the first worker sleeps VERDICT_WORKER_SLOW_US microseconds
 * before each job (a vCPU the host gives less time), so that the other
 * is seen to run ahead. */
static long slow_us(int index)
{
	const char *e = getenv("VERDICT_WORKER_SLOW_US");
	return index == 0 && e && *e ? atol(e) : 0;
}

static void worker_main(const struct workers_ops *ops, int index, int in, int out, char *const *slot,
			size_t nslots)
{
	struct strbuf job = STRBUF_INIT, result = STRBUF_INIT;
	size_t *warm = calloc(nslots, sizeof *warm), longest = 0;
	long die = exit_at(index), slow = slow_us(index);
	if (!warm)
		_exit(1);
	for (long k = 0;; k++) {
		uint64_t head[2];   /* the job's length and slot; the end of the pipe: stop */
		if (read_all(in, head, sizeof head) != 0 || head[0] == 0 || k == die)
			break;
		strbuf_reset(&job);
		strbuf_grow(&job, (size_t)head[0]);
		if (read_all(in, job.buf, (size_t)head[0]) != 0)
			break;
		job.len = (size_t)head[0];
		if (slow > 0)
			usleep((useconds_t)slow);
		/* The result is written straight into the job's slot (free: the
		 * parent took the slot's last result before it sent this job);
		 * one that outgrows the slot moves to the heap and goes through
		 * the pipe. */
		size_t d = (size_t)head[1];
		char *into = d < nslots ? slot[d] : NULL;
		if (into) {
			warm_slot(into, &warm[d], longest + longest / 8 > SLOT_WARM ? longest + longest / 8 : SLOT_WARM);
			strbuf_borrow(&result, into, SLOT_BYTES);
		}
		run_job(ops, job.buf, job.len, &result);
		uint64_t rlen = result.len;
		if (into && result.borrowed) {
			if (result.len > longest)
				longest = result.len;
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

/* ---- The parent ---- */

static void unmap_slots(struct workers *w)
{
	for (size_t d = 0; d < w->nslots; d++)
		if (w->slot[d])
			munmap(w->slot[d], SLOT_BYTES);
}

struct workers *workers_start(int n, int slots, const struct workers_ops *ops)
{
	struct workers *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->n = n;
	w->ops = ops;
	w->per = slots > 2 ? (size_t)slots : 2;
	w->nslots = (size_t)n * w->per;
	w->w = calloc((size_t)n, sizeof *w->w);
	w->slot = calloc(w->nslots, sizeof *w->slot);
	w->jobs = calloc(w->nslots, sizeof *w->jobs);
	w->slot_busy = calloc(w->nslots, sizeof *w->slot_busy);
	w->fds = calloc((size_t)n + 1, sizeof *w->fds);
	w->who = calloc((size_t)n + 1, sizeof *w->who);
	if (!w->w || !w->slot || !w->jobs || !w->slot_busy || !w->fds || !w->who)
		abort();
	for (size_t d = 0; d < w->nslots; d++) {
		strbuf_init(&w->jobs[d].copy);
		strbuf_init(&w->jobs[d].result);
		void *m = mmap(NULL, SLOT_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		w->slot[d] = m == MAP_FAILED ? NULL : m;   /* none: through the pipe */
	}
	/* a worker gone must not end the parent: ignored while there are
	 * workers (workers_finish puts back what was there, so that the
	 * parent's own writes end it as one job's do, see batch.c) */
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &w->old_pipe);
	/* Jobs and results are a few MiB each, made and freed again and again:
	 * keep such blocks in the heap for reuse rather than mapping fresh,
	 * zeroed pages from the kernel for every one. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
	fflush(NULL);   /* nothing buffered may be written twice */
	for (int i = 0; i < n; i++) {
		int down[2], up[2];
		if (pipe(down) != 0 || pipe(up) != 0)
			break;   /* fewer workers; the parent covers the rest */
#ifdef F_SETPIPE_SZ
		/* Room for a whole result that does not fit its slot, so that
		 * a worker can hand it over and go on at once. */
		fcntl(up[1], F_SETPIPE_SZ, 1 << 20);
#endif
		pid_t pid = fork();
		if (pid < 0) {
			close(down[0]); close(down[1]); close(up[0]); close(up[1]);
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
			worker_main(ops, i, down[0], up[1], w->slot, w->nslots);
		}
		close(down[0]);
		close(up[1]);
		/* Jobs are written without blocking: while a job waits for room
		 * in the pipe, results are read (see send_job). */
		fcntl(down[1], F_SETFL, fcntl(down[1], F_GETFL) | O_NONBLOCK);
		w->w[i] = (struct worker){ .pid = pid, .to = down[1], .from = up[0], .alive = true };
	}
	return w;
}

/* Worker k is gone: the jobs it held are run here when their turn comes. */
static void lose(struct workers *w, struct worker *k)
{
	if (k->alive) {
		if (k->to >= 0)
			close(k->to);
		close(k->from);
		k->alive = false;
	}
	for (int q = 0; q < k->nq; q++) {
		struct job *j = &w->jobs[k->queue[q] % w->nslots];
		j->ready = true;
		j->orphan = true;
	}
	k->nq = 0;
}

/* The result of worker k's oldest job, which it says is there. */
static void receive(struct workers *w, struct worker *k)
{
	struct job *j = &w->jobs[k->queue[0] % w->nslots];
	uint64_t len;
	if (read_all(k->from, &len, sizeof len) != 0) {
		lose(w, k);
		return;
	}
	j->in_slot = (len & IN_SLOT) != 0;
	j->len = len & ~IN_SLOT;
	if (j->in_slot && j->len > SLOT_BYTES) {
		lose(w, k);   /* cannot happen */
		return;
	}
	if (!j->in_slot) {
		strbuf_reset(&j->result);
		strbuf_grow(&j->result, (size_t)j->len);
		if (read_all(k->from, j->result.buf, (size_t)j->len) != 0) {
			lose(w, k);
			return;
		}
		j->result.len = (size_t)j->len;
	}
	j->ready = true;
	memmove(k->queue, k->queue + 1, (size_t)(k->nq - 1) * sizeof k->queue[0]);
	k->nq--;
}

/* Wait until some worker has a result (or is found gone), and take it;
 * or, with to >= 0, until that pipe has room for more of a job. */
static void wait_any(struct workers *w, int to)
{
	int nf = 0;
	for (int i = 0; i < w->n; i++) {
		if (w->w[i].alive && w->w[i].nq > 0) {
			w->fds[nf] = (struct pollfd){ .fd = w->w[i].from, .events = POLLIN };
			w->who[nf++] = i;
		}
	}
	if (to >= 0) {
		w->fds[nf] = (struct pollfd){ .fd = to, .events = POLLOUT };
		w->who[nf++] = -1;
	}
	if (nf == 0)
		return;
	int got;
	do
		got = poll(w->fds, (nfds_t)nf, -1);
	while (got < 0 && errno == EINTR);
	for (int f = 0; f < nf; f++)
		if (w->who[f] >= 0 && (got < 0 || w->fds[f].revents))
			receive(w, &w->w[w->who[f]]);   /* a read that fails loses the worker */
}

/* Job s (head, then the job) to worker k, which holds it already.  The
 * pipe is not waited on while results are there to be read: a worker may
 * be writing a result too large for its slot through its pipe, and would
 * not read its next job before that is read. */
static void send_job(struct workers *w, struct worker *k, const uint64_t head[2], const char *job, size_t len)
{
	struct iovec v[2] = { { (void *)head, 2 * sizeof head[0] }, { (void *)job, len } };
	int nv = 2;
	while (nv > 0 && k->alive) {
		ssize_t put = writev(k->to, v + 2 - nv, nv);
		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0 && errno == EAGAIN) {
			wait_any(w, k->to);
			continue;
		}
		if (put < 0) {
			lose(w, k);
			return;
		}
		while (nv > 0 && (size_t)put >= v[2 - nv].iov_len) {
			put -= (ssize_t)v[2 - nv].iov_len;
			nv--;
		}
		if (nv > 0) {
			v[2 - nv].iov_base = (char *)v[2 - nv].iov_base + put;
			v[2 - nv].iov_len -= (size_t)put;
		}
	}
}

/* Merge the results that are there, oldest first, up to the first that is not. */
static void merge_ready(struct workers *w)
{
	while (w->done < w->next) {
		size_t s = w->done;
		struct job *j = &w->jobs[s % w->nslots];
		if (!j->ready)
			return;
		if (j->orphan)
			run_job(w->ops, j->copy.buf, j->copy.len, &j->result);
		if (j->in_slot && !j->orphan)
			w->ops->merge(w->ops->ctx, w->slot[j->slot], (size_t)j->len);
		else   /* through the pipe, or made here */
			w->ops->merge(w->ops->ctx, j->result.buf, j->result.len);
		j->ready = j->in_slot = j->orphan = false;
		w->slot_busy[j->slot] = false;
		w->done++;
	}
}

/* The worker to hand a job to: of those alive holding fewer than DEPTH
 * jobs, the one holding fewest (the first such); NULL if none. */
static struct worker *free_worker(struct workers *w)
{
	struct worker *best = NULL;
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->alive && k->nq < DEPTH && (!best || k->nq < best->nq))
			best = k;
	}
	return best;
}

/* A free slot for a job to worker k (at index ki): one of its own if
 * one is free, else the first free one.  One is free: fewer than nslots
 * jobs are out, and each holds one. */
static size_t free_slot(const struct workers *w, int ki)
{
	size_t own = (size_t)ki * w->per;
	for (size_t d = 0; d < w->per && own + d < w->nslots; d++)
		if (!w->slot_busy[own + d])
			return own + d;
	for (size_t d = 0; d < w->nslots; d++)
		if (!w->slot_busy[d])
			return d;
	return w->nslots;
}

bool workers_full(const struct workers *w)
{
	for (int i = 0; i < w->n; i++)
		if (w->w[i].alive && w->w[i].nq < DEPTH)
			return false;
	return true;
}

static bool any_alive(const struct workers *w)
{
	for (int i = 0; i < w->n; i++)
		if (w->w[i].alive)
			return true;
	return false;
}

void workers_submit(struct workers *w, const char *job, size_t len)
{
	size_t s = w->next;
	/* Results are merged oldest first, so that they stay in order: at
	 * most nslots jobs are out at once. */
	while (s - w->done >= w->nslots) {
		merge_ready(w);
		if (s - w->done >= w->nslots)
			wait_any(w, -1);
	}
	struct worker *k;
	while ((k = free_worker(w)) == NULL && any_alive(w)) {
		wait_any(w, -1);
		merge_ready(w);
	}
	w->next++;
	struct job *j = &w->jobs[s % w->nslots];
	strbuf_reset(&j->copy);
	strbuf_add(&j->copy, job, len);
	j->ready = j->in_slot = j->orphan = false;
	j->slot = free_slot(w, k ? (int)(k - w->w) : 0);
	if (j->slot == w->nslots)
		abort();   /* cannot happen: fewer than nslots jobs are out */
	w->slot_busy[j->slot] = true;
	if (!k) {
		j->ready = j->orphan = true;   /* no worker left: run here */
		merge_ready(w);
		return;
	}
	k->queue[k->nq++] = s;
	k->given++;
	uint64_t head[2] = { len, w->slot[j->slot] ? j->slot : UINT64_MAX };
	send_job(w, k, head, job, len);
	merge_ready(w);
}

void workers_finish(struct workers *w)
{
	/* No more jobs: each worker stops when it has read the last of its
	 * pipe, so that its exit (letting go of its memory takes 1-2 ms)
	 * overlaps the merging of the last results rather than following
	 * it.  A result in a slot or a pipe stays there for the parent. */
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->alive) {
			close(k->to);
			k->to = -1;
		}
	}
	while (w->done < w->next) {
		merge_ready(w);
		if (w->done < w->next)
			wait_any(w, -1);
	}
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->alive)
			close(k->from);
	}
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->pid > 0)
			waitpid(k->pid, NULL, 0);
	}
	sigaction(SIGPIPE, &w->old_pipe, NULL);
	/* For tests: how the jobs were shared out. */
	const char *report = getenv("VERDICT_WORKERS_REPORT");
	if (report && *report) {
		fprintf(stderr, "workers: jobs");
		for (int i = 0; i < w->n; i++)
			fprintf(stderr, " %zu", w->w[i].given);
		fputc('\n', stderr);
	}
	unmap_slots(w);
	for (size_t d = 0; d < w->nslots; d++) {
		strbuf_release(&w->jobs[d].copy);
		strbuf_release(&w->jobs[d].result);
	}
	free(w->jobs);
	free(w->slot);
	free(w->slot_busy);
	free(w->fds);
	free(w->who);
	free(w->w);
	free(w);
}
