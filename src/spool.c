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

/* A first line with a NUL byte in it is no header the reader will take
 * (it refuses a NUL in any header cell): the copy stops there, and the
 * reader refuses what it holds (cat /dev/zero | verdict check - copied
 * gigabytes first).  Nothing else stops it: a long first line may be a
 * header the reader takes (up to 16 cells of --max-cell). */
static bool first_line_refused(const char *buf, size_t n, bool *ended)
{
	if (*ended)
		return false;
	/* the line ends at a CR or LF, whichever comes first (the reader
	 * takes CR-only files: the rest of such a file is no first line) */
	const char *lf = memchr(buf, '\n', n), *cr = memchr(buf, '\r', lf ? (size_t)(lf - buf) : n);
	const char *end = cr ? cr : lf;
	size_t k = end ? (size_t)(end - buf) : n;
	if (memchr(buf, '\0', k))
		return true;
	*ended = end != NULL;
	return false;
}

/* The rest of in to fd, STEP bytes at a time.  0; or -1 with err set. */
static int copy_to(FILE *in, int fd, const char *dir, bool csv, char *err, size_t errlen)
{
	static char buf[STEP];   /* touched only when a pipe is copied */
	int e = 0;
	size_t n = 1;
	bool ended = false;

	while (n > 0 && e == 0) {
		errno = 0;
		n = fread(buf, 1, STEP, in);
		if (n < STEP && ferror(in)) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		e = write_all(fd, buf, n);
		if (e == 0 && csv && first_line_refused(buf, n, &ended))
			break;
	}
	if (e)
		cannot_copy(err, errlen, dir, e, "room there for the whole input");
	return e ? -1 : 0;
}

static FILE *copy_of(FILE *in, bool csv, char *err, size_t errlen)
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
	if (copy_to(in, fd, dir, csv, err, errlen) == 0 && lseek(fd, 0, SEEK_SET) == 0)
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
	return copy_of(in, false, err, errlen);
}

FILE *spool_copy_csv(FILE *in, char *err, size_t errlen)
{
	return copy_of(in, true, err, errlen);
}
