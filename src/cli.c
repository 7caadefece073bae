/* cli — shared by the command front ends; see cli.h. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "diag.h"
#include "strbuf.h"
#include "version.h"

/* The engine's version line, before any message (for a reader of both). */
static void print_version(void)
{
	printf("verdict %s\n", VERDICT_VERSION);
	fflush(stdout);
}

/* "LABELrules DIR sha256:HEX": 0; or -1 with why in err. */
static int print_digest(const char *label, const char *dir, char *err, size_t errlen)
{
	char hex[65];
	if (ruleset_dir_check(dir, err, errlen) != 0 || ruleset_digest(dir, hex, err, errlen) != 0)
		return -1;
	printf("%srules %s sha256:%s\n", label, dir, hex);
	fflush(stdout);
	return 0;
}

int cli_version(const char *rules_option)
{
	print_version();
	const char *dir = ruleset_default_dir(rules_option);
	char err[1024];
	if (print_digest("", dir, err, sizeof err) == 0)
		return 0;
	if (ruleset_named_dir(rules_option)) {
		diag_error2("--version: %s (named by %s)", "--version：%s（由%s指定）", err,
			    rules_option && *rules_option ? "-r" : "$VERDICT_RULES");
		return 2;
	}
	diag_warn2("--version: no digest: %s (the rule set looked for as neither -r DIR nor $VERDICT_RULES names one)",
		   "--version：没有摘要：%s（-r 目录 与 $VERDICT_RULES 均未指定规则集，按默认位置查找）", err);
	return 0;
}

/* diff --version: the digests of the two rule sets it compares. */
static int version_of_pair(const char *old_dir, const char *new_dir)
{
	print_version();
	const char *dirs[2] = { old_dir, new_dir }, *names[2] = { "old", "new" }, *labels[2] = { "old ", "new " };
	int st = 0;
	for (int k = 0; k < 2; k++) {
		char err[1024];
		if (dirs[k] && print_digest(labels[k], dirs[k], err, sizeof err) != 0) {
			diag_error2("--version: %s (named by --%s)", "--version：%s（由--%s指定）", err, names[k]);
			st = 2;
		}
	}
	return st;
}

int cli_options(struct options *o, int argc, char **argv, const char *usage)
{
	int st = options_parse(o, argc, argv, usage);
	if (st == OPTIONS_VERSION && (o->old_dir || o->new_dir))
		return version_of_pair(o->old_dir, o->new_dir) ? 2 : 1;
	if (st == OPTIONS_VERSION)
		return cli_version(o->rules) ? 2 : 1;
	return st;
}

struct ruleset *cli_load_rules(struct options *o, const char *dir)
{
	char err[1024] = "";
	struct sandbox_limits lim = { o->max_memory, o->max_instructions };
	if (!dir)
		dir = ruleset_default_dir(o->rules);
	struct ruleset *rs = ruleset_load(dir, &lim, o->lang, err, sizeof err);
	if (!rs) {
		diag_error("%s", err);
		return NULL;
	}
	if (rs->nerrors) {
		for (size_t i = 0; i < rs->nerrors; i++)
			diag_note("%s\n", rs->errors[i]);
		diag_error2("rule set '%s' cannot be used: %zu problem%s (run 'verdict lint -r %s')",
			    "规则集“%s”无法使用：有%zu个问题%.0s（请运行“verdict lint -r %s”）", dir, rs->nerrors,
			    rs->nerrors == 1 ? "" : "s", dir);
		ruleset_free(rs);
		return NULL;
	}
	if (cli_check_decision(o, rs)) {
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

int cli_check_decision(struct options *o, const struct ruleset *rs)
{
	struct strbuf why = STRBUF_INIT;
	int i = o->decision ? ruleset_decision(rs, o->decision, &why) : 0;
	int unknown = i < 0;
	if (unknown)
		diag_error2("%s: %s", "%s：%s", o->command, why.buf);
	else if (o->decision)
		o->decision = rs->decisions[i].name;   /* as declared (-d Preparatory) */
	strbuf_release(&why);
	return unknown ? 2 : 0;
}

#define OUTPUT_BUFFER ((size_t)256 << 10)

/* glibc ignores setvbuf's size when it is given no buffer (it then takes
 * st_blksize, 4 KiB), so the buffers are ours.  One command opens at most
 * one output; a second open file falls back to stdio's own buffer. */
static char stdout_buffer[OUTPUT_BUFFER];
static char file_buffer[OUTPUT_BUFFER];
static FILE *file_buffer_owner;

/* -o FILE is written under a name of its own in FILE's directory and
 * renamed to FILE once complete: a run stopped half way (Ctrl-C, a kill,
 * a run that fails) leaves FILE as it was, never half of a new one with
 * the old one gone.  Only for a new file, or a regular one with one name
 * that this user owns and may write: a device, a FIFO, a symbolic link,
 * a file with other hard links, another's or a read-only one is opened
 * in place, as before (and a read-only one refused). */
static struct {
	FILE *f;
	char tmp[PATH_MAX], final[PATH_MAX];
	pid_t pid;          /* the process that made it: not a worker forked since */
	volatile sig_atomic_t active;
} pending;

static void drop_pending(void)
{
	if (pending.active && getpid() == pending.pid) {
		pending.active = 0;
		unlink(pending.tmp);
	}
}

static void on_stop_signal(int sig)
{
	drop_pending();   /* unlink and getpid are async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

static FILE *open_pending(const char *path)
{
	struct stat st;
	mode_t mode;
	if (lstat(path, &st) == 0) {
		/* ... nor a file this user may not write, or does not own: the
		 * rename would replace it (chmod 444 on a past run's output is
		 * kept as it was), or give it another owner */
		if (!S_ISREG(st.st_mode) || st.st_nlink > 1 || st.st_uid != geteuid() || access(path, W_OK) != 0)
			return NULL;
		mode = st.st_mode & 07777;
	} else if (errno == ENOENT) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	} else {
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	if (snprintf(pending.tmp, sizeof pending.tmp, "%.*s.%s.verdict-XXXXXX", dirlen, path,
		     slash ? slash + 1 : path) >= (int)sizeof pending.tmp ||
	    snprintf(pending.final, sizeof pending.final, "%s", path) >= (int)sizeof pending.final)
		return NULL;
	int fd = mkstemp(pending.tmp);
	if (fd < 0)
		return NULL;   /* a directory this user may not create in: in place */
	FILE *f = fdopen(fd, "wb");
	if (!f || fchmod(fd, mode) != 0) {
		if (f)
			fclose(f);
		else
			close(fd);
		unlink(pending.tmp);
		return NULL;
	}
	static bool registered;
	if (!registered) {
		registered = true;
		atexit(drop_pending);
		int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
			struct sigaction old;
			if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
				signal(sigs[i], on_stop_signal);
		}
	}
	pending.f = f;
	pending.pid = getpid();
	pending.active = 1;
	return f;
}

FILE *cli_open_output(const char *path)
{
	/* Records go out in many small writes (and jsonl ones of kilobytes):
	 * a larger buffer than stdio's default saves system calls.  Not for
	 * a terminal, where a person reads as the lines come. */
	if (!path || strcmp(path, "-") == 0) {
		if (!isatty(STDOUT_FILENO))
			setvbuf(stdout, stdout_buffer, _IOFBF, OUTPUT_BUFFER);
		return stdout;
	}
	FILE *f = pending.active ? NULL : open_pending(path);
	if (!f)
		f = fopen(path, "wb");
	if (!f) {
		diag_error2("cannot open '%s' for writing: %s", "无法打开“%s”以写入：%s", path, diag_strerror(errno));
	} else if (!file_buffer_owner) {
		setvbuf(f, file_buffer, _IOFBF, OUTPUT_BUFFER);
		file_buffer_owner = f;
	}
	return f;
}

void cli_write_error(const char *path, int err)
{
	diag_end_if_reader_gone(err);
	diag_error2("cannot write '%s': %s", "无法写入“%s”：%s", path && strcmp(path, "-") ? path : "<stdout>",
		    diag_strerror(err));
}

int cli_close_output(FILE *f, const char *path)
{
	int bad = fflush(f) != 0 || ferror(f);
	int err = errno;
	bool mine = pending.active && f == pending.f;
	if (f != stdout) {
		bad |= fclose(f) != 0;
		if (bad && !err)
			err = errno;
		if (f == file_buffer_owner)
			file_buffer_owner = NULL;
	}
	if (mine && !bad && rename(pending.tmp, pending.final) != 0) {
		bad = 1;
		err = errno;
	}
	if (mine) {
		if (bad)
			unlink(pending.tmp);   /* FILE keeps what it held */
		pending.active = 0;
	}
	if (bad)
		cli_write_error(path, err);
	return bad;
}

void cli_abandon_output(FILE *f)
{
	if (f != stdout)
		fclose(f);
	if (f == file_buffer_owner)
		file_buffer_owner = NULL;
	if (pending.active && f == pending.f)
		drop_pending();
}
