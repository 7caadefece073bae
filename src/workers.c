/* workers — records evaluated in worker processes; see workers.h. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "strbuf.h"
#include "workers.h"

#define BATCH_RECORDS 512
#define BATCH_BYTES (256u << 10)

struct worker {
	pid_t pid;
	int to, from;             /* pipe ends: batches out, results in */
	bool alive;
};

struct workers {
	int n;
	struct worker *w;
	const struct workers_ops *ops;
	struct strbuf batch;      /* the batch being filled */
	size_t nrec;
	struct strbuf *inflight;  /* per worker: the batch it holds, for a fallback */
	bool *busy;
	size_t next;              /* batch sequence number */
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

/* ---- Records in a batch: row, line, bytes_read, problem, fields ---- */

static void put_u64(struct strbuf *sb, uint64_t v)
{
	strbuf_add(sb, &v, sizeof v);
}

static void put_bytes(struct strbuf *sb, const char *s, size_t len)
{
	put_u64(sb, len);
	strbuf_add(sb, s, len);
}

static void encode(struct strbuf *sb, const struct csvin_record *rec)
{
	put_u64(sb, rec->row);
	put_u64(sb, rec->line);
	put_u64(sb, (uint64_t)rec->bytes_read);
	put_u64(sb, rec->problem ? 1 : 0);
	if (rec->problem)
		put_bytes(sb, rec->problem, strlen(rec->problem));
	put_u64(sb, rec->nfields);
	for (size_t i = 0; i < rec->nfields; i++)
		put_bytes(sb, rec->fields[i], rec->lens[i]);
}

struct decoder {
	char *p, *end;
	const char **fields;
	size_t *lens;
	size_t cap;
};

static uint64_t get_u64(struct decoder *d)
{
	uint64_t v = 0;
	if (d->end - d->p >= (ptrdiff_t)sizeof v) {
		memcpy(&v, d->p, sizeof v);
		d->p += sizeof v;
	}
	return v;
}

/* A length-prefixed string, in place (not NUL-terminated). */
static char *get_bytes(struct decoder *d, size_t *len)
{
	*len = (size_t)get_u64(d);
	if ((size_t)(d->end - d->p) < *len)
		*len = (size_t)(d->end - d->p);
	char *s = d->p;
	d->p += *len;
	return s;
}

/* Decode and process every record of a batch. */
static void process_batch(const struct workers_ops *ops, char *buf, size_t len, struct decoder *d)
{
	d->p = buf;
	d->end = buf + len;
	while (d->p < d->end) {
		struct csvin_record rec;
		memset(&rec, 0, sizeof rec);
		rec.row = (size_t)get_u64(d);
		rec.line = (size_t)get_u64(d);
		rec.bytes_read = (long long)get_u64(d);
		char *problem = NULL;
		size_t plen = 0;
		if (get_u64(d))
			problem = get_bytes(d, &plen);
		rec.nfields = (size_t)get_u64(d);
		if (rec.nfields > d->cap) {
			d->cap = rec.nfields;
			d->fields = realloc(d->fields, d->cap * sizeof *d->fields);
			d->lens = realloc(d->lens, d->cap * sizeof *d->lens);
			if (!d->fields || !d->lens)
				abort();
		}
		/* Copy each field so that it can be NUL-terminated. */
		struct strbuf hold = STRBUF_INIT;
		size_t *offs = calloc(rec.nfields + 1, sizeof *offs);
		if (!offs)
			abort();
		for (size_t i = 0; i < rec.nfields; i++) {
			size_t flen;
			char *f = get_bytes(d, &flen);
			offs[i] = hold.len;
			strbuf_add(&hold, f, flen);
			strbuf_addch(&hold, '\0');
			d->lens[i] = flen;
		}
		size_t poff = hold.len;
		if (problem) {
			strbuf_add(&hold, problem, plen);
			strbuf_addch(&hold, '\0');
			rec.problem = hold.buf + poff;
		}
		for (size_t i = 0; i < rec.nfields; i++)
			d->fields[i] = hold.buf + offs[i];
		rec.fields = d->fields;
		rec.lens = d->lens;
		ops->process(ops->ctx, &rec);
		free(offs);
		strbuf_release(&hold);
	}
}

/* Evaluate a batch here; return its output and counts. */
static void run_batch(const struct workers_ops *ops, char *buf, size_t len, struct strbuf *result)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct decoder d = { 0 };
	if (!mem)
		abort();
	ops->begin_batch(ops->ctx, mem);
	process_batch(ops, buf, len, &d);
	fflush(mem);
	fclose(mem);
	const void *counts;
	size_t clen;
	ops->end_batch(ops->ctx, &counts, &clen);
	strbuf_reset(result);
	put_bytes(result, out, outlen);
	put_bytes(result, counts, clen);
	free(out);
	free(d.fields);
	free(d.lens);
}

/* ---- The worker process ---- */

static void worker_main(const struct workers_ops *ops, int in, int out)
{
	struct strbuf batch = STRBUF_INIT, result = STRBUF_INIT;
	for (;;) {
		uint64_t len;
		if (read_all(in, &len, sizeof len) != 0 || len == 0)
			break;
		strbuf_reset(&batch);
		strbuf_grow(&batch, (size_t)len);
		if (read_all(in, batch.buf, (size_t)len) != 0)
			break;
		batch.len = (size_t)len;
		run_batch(ops, batch.buf, batch.len, &result);
		uint64_t rlen = result.len;
		if (write_all(out, &rlen, sizeof rlen) != 0 || write_all(out, result.buf, result.len) != 0)
			break;
	}
	_exit(0);
}

struct workers *workers_start(int n, const struct workers_ops *ops)
{
	struct workers *w = calloc(1, sizeof *w);
	if (!w)
		abort();
	w->n = n;
	w->ops = ops;
	w->w = calloc((size_t)n, sizeof *w->w);
	w->inflight = calloc((size_t)n, sizeof *w->inflight);
	w->busy = calloc((size_t)n, sizeof *w->busy);
	if (!w->w || !w->inflight || !w->busy)
		abort();
	strbuf_init(&w->batch);
	signal(SIGPIPE, SIG_IGN);
	fflush(NULL);   /* nothing buffered may be written twice */
	for (int i = 0; i < n; i++) {
		int down[2], up[2];
		strbuf_init(&w->inflight[i]);
		if (pipe(down) != 0 || pipe(up) != 0)
			return w;   /* fewer workers; the parent covers the rest */
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
			worker_main(ops, down[0], up[1]);
		}
		close(down[0]);
		close(up[1]);
		w->w[i] = (struct worker){ pid, down[1], up[0], true };
	}
	return w;
}

/* Read worker i's result and merge it; evaluate here if it died. */
static void collect(struct workers *w, int i)
{
	struct worker *k = &w->w[i];
	struct strbuf result = STRBUF_INIT;
	uint64_t len = 0;
	bool ok = k->alive && read_all(k->from, &len, sizeof len) == 0;
	if (ok) {
		strbuf_grow(&result, (size_t)len);
		ok = read_all(k->from, result.buf, (size_t)len) == 0;
		result.len = (size_t)len;
	}
	if (!ok) {
		/* The worker is gone: evaluate its batch in this process. */
		if (k->alive) {
			close(k->to);
			close(k->from);
			k->alive = false;
		}
		run_batch(w->ops, w->inflight[i].buf, w->inflight[i].len, &result);
	}
	struct decoder d = { result.buf, result.buf + result.len, NULL, NULL, 0 };
	size_t outlen, clen;
	char *out = get_bytes(&d, &outlen);
	char *counts = get_bytes(&d, &clen);
	w->ops->merge(w->ops->ctx, out, outlen, counts, clen);
	strbuf_release(&result);
	w->busy[i] = false;
}

/* Hand the filled batch to the next worker in turn. */
static void dispatch(struct workers *w)
{
	if (w->nrec == 0)
		return;
	int i = (int)(w->next++ % (size_t)w->n);
	if (w->busy[i])
		collect(w, i);   /* the oldest batch in flight: output stays in order */
	strbuf_reset(&w->inflight[i]);
	strbuf_add(&w->inflight[i], w->batch.buf, w->batch.len);
	struct worker *k = &w->w[i];
	uint64_t len = w->batch.len;
	if (k->alive && (write_all(k->to, &len, sizeof len) != 0 ||
			 write_all(k->to, w->batch.buf, w->batch.len) != 0)) {
		close(k->to);
		close(k->from);
		k->alive = false;
	}
	w->busy[i] = true;
	strbuf_reset(&w->batch);
	w->nrec = 0;
}

void workers_add(struct workers *w, const struct csvin_record *rec)
{
	encode(&w->batch, rec);
	if (++w->nrec >= BATCH_RECORDS || w->batch.len >= BATCH_BYTES)
		dispatch(w);
}

void workers_finish(struct workers *w)
{
	dispatch(w);
	/* Collect in batch order: oldest first. */
	for (size_t s = w->next > (size_t)w->n ? w->next - (size_t)w->n : 0; s < w->next; s++) {
		int i = (int)(s % (size_t)w->n);
		if (w->busy[i])
			collect(w, i);
	}
	for (int i = 0; i < w->n; i++) {
		struct worker *k = &w->w[i];
		if (k->alive) {
			uint64_t zero = 0;
			write_all(k->to, &zero, sizeof zero);
			close(k->to);
			close(k->from);
		}
		if (k->pid > 0)
			waitpid(k->pid, NULL, 0);
		strbuf_release(&w->inflight[i]);
	}
	strbuf_release(&w->batch);
	free(w->inflight);
	free(w->busy);
	free(w->w);
	free(w);
}
