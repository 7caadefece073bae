/* diag — messages to stderr, one place for their form. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"

static void say(const char *prefix, const char *fmt, va_list ap)
{
	fputs("verdict: ", stderr);
	if (prefix)
		fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void diag_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(NULL, fmt, ap);
	va_end(ap);
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("warning: ", fmt, ap);
	va_end(ap);
}

static bool zh;

void diag_set_zh(bool on)
{
	zh = on;
}

bool diag_zh(void)
{
	return zh;
}

const char *diag_strerror(int e)
{
	if (zh) {
		switch (e) {
		case ENOENT: return "没有该文件或目录";
		case EACCES: return "没有访问权限";
		case EISDIR: return "它是一个目录";
		case ENOTDIR: return "路径中有一项不是目录";
		}
	}
	return strerror(e);
}

void diag_error2(const char *en_fmt, const char *zh_fmt, ...)
{
	va_list ap;
	va_start(ap, zh_fmt);
	say(NULL, zh ? zh_fmt : en_fmt, ap);
	va_end(ap);
}

void diag_warn2(const char *en_fmt, const char *zh_fmt, ...)
{
	va_list ap;
	va_start(ap, zh_fmt);
	say(zh ? "警告：" : "warning: ", zh ? zh_fmt : en_fmt, ap);
	va_end(ap);
}

void diag_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

bool diag_is_tty(void)
{
	return isatty(STDERR_FILENO) == 1;
}

void diag_end_if_reader_gone(int err)
{
	if (err == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
}
