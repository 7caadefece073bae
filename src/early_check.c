/* early_check — a child process checks a file's UTF-8; see early_check.h. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
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
	struct stat sb;

	memset(ec, 0, sizeof *ec);
	ec->fd = -1;
	int file = open(path, O_RDONLY | O_CLOEXEC);
	if (file < 0)
		return false;
	bool ok = fstat(file, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= EARLY_CHECK_MIN &&
		  csvin_utf8_child_start(file, csvin_utf8_start(file), (size_t)sb.st_size, &ec->pid,
					 &ec->fd) == 0;
	close(file);   /* the child has its own */
	if (!ok) {
		ec->pid = 0;
		return false;
	}
	ec->dev = sb.st_dev;
	ec->ino = sb.st_ino;
	ec->size = sb.st_size;
	ec->mtime = sb.st_mtim;
	return true;
}

bool early_check_valid(struct early_check *ec, FILE *f)
{
	if (ec->pid <= 0)
		return false;
	size_t at = csvin_utf8_child_answer(ec->pid, ec->fd);
	ec->pid = 0;
	ec->fd = -1;
	struct stat sb;
	return at == (size_t)ec->size && fstat(fileno(f), &sb) == 0 && same_file(ec, &sb);
}

void early_check_end(struct early_check *ec)
{
	if (ec->pid <= 0)
		return;
	kill(ec->pid, SIGKILL);   /* the run stopped before asking: no need to wait for it */
	csvin_utf8_child_answer(ec->pid, ec->fd);
	ec->pid = 0;
	ec->fd = -1;
}
