/* early_check — a child process checks a file's UTF-8 and marks where
 * --jobs may cut it; see early_check.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "csvin.h"
#include "early_check.h"

/* What goes through the pipe: marks, then one answer. */
enum { MSG_MARK = 1, MSG_ANSWER = 2 };
struct msg {
	uint64_t kind;
	uint64_t offset;   /* a mark's; the answer's: valid up to here */
	uint64_t line;     /* a mark's; the answer's: the line after the end */
};

static bool same_file(const struct early_check *ec, const struct stat *sb)
{
	return sb->st_dev == ec->dev && sb->st_ino == ec->ino && sb->st_size == ec->size &&
	       sb->st_mtim.tv_sec == ec->mtime.tv_sec && sb->st_mtim.tv_nsec == ec->mtime.tv_nsec;
}

/* ---- The child ---- */

#define SEND_BATCH 256

struct child {
	int out;
	bool broken;            /* the parent is gone: nothing more to send */
	struct chunk_scan scan;
	struct msg batch[SEND_BATCH];
	size_t n;
};

static void send_batch(struct child *c)
{
	const char *p = (const char *)c->batch;
	size_t len = c->n * sizeof c->batch[0];
	c->n = 0;
	while (len && !c->broken) {
		ssize_t k = write(c->out, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			c->broken = true;
			break;
		}
		p += k;
		len -= (size_t)k;
	}
}

static void put_msg(struct child *c, uint64_t kind, uint64_t offset, uint64_t line)
{
	if (c->n == SEND_BATCH)
		send_batch(c);
	c->batch[c->n++] = (struct msg){ kind, offset, line };
}

static void on_mark(void *ctx, const struct chunk_mark *m)
{
	put_msg(ctx, MSG_MARK, m->offset, m->line);
}

/* Each piece read: its marks, sent at once (the parent may be waiting). */
static void on_bytes(void *ctx, const char *bytes, size_t n)
{
	struct child *c = ctx;
	chunk_scan_feed(&c->scan, bytes, n, on_mark, c);
	if (c->n)
		send_batch(c);
}

static void child_main(int file, size_t from, size_t to, size_t grid, int out)
{
	static struct child c;
	signal(SIGPIPE, SIG_IGN);   /* a parent gone early is no error of ours */
	c.out = out;
	chunk_scan_init(&c.scan, from, grid);
	size_t at = csvin_utf8_valid_each(file, from, to, grid ? on_bytes : NULL, &c);
	put_msg(&c, MSG_ANSWER, at, chunk_scan_line(&c.scan));
	send_batch(&c);
	_exit(c.broken ? 1 : 0);
}

bool early_check_start(struct early_check *ec, const char *path, size_t grid)
{
	struct stat sb;

	memset(ec, 0, sizeof *ec);
	ec->fd = -1;
	const char *min_env = getenv("VERDICT_EARLY_CHECK_MIN");
	off_t min = min_env && *min_env ? (off_t)atoll(min_env) : EARLY_CHECK_MIN;
	int file = open(path, O_RDONLY | O_CLOEXEC);
	if (file < 0)
		return false;
	int pfd[2] = { -1, -1 };
	bool ok = fstat(file, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= min && sb.st_size > 0 &&
		  pipe(pfd) == 0;
	if (ok) {
		size_t from = csvin_utf8_start(file);
		fflush(NULL);   /* nothing buffered may be written twice */
		ec->pid = fork();
		if (ec->pid == 0) {
			close(pfd[0]);
			child_main(file, from, (size_t)sb.st_size, grid, pfd[1]);
		}
		ok = ec->pid > 0;
	}
	if (pfd[1] >= 0)
		close(pfd[1]);
	close(file);   /* the child has its own */
	if (!ok) {
		if (pfd[0] >= 0)
			close(pfd[0]);
		ec->pid = 0;
		return false;
	}
	ec->fd = pfd[0];
	ec->marks = grid > 0;
	ec->valid_upto = (uint64_t)-1;
	ec->dev = sb.st_dev;
	ec->ino = sb.st_ino;
	ec->size = sb.st_size;
	ec->mtime = sb.st_mtim;
	return true;
}

/* ---- The parent ---- */

/* The next message; false at the pipe's end (or a broken message).  Read
 * as many as have come, up to a buffer's worth: with --format jsonl's
 * small chunks there are thousands of marks, and a read each was a
 * system call each. */
static bool read_msg(struct early_check *ec, struct msg *m)
{
	while (ec->in_len - ec->in_at < sizeof *m) {
		if (ec->fd < 0)
			return false;
		memmove(ec->in, ec->in + ec->in_at, ec->in_len - ec->in_at);
		ec->in_len -= ec->in_at;
		ec->in_at = 0;
		ssize_t k = read(ec->fd, ec->in + ec->in_len, sizeof ec->in - ec->in_len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		ec->in_len += (size_t)k;
	}
	memcpy(m, ec->in + ec->in_at, sizeof *m);
	ec->in_at += sizeof *m;
	return true;
}

/* The next mark from the pipe: true and *m; false once the answer (or
 * the pipe's end) is read, which is then kept. */
static bool pipe_mark(struct early_check *ec, struct chunk_mark *m)
{
	struct msg msg;
	while (!ec->ended) {
		if (!read_msg(ec, &msg)) {
			ec->ended = true;   /* no answer: valid_upto stays -1 */
			break;
		}
		if (msg.kind == MSG_MARK) {
			*m = (struct chunk_mark){ msg.offset, msg.line };
			return true;
		}
		ec->ended = true;
		if (msg.kind == MSG_ANSWER) {
			ec->valid_upto = msg.offset;
			ec->end_line = msg.line;
		}
	}
	return false;
}

static void keep_mark(struct early_check *ec, const struct chunk_mark *m)
{
	if (ec->dropped || ec->kept_len - ec->kept_at >= EARLY_MARKS_MAX) {
		ec->dropped = true;
		return;
	}
	if (ec->kept_at > 0 && ec->kept_len == ec->kept_room) {   /* room at the front again */
		memmove(ec->kept, ec->kept + ec->kept_at, (ec->kept_len - ec->kept_at) * sizeof *ec->kept);
		ec->kept_len -= ec->kept_at;
		ec->kept_at = 0;
	}
	if (ec->kept_len == ec->kept_room) {
		size_t room = ec->kept_room ? 2 * ec->kept_room : 256;
		struct chunk_mark *k = realloc(ec->kept, room * sizeof *k);
		if (!k) {
			ec->dropped = true;
			return;
		}
		ec->kept = k;
		ec->kept_room = room;
	}
	ec->kept[ec->kept_len++] = *m;
}

static void reap(struct early_check *ec)
{
	if (ec->fd >= 0)
		close(ec->fd);
	ec->fd = -1;
	if (ec->pid > 0)
		while (waitpid(ec->pid, NULL, 0) < 0 && errno == EINTR)
			;
	ec->pid = 0;
}

bool early_check_valid(struct early_check *ec, FILE *f)
{
	if (ec->pid <= 0)
		return false;
	struct chunk_mark m;
	while (pipe_mark(ec, &m))
		keep_mark(ec, &m);
	reap(ec);
	struct stat sb;
	return ec->valid_upto == (uint64_t)ec->size && fstat(fileno(f), &sb) == 0 && same_file(ec, &sb);
}

bool early_check_next_mark(struct early_check *ec, struct chunk_mark *m)
{
	if (!ec->marks)
		return false;
	if (ec->kept_at < ec->kept_len) {
		*m = ec->kept[ec->kept_at++];
		return true;
	}
	if (ec->dropped)
		return false;
	return pipe_mark(ec, m);
}

bool early_check_marked_all(const struct early_check *ec, uint64_t *end_line)
{
	*end_line = ec->end_line;
	return ec->marks && ec->ended && !ec->dropped && ec->kept_at == ec->kept_len &&
	       ec->valid_upto == (uint64_t)ec->size;
}

void early_check_end(struct early_check *ec)
{
	if (ec->pid > 0)
		kill(ec->pid, SIGKILL);   /* the run stopped before asking: no need to wait for it */
	reap(ec);
	free(ec->kept);
	ec->kept = NULL;
	ec->kept_at = ec->kept_len = ec->kept_room = 0;
}
