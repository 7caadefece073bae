/* early_check — a child process checks a file's UTF-8; see early_check.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "csvin.h"
#include "early_check.h"

static bool same_file(const struct early_check *ec, const struct stat *sb)
{
	return sb->st_dev == ec->dev && sb->st_ino == ec->ino && sb->st_size == ec->size &&
	       sb->st_mtim.tv_sec == ec->mtime.tv_sec && sb->st_mtim.tv_nsec == ec->mtime.tv_nsec;
}

bool early_check_start(struct early_check *ec, const char *path)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	struct stat sb;
	int pfd[2];

	memset(ec, 0, sizeof *ec);
	ec->fd = -1;
	int file = open(path, O_RDONLY | O_CLOEXEC);
	if (file < 0)
		return false;
	if (fstat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < EARLY_CHECK_MIN ||
	    pipe(pfd) != 0) {
		close(file);
		return false;
	}
	ec->dev = sb.st_dev;
	ec->ino = sb.st_ino;
	ec->size = sb.st_size;
	ec->mtime = sb.st_mtim;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		close(file);
		return false;
	}
	if (pid == 0) {
		unsigned char head[3];
		size_t start = pread(file, head, 3, 0) == 3 && memcmp(head, bom, 3) == 0 ? 3 : 0;
		size_t at = csvin_utf8_valid_upto(file, start, (size_t)sb.st_size);
		ssize_t w = write(pfd[1], &at, sizeof at);
		_exit(w == (ssize_t)sizeof at ? 0 : 1);
	}
	close(pfd[1]);
	close(file);
	ec->pid = pid;
	ec->fd = pfd[0];
	return true;
}

bool early_check_valid(struct early_check *ec, FILE *f)
{
	if (ec->pid <= 0)
		return false;
	size_t at = (size_t)-1;
	ssize_t r;
	do
		r = read(ec->fd, &at, sizeof at);
	while (r < 0 && errno == EINTR);
	early_check_end(ec);
	struct stat sb;
	return r == (ssize_t)sizeof at && at == (size_t)ec->size && fstat(fileno(f), &sb) == 0 &&
	       same_file(ec, &sb);
}

void early_check_end(struct early_check *ec)
{
	if (ec->pid <= 0)
		return;
	close(ec->fd);
	ec->fd = -1;
	kill(ec->pid, SIGKILL);   /* no harm once it is done; no waiting if not */
	while (waitpid(ec->pid, NULL, 0) < 0 && errno == EINTR)
		;
	ec->pid = 0;
}
