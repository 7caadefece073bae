/* early_check — a thread checks a file's UTF-8 and marks where --jobs
 * may cut it; see early_check.h. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "csvin.h"
#include "early_check.h"

/* Marks found in one piece of the file are gathered here, then put under
 * the lock together (a piece of 256 KiB holds a few marks at most). */
#define BATCH 64

/* What the thread and the main thread share.  Everything below `mu` is
 * read and written under it; the thread alone uses the rest. */
struct early_marks {
	atomic_bool stop;          /* the main thread no longer wants the answer */
	int file;
	size_t from, to;
	bool marking;              /* record ends wanted (grid > 0) */
	struct chunk_scan scan;
	struct chunk_mark batch[BATCH];
	size_t nbatch;
	bool full;                 /* the ring was full: no more marks */

	pthread_mutex_t mu;
	pthread_cond_t more;       /* marks were put, or the answer is in */
	struct chunk_mark *ring;   /* marks not yet taken: len from at, modulo room */
	size_t at, len, room;
	bool dropped;
	bool answered;
	uint64_t valid_upto, end_line;
};

static bool same_file(const struct early_check *ec, const struct stat *sb)
{
	return sb->st_dev == ec->dev && sb->st_ino == ec->ino && sb->st_size == ec->size &&
	       sb->st_mtim.tv_sec == ec->mtime.tv_sec && sb->st_mtim.tv_nsec == ec->mtime.tv_nsec;
}

/* ---- The thread ---- */

/* Room for one more mark (under the lock): the ring doubles, in order,
 * up to EARLY_MARKS_MAX. */
static bool ring_room(struct early_marks *sh)
{
	if (sh->len < sh->room)
		return true;
	size_t room = sh->room ? 2 * sh->room : 256;
	if (room > EARLY_MARKS_MAX)
		return false;
	struct chunk_mark *r = malloc(room * sizeof *r);
	if (!r)
		return false;
	for (size_t i = 0; i < sh->len; i++)
		r[i] = sh->ring[(sh->at + i) % sh->room];
	free(sh->ring);
	sh->ring = r;
	sh->room = room;
	sh->at = 0;
	return true;
}

static void put_batch(struct early_marks *sh)
{
	if (!sh->nbatch)
		return;
	pthread_mutex_lock(&sh->mu);
	for (size_t i = 0; i < sh->nbatch && !sh->full; i++) {
		if (!ring_room(sh)) {
			sh->full = sh->dropped = true;
			break;
		}
		sh->ring[(sh->at + sh->len++) % sh->room] = sh->batch[i];
	}
	pthread_cond_signal(&sh->more);
	pthread_mutex_unlock(&sh->mu);
	sh->nbatch = 0;
}

static void on_mark(void *ctx, const struct chunk_mark *m)
{
	struct early_marks *sh = ctx;
	if (sh->full)
		return;
	if (sh->nbatch == BATCH)
		put_batch(sh);
	sh->batch[sh->nbatch++] = *m;
}

/* Each piece read: its marks, put at once (the main thread may be
 * waiting for them). */
static bool on_bytes(void *ctx, const char *bytes, size_t n)
{
	struct early_marks *sh = ctx;
	if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
		return false;
	if (sh->marking && !sh->full) {
		chunk_scan_feed(&sh->scan, bytes, n, on_mark, sh);
		put_batch(sh);
	}
	return true;
}

static void *early_main(void *arg)
{
	struct early_marks *sh = arg;
	size_t at = csvin_utf8_valid_each(sh->file, sh->from, sh->to, on_bytes, sh);
	close(sh->file);
	put_batch(sh);
	pthread_mutex_lock(&sh->mu);
	sh->answered = true;
	sh->valid_upto = at;
	sh->end_line = chunk_scan_line(&sh->scan);
	pthread_cond_signal(&sh->more);
	pthread_mutex_unlock(&sh->mu);
	return NULL;
}

bool early_check_start(struct early_check *ec, const char *path, size_t grid)
{
	struct stat sb;
	memset(ec, 0, sizeof *ec);
	ec->valid_upto = (uint64_t)-1;
	const char *min_env = getenv("VERDICT_EARLY_CHECK_MIN");
	off_t min = min_env && *min_env ? (off_t)atoll(min_env) : EARLY_CHECK_MIN;
	/* Not even opened unless a regular file: opening a FIFO waits for
	 * its writer, and closing it again would leave the writer writing
	 * to no reader (SIGPIPE) before the input is opened to be read. */
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	int file = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (file < 0)
		return false;
	struct early_marks *sh = NULL;
	if (fstat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < min || sb.st_size == 0 ||
	    !(sh = calloc(1, sizeof *sh))) {
		close(file);
		return false;
	}
	atomic_init(&sh->stop, false);
	sh->file = file;
	sh->from = csvin_utf8_start(file);
	sh->to = (size_t)sb.st_size;
	sh->marking = grid > 0;
	chunk_scan_init(&sh->scan, sh->from, grid);
	pthread_mutex_init(&sh->mu, NULL);
	pthread_cond_init(&sh->more, NULL);
	/* Every signal blocked in the thread (it inherits the mask): they
	 * stay the main thread's to take. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&ec->thread, NULL, early_main, sh);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close(file);
		pthread_mutex_destroy(&sh->mu);
		pthread_cond_destroy(&sh->more);
		free(sh);
		return false;
	}
	ec->running = true;
	ec->sh = sh;
	ec->marks = grid > 0;
	ec->dev = sb.st_dev;
	ec->ino = sb.st_ino;
	ec->size = sb.st_size;
	ec->mtime = sb.st_mtim;
	return true;
}

/* ---- The main thread ---- */

/* Wait for the answer (under the lock) and keep it. */
static void take_answer(struct early_check *ec)
{
	struct early_marks *sh = ec->sh;
	while (!sh->answered)
		pthread_cond_wait(&sh->more, &sh->mu);
	ec->valid_upto = sh->valid_upto;
	ec->end_line = sh->end_line;
	ec->dropped = sh->dropped;
}

static void join(struct early_check *ec)
{
	if (ec->running)
		pthread_join(ec->thread, NULL);
	ec->running = false;
}

bool early_check_valid(struct early_check *ec, FILE *f)
{
	if (!ec->running)
		return false;
	pthread_mutex_lock(&ec->sh->mu);
	take_answer(ec);
	pthread_mutex_unlock(&ec->sh->mu);
	join(ec);
	struct stat sb;
	return ec->valid_upto == (uint64_t)ec->size && fstat(fileno(f), &sb) == 0 && same_file(ec, &sb);
}

bool early_check_next_mark(struct early_check *ec, struct chunk_mark *m)
{
	struct early_marks *sh = ec->sh;
	if (!ec->marks || !sh)
		return false;
	pthread_mutex_lock(&sh->mu);
	while (!sh->len && !sh->answered)
		pthread_cond_wait(&sh->more, &sh->mu);
	bool got = sh->len > 0;
	if (got) {
		*m = sh->ring[sh->at];
		sh->at = (sh->at + 1) % sh->room;
		sh->len--;
	} else {
		take_answer(ec);
		ec->ended = true;
	}
	pthread_mutex_unlock(&sh->mu);
	return got;
}

bool early_check_marked_all(const struct early_check *ec, uint64_t *end_line)
{
	*end_line = ec->end_line;
	return ec->marks && ec->ended && !ec->dropped && ec->valid_upto == (uint64_t)ec->size;
}

void early_check_end(struct early_check *ec)
{
	struct early_marks *sh = ec->sh;
	if (!sh)
		return;
	/* The run stopped before asking: the thread stops at its next piece. */
	atomic_store(&sh->stop, true);
	join(ec);
	pthread_mutex_destroy(&sh->mu);
	pthread_cond_destroy(&sh->more);
	free(sh->ring);
	free(sh);
	ec->sh = NULL;
}
