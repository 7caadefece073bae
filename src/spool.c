/* spool — a pipe's bytes copied to an unnamed temporary file; see spool.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spool.h"

#define STEP ((size_t)256 << 10)   /* bytes copied at a time */

const char *spool_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

/* A new file in dir with no name, open for reading and writing; -1 (and
 * errno) if none can be made. */
static int open_unnamed(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	/* No O_TMPFILE on this file system (or kernel): a name, taken away
	 * at once. */
	size_t len = strlen(dir) + sizeof "/verdict-stdin-XXXXXX";
	char *path = malloc(len);
	if (!path)
		return -1;
	snprintf(path, len, "%s/verdict-stdin-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	int e = errno;
	if (fd >= 0)
		unlink(path);
	free(path);
	errno = e;
	return fd;
}

/* The message for a copy that cannot be made in dir (errno e). */
static void cannot_copy(char *err, size_t errlen, const char *dir, int e, const char *expected)
{
	snprintf(err, errlen, "cannot copy the input to a temporary file in '%s' (to check its UTF-8 "
		 "before any output): %s; expected %s (set TMPDIR to another directory)", dir,
		 strerror(e), expected);
}

/* n bytes of buf to fd: 0, or the errno of the failed write. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : ENOSPC;
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/* A CSV input's first line, as the copy goes. */
struct first_line {
	bool csv;                    /* a CSV input: its first line is looked at */
	bool done;                   /* looked at, or too long to be */
	spool_first_line_fn refused; /* NULL: only the NUL test */
	void *ctx;
	char *buf;                   /* the line so far (refused only) */
	size_t len;
};

/* Whether the copy may stop after these n bytes: its first line holds a
 * NUL byte (no header the reader will take: it refuses a NUL in any
 * header cell, and the reader refuses what the copy holds; cat /dev/zero
 * | verdict check - copied gigabytes first), or is whole and refused by
 * fl->refused.  Nothing else stops it: a long first line may be a header
 * the reader takes (up to 16 cells of --max-cell). */
static bool first_line_stops(struct first_line *fl, const char *buf, size_t n)
{
	if (!fl->csv || fl->done)
		return false;
	/* the line ends at a CR or LF, whichever comes first (the reader
	 * takes CR-only files: the rest of such a file is no first line) */
	const char *lf = memchr(buf, '\n', n), *cr = memchr(buf, '\r', lf ? (size_t)(lf - buf) : n);
	const char *end = cr ? cr : lf;
	size_t k = end ? (size_t)(end - buf) : n;
	if (memchr(buf, '\0', k)) {
		fl->done = true;
		return true;
	}
	if (!fl->refused) {
		fl->done = end != NULL;
		return false;
	}
	k += end ? 1 : 0;   /* with its line end */
	char *grown = fl->len + k <= SPOOL_FIRST_LINE_MAX ? realloc(fl->buf, fl->len + k) : NULL;
	if (!grown) {
		fl->done = true;   /* too long to be looked at: copied whole */
		return false;
	}
	fl->buf = grown;
	memcpy(fl->buf + fl->len, buf, k);
	fl->len += k;
	if (!end)
		return false;
	fl->done = true;
	return fl->refused(fl->ctx, fl->buf, fl->len);
}

/* The rest of in to fd, STEP bytes at a time.  0; or -1 with err set. */
static int copy_to(FILE *in, int fd, const char *dir, struct first_line *fl, char *err, size_t errlen)
{
	static char buf[STEP];   /* touched only when a pipe is copied */
	int e = 0;
	size_t n = 1;

	while (n > 0 && e == 0) {
		errno = 0;
		n = fread(buf, 1, STEP, in);
		if (n < STEP && ferror(in)) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		e = write_all(fd, buf, n);
		if (e == 0 && first_line_stops(fl, buf, n))
			break;
	}
	if (e)
		cannot_copy(err, errlen, dir, e, "room there for the whole input");
	return e ? -1 : 0;
}

static FILE *copy_of(FILE *in, struct first_line *fl, char *err, size_t errlen)
{
	const char *dir = spool_dir();
	int fd = open_unnamed(dir);
	if (errlen)
		*err = '\0';
	if (fd < 0) {
		cannot_copy(err, errlen, dir, errno, "a directory it may write in");
		return NULL;
	}
	FILE *f = NULL;
	if (copy_to(in, fd, dir, fl, err, errlen) == 0 && lseek(fd, 0, SEEK_SET) == 0)
		f = fdopen(fd, "rb");
	if (!f) {
		if (!*err)
			snprintf(err, errlen, "cannot read back its copy in '%s': %s", dir, strerror(errno));
		close(fd);
	}
	return f;
}

FILE *spool_copy(FILE *in, char *err, size_t errlen)
{
	struct first_line fl = { .csv = false };
	return copy_of(in, &fl, err, errlen);
}

FILE *spool_copy_csv(FILE *in, spool_first_line_fn refused, void *ctx, char *err, size_t errlen)
{
	struct first_line fl = { .csv = true, .refused = refused, .ctx = ctx };
	FILE *f = copy_of(in, &fl, err, errlen);
	free(fl.buf);
	return f;
}
