/* cli — shared by the command front ends; see cli.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "diag.h"
#include "strbuf.h"
#include "version.h"

int cli_version(const char *rules_option)
{
	printf("verdict %s\n", VERDICT_VERSION);
	fflush(stdout);   /* before any message, for a reader of both */
	const char *dir = ruleset_default_dir(rules_option);
	char hex[65], err[1024];
	if (ruleset_dir_check(dir, err, sizeof err) == 0 && ruleset_digest(dir, hex, err, sizeof err) == 0) {
		printf("rules %s sha256:%s\n", dir, hex);
		return 0;
	}
	if (ruleset_named_dir(rules_option)) {
		diag_error2("--version: %s (named by %s)", "--version：%s（由%s指定）", err,
			    rules_option && *rules_option ? "-r" : "$VERDICT_RULES");
		return 2;
	}
	diag_warn2("--version: no digest: %s (the rule set looked for as neither -r DIR nor $VERDICT_RULES names one)",
		   "--version：没有摘要：%s（-r 目录 与 $VERDICT_RULES 均未指定规则集，按默认位置查找）", err);
	return 0;
}

int cli_options(struct options *o, int argc, char **argv, const char *usage)
{
	int st = options_parse(o, argc, argv, usage);
	if (st == OPTIONS_VERSION)
		return cli_version(o->rules) ? 2 : 1;
	return st;
}

struct ruleset *cli_load_rules(const struct options *o, const char *dir)
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

int cli_check_decision(const struct options *o, const struct ruleset *rs)
{
	struct strbuf why = STRBUF_INIT;
	int unknown = o->decision && ruleset_decision(rs, o->decision, &why) < 0;
	if (unknown)
		diag_error2("%s: %s", "%s：%s", o->command, why.buf);
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
	FILE *f = fopen(path, "wb");
	if (!f) {
		diag_error2("cannot open '%s' for writing: %s", "无法打开“%s”以写入：%s", path, diag_strerror(errno));
	} else if (!file_buffer_owner) {
		setvbuf(f, file_buffer, _IOFBF, OUTPUT_BUFFER);
		file_buffer_owner = f;
	}
	return f;
}

int cli_close_output(FILE *f, const char *path)
{
	int bad = fflush(f) != 0 || ferror(f);
	if (f != stdout) {
		bad |= fclose(f) != 0;
		if (f == file_buffer_owner)
			file_buffer_owner = NULL;
	}
	if (bad)
		diag_error2("cannot write '%s': %s", "无法写入“%s”：%s", path && strcmp(path, "-") ? path : "<stdout>",
			    diag_strerror(errno));
	return bad;
}
