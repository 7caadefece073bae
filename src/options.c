/* options — parsing the command line; see options.h. */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cell.h"
#include "diag.h"
#include "nearname.h"
#include "options.h"
#include "ruleset.h"
#include "strbuf.h"

enum {
	OPT_AS_OF = 1000, OPT_FORMAT, OPT_ENCODING, OPT_LANG, OPT_BOM, OPT_TEMPLATE, OPT_ID, OPT_ROW,
	OPT_OLD, OPT_NEW, OPT_HEADER_FROM, OPT_ROW_OFFSET, OPT_JOBS, OPT_MAX_INSTR, OPT_MAX_MEM,
	OPT_MAX_CELL, OPT_NO_HEADER, OPT_ENGINE,
};

static const struct option longopts[] = {
	{ "rules", required_argument, NULL, 'r' },
	{ "decision", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "bom", no_argument, NULL, OPT_BOM },
	{ "template", no_argument, NULL, OPT_TEMPLATE },
	{ "id", required_argument, NULL, OPT_ID },
	{ "row", required_argument, NULL, OPT_ROW },
	{ "old", required_argument, NULL, OPT_OLD },
	{ "new", required_argument, NULL, OPT_NEW },
	{ "header-from", required_argument, NULL, OPT_HEADER_FROM },
	{ "row-offset", required_argument, NULL, OPT_ROW_OFFSET },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "max-instructions", required_argument, NULL, OPT_MAX_INSTR },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEM },
	{ "max-cell", required_argument, NULL, OPT_MAX_CELL },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ NULL, 0, NULL, 0 },
};

/* A whole number in [lo, hi], or complain naming the option. */
static int number_arg(const char *opt, const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		diag_error2("%s: '%s' is not a whole number from %ld to %ld", "%s：“%s”不是%ld至%ld之间的整数", opt, s,
			    lo, hi);
		return 2;
	}
	*out = v;
	return 0;
}

static int parse_format(struct options *o, const char *s)
{
	static const struct { const char *name; enum out_format f; } names[] = {
		{ "csv", FMT_CSV }, { "jsonl", FMT_JSONL }, { "table", FMT_TABLE },
		{ "md", FMT_MD }, { "html", FMT_HTML }, { "excel", FMT_CSV },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(s, names[i].name) == 0) {   /* JSONL as jsonl, as --encoding */
			o->format = names[i].f;
			o->format_given = true;
			o->format_name = names[i].name;
			if (strcmp(names[i].name, "excel") == 0)
				o->bom = true;
			return 0;
		}
	}
	diag_error2("--format: unknown format '%s'; expected csv, jsonl, table, excel (or md, html for rulebook)",
		    "--format：未知格式“%s”；应为csv、jsonl、table、excel（rulebook为md、html）", s);
	return 2;
}

static int one_option(struct options *o, int c, const char *arg)
{
	long n;
	switch (c) {
	case 'r': o->rules = arg; return 0;
	case 'd': o->decision = arg; return 0;
	case 'o': o->output = arg; return 0;
	case 'q': o->quiet = true; return 0;
	case OPT_AS_OF: {
		/* white space around it (a pasted ' 2025-06-30', a line end
		 * from a script's $(...)) is not part of it, as in a cell */
		size_t len = cell_trim(&arg, strlen(arg));
		/* (a longer one is no date, and is quoted whole) */
		char day[64];
		if (len < sizeof day) {
			memcpy(day, arg, len);
			day[len] = '\0';
			arg = day;
		}
		if (!date_parse(arg, strlen(arg), &o->as_of)) {
			int y, m, d, used = 0;
			date_t first, next;
			/* the form is right, the day is not in the calendar */
			if (sscanf(arg, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && (size_t)used == strlen(arg) &&
			    date_from_ymd(y, m, 1, &first) &&
			    (m == 12 ? date_from_ymd(y + 1, 1, 1, &next) : date_from_ymd(y, m + 1, 1, &next))) {
				diag_error2("--as-of: '%s' is no day of the calendar (%04d-%02d has %d days); expected "
					    "YYYY-MM-DD, e.g. 2025-06-30",
					    "--as-of：“%s”不是日历上的日期（%04d年%02d月只有%d天）；应为YYYY-MM-DD，例如2025-06-30",
					    arg, y, m, (int)(next - first));
				return 2;
			}
			diag_error2("--as-of: '%s' is not a date; expected YYYY-MM-DD, e.g. 2025-06-30 "
				    "(also 2025/6/30, 2025.6.30, 2025年6月30日)",
				    "--as-of：“%s”不是日期；应为YYYY-MM-DD，例如2025-06-30（也可2025/6/30、2025.6.30、2025年6月30日）",
				    arg);
			return 2;
		}
		o->as_of_given = true;
		return 0;
	}
	case OPT_FORMAT: return parse_format(o, arg);
	case OPT_ENCODING:
		if (strcasecmp(arg, "utf-8") && strcasecmp(arg, "utf8") && strcasecmp(arg, "gb18030") &&
		    strcasecmp(arg, "gbk")) {
			diag_error2("--encoding: unknown encoding '%s'; expected utf-8, gb18030 or gbk",
				    "--encoding：未知编码“%s”；应为utf-8、gb18030或gbk", arg);
			return 2;
		}
		o->encoding = arg;
		return 0;
	case OPT_LANG:
		if (strcasecmp(arg, "en") && strcasecmp(arg, "zh")) {
			diag_error2("--lang: unknown language '%s'; expected en or zh", "--lang：未知语言“%s”；应为en或zh", arg);
			return 2;
		}
		o->lang = strcasecmp(arg, "zh") == 0 ? "zh" : "en";
		diag_set_zh(strcmp(o->lang, "zh") == 0);
		return 0;
	case OPT_BOM: o->bom = true; return 0;
	case OPT_NO_HEADER: o->no_header = true; return 0;
	case OPT_ENGINE:
		if (strcmp(arg, "auto") && strcmp(arg, "lua") && strcmp(arg, "native")) {
			diag_error2("--engine: unknown engine '%s'; expected auto, native or lua",
				    "--engine：未知的求值方式“%s”；应为auto、native或lua", arg);
			return 2;
		}
		o->engine = strcmp(arg, "lua") == 0 ? ENGINE_LUA : strcmp(arg, "native") == 0 ? ENGINE_NATIVE
											: ENGINE_AUTO;
		return 0;
	case OPT_TEMPLATE: o->template_ = true; return 0;
	case OPT_ID: o->id = arg; return 0;
	case OPT_ROW:
		if (number_arg("--row", arg, 1, 1L << 40, &n)) return 2;
		o->row = n;
		return 0;
	case OPT_OLD: o->old_dir = arg; return 0;
	case OPT_NEW: o->new_dir = arg; return 0;
	case OPT_HEADER_FROM: o->header_from = arg; return 0;
	case OPT_ROW_OFFSET:
		if (number_arg("--row-offset", arg, 0, 1L << 40, &n)) return 2;
		o->row_offset = n;
		return 0;
	case OPT_JOBS:
		if (number_arg("--jobs", arg, 0, 256, &n)) return 2;
		o->jobs = (int)n;
		return 0;
	case OPT_MAX_INSTR:
		if (number_arg("--max-instructions", arg, 1000, 2000000000L, &n)) return 2;
		o->max_instructions = n;
		return 0;
	case OPT_MAX_MEM:
		if (number_arg("--max-memory", arg, 4, 65536, &n)) return 2;
		o->max_memory = (size_t)n << 20;
		return 0;
	case OPT_MAX_CELL:
		if (number_arg("--max-cell", arg, 16, 1L << 30, &n)) return 2;
		o->max_cell = (size_t)n;
		return 0;
	}
	return 2;
}

/* The file -o names, when it is a regular file that exists already. */
static bool output_file(const struct options *o, struct stat *st)
{
	return o->output && strcmp(o->output, "-") != 0 && stat(o->output, st) == 0 && S_ISREG(st->st_mode);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* -o naming a file the command reads would empty it before it is read:
 * the applications (or a past run's verdicts) would be lost. */
static int refuse_output_named_input(const struct options *o)
{
	struct stat out_st, in_st;
	if (!output_file(o, &out_st))
		return 0;
	if (o->header_from && stat(o->header_from, &in_st) == 0 && same_file(&in_st, &out_st)) {
		diag_error2("%s: -o '%s' is the file '%s' --header-from reads; writing there would empty it "
			    "first: give another output file", "%s：-o“%s”正是--header-from读取的文件“%s”；写入会先将其"
			    "清空：请另给一个输出文件", o->command, o->output, o->header_from);
		return 2;
	}
	for (int i = 0; i < o->nargs; i++) {
		if (strcmp(o->args[i], "-") != 0 && stat(o->args[i], &in_st) == 0 && same_file(&in_st, &out_st)) {
			diag_error2("%s: -o '%s' is the file '%s' this command reads; writing there would empty it "
				    "first: give another output file", "%s：-o“%s”正是本命令读取的文件“%s”；写入会先将其"
				    "清空：请另给一个输出文件", o->command, o->output, o->args[i]);
			return 2;
		}
	}
	return 0;
}

/* The output's path made absolute (the file itself need not exist yet:
 * its directory must); false when it cannot be. */
static bool output_real_path(const char *output, char out[PATH_MAX])
{
	if (realpath(output, out))
		return true;
	char dir[PATH_MAX];
	const char *slash = strrchr(output, '/');
	size_t n = slash ? (size_t)(slash - output) : 0;
	if (n >= sizeof dir)
		return false;
	if (slash)
		memcpy(dir, output, n);
	dir[n] = '\0';
	char real[PATH_MAX];
	if (!realpath(slash ? (n ? dir : "/") : ".", real))
		return false;
	return (size_t)snprintf(out, PATH_MAX, "%s/%s", real, slash ? slash + 1 : output) < PATH_MAX;
}

/* -o inside a rule set directory the command reads would write into the
 * rules: 'lint -o rules/params.lua' emptied a rule file, and every later
 * run failed. */
static int refuse_output_in_rules(const struct options *o)
{
	char out[PATH_MAX], dir[PATH_MAX];
	if (!o->output || strcmp(o->output, "-") == 0 || !output_real_path(o->output, out))
		return 0;
	const char *named = ruleset_named_dir(o->rules);
	const char *dirs[] = { named ? named : "rules", o->old_dir, o->new_dir };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (!dirs[i] || !realpath(dirs[i], dir))
			continue;
		size_t n = strlen(dir);
		if (strncmp(out, dir, n) == 0 && out[n] == '/') {
			diag_error2("%s: -o '%s' is inside the rule set directory '%s'; writing there would change "
				    "the rules (and their digest): give an output file outside it",
				    "%s：-o“%s”位于规则集目录“%s”之内；写入会改动规则（及其摘要）：请另给目录之外的"
				    "输出文件", o->command, o->output, dirs[i]);
			return 2;
		}
	}
	return 0;
}

/* ---- Which command takes what ---- */

/*
 * What each command takes: its options by long name (every command also
 * takes --help and --version, and --format and --bom, which the command
 * judges itself by the forms it writes: options_refuse_format) and its
 * file arguments, how many and what they are.  -q is taken by the
 * commands that print a summary or a report (check, diff, test, audit)
 * and, changing nothing, by explain and audit, whose output has no
 * summary line to leave out (scripts give -q to every command).  An
 * option of another
 * command is refused: it was taken and ignored (check --id wrote every
 * record, check --old/--new evaluated under -r).
 */
static const struct command_spec {
	const char *name;
	const char *options;      /* long names, one space between */
	int min_args, max_args;
	const char *args_en, *args_zh;
} specs[] = {
	{ "check", "rules decision output quiet as-of encoding lang max-instructions max-memory max-cell "
	  "header-from row-offset no-header jobs engine", 0, 1,
	  "one input file at most (FILE, or - for standard input)", "至多一个输入文件（FILE，或 - 表示标准输入）" },
	{ "explain", "id row rules decision output quiet as-of encoding lang max-instructions max-memory "
	  "max-cell", 0, 1,
	  "one input file at most (FILE, or - for standard input)", "至多一个输入文件（FILE，或 - 表示标准输入）" },
	{ "lint", "rules decision output as-of encoding lang max-instructions max-memory", 0, 0,
	  "options only, no file (a decision is named with -d NAME)", "只含选项、不含文件（决策用 -d 名称 指定）" },
	{ "test", "rules decision output quiet as-of encoding lang max-instructions max-memory", 0, 0,
	  "options only, no file (a decision is named with -d NAME)", "只含选项、不含文件（决策用 -d 名称 指定）" },
	{ "schema", "rules decision output template lang max-instructions max-memory", 0, 0,
	  "options only, no file (a decision is named with -d NAME)", "只含选项、不含文件（决策用 -d 名称 指定）" },
	{ "diff", "old new decision output quiet as-of encoding lang engine max-instructions max-memory "
	  "max-cell", 0, 1,
	  "one input file at most (FILE, or - for standard input)", "至多一个输入文件（FILE，或 - 表示标准输入）" },
	{ "audit", "rules decision output quiet as-of encoding lang engine max-instructions max-memory "
	  "max-cell", 1, 2,
	  "the past run's VERDICTS.jsonl, then the input FILE (- or none for standard input)",
	  "以往一次运行的VERDICTS.jsonl，其后为输入文件（- 或不给表示标准输入）" },
	{ "rulebook", "rules decision output lang max-instructions max-memory", 0, 0,
	  "options only, no file (a decision is named with -d NAME)", "只含选项、不含文件（决策用 -d 名称 指定）" },
};

/* Taken by every command. */
static const char every_command[] = "help version format bom";

/* What to do instead, where an option of another command is a likely
 * slip. */
static const struct {
	const char *command, *option, *en, *zh;
} instead[] = {
	{ "check", "id", "one record is explained by 'verdict explain --id ID'",
	  "单条记录请用“verdict explain --id 编号”解释" },
	{ "check", "row", "one record is explained by 'verdict explain --row N'",
	  "单条记录请用“verdict explain --row 序号”解释" },
	{ "diff", "rules", "diff reads the two rule sets --old DIR and --new DIR name",
	  "diff读取 --old 目录 和 --new 目录 指定的两个规则集" },
	{ "explain", "engine", "explain runs the Lua evaluator, whose every step it shows",
	  "explain总用Lua求值器，以显示其每一步" },
};

static const struct command_spec *spec_of(const char *command)
{
	for (size_t i = 0; command && i < sizeof specs / sizeof specs[0]; i++)
		if (strcmp(specs[i].name, command) == 0)
			return &specs[i];
	return NULL;
}

/* Whether name is a word of the space-separated list. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static bool spec_takes(const struct command_spec *sp, const char *name)
{
	return !sp || in_list(every_command, name) || in_list(sp->options, name);
}

/* The long name of what getopt returned (c), or NULL. */
static const char *long_name(int c)
{
	for (const struct option *p = longopts; p->name; p++)
		if (p->val == c)
			return p->name;
	return NULL;
}

/* The commands that take the option called name: "explain", "check and
 * diff"; "check、diff" in Chinese. */
static void owners(struct strbuf *sb, const char *name, bool zh)
{
	size_t n = 0, total = 0;
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		total += in_list(specs[i].options, name);
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		if (!in_list(specs[i].options, name))
			continue;
		if (n++)
			strbuf_addstr(sb, zh ? "、" : n == total ? " and " : ", ");
		strbuf_addstr(sb, specs[i].name);
	}
}

/* An option of another command: refused, naming whose it is. */
static void refuse_option(const char *command, const char *given, const char *name)
{
	bool zh = diag_zh();
	struct strbuf who = STRBUF_INIT, note = STRBUF_INIT;
	owners(&who, name, zh);
	for (size_t i = 0; i < sizeof instead / sizeof instead[0]; i++)
		if (strcmp(instead[i].command, command) == 0 && strcmp(instead[i].option, name) == 0)
			strbuf_addf(&note, zh ? "%s；" : "%s; ", zh ? instead[i].zh : instead[i].en);
	diag_error2("%s: %s is an option of %s; %sexpected one of %s's options, see 'verdict %s --help'",
		    "%s：%s是%s的选项；%s应为%s自己的选项，见“verdict %s --help”", command, given, who.buf,
		    note.buf, command, command);
	strbuf_release(&who);
	strbuf_release(&note);
}

/* The file arguments, against what the command takes. */
static int check_args(const struct options *o, const struct command_spec *sp)
{
	if (!sp || (o->nargs >= sp->min_args && o->nargs <= sp->max_args))
		return 0;
	bool zh = diag_zh();
	struct strbuf found = STRBUF_INIT;
	if (o->nargs == 0)
		strbuf_addstr(&found, zh ? "没有文件参数" : "found no file argument");
	else
		strbuf_addf(&found, zh ? "有%d个文件参数：" : "found %d file argument%s: ", o->nargs,
			    o->nargs == 1 ? "" : "s");
	for (int i = 0; i < o->nargs && i < 3; i++)
		strbuf_addf(&found, zh ? "%s“%s”" : "%s'%s'", i ? (zh ? "、" : ", ") : "", o->args[i]);
	if (o->nargs > 3)
		strbuf_addstr(&found, zh ? "……" : ", ...");
	diag_error2("%s: %s; expected %s, see 'verdict %s --help'", "%s：%s；应为%s，见“verdict %s --help”",
		    sp->name, found.buf, zh ? sp->args_zh : sp->args_en, sp->name);
	strbuf_release(&found);
	return 2;
}

/* ---- Unknown options: the one meant ---- */

/* The option of the command meant by the unknown long option given
 * ("--as_of", "--as-off=2025-06-30", "--ro" that getopt finds ambiguous):
 * the one it begins, or the nearest at most two edits away (one for a
 * name of four letters or fewer); NULL when there is none. */
static const char *closest(const struct command_spec *sp, const char *given)
{
	char name[64];
	const char *eq = strchr(given, '=');
	size_t n = eq ? (size_t)(eq - given) : strlen(given);
	if (n == 0 || n >= sizeof name)
		return NULL;
	memcpy(name, given, n);
	name[n] = '\0';
	const char *best = NULL, *begun = NULL;
	size_t best_d = 3, nbegun = 0;
	for (const struct option *p = longopts; p->name; p++) {
		if (!spec_takes(sp, p->name))
			continue;
		if (strncmp(p->name, name, n) == 0) {
			begun = p->name;
			nbegun++;
		}
		/* two edits for a long name, one for a short one ("--foo" is
		 * not "--bom") */
		size_t d = nearname_distance_z(name, p->name);
		if (d < best_d && d <= nearname_allowed(p->name, strlen(p->name))) {
			best = p->name;
			best_d = d;
		}
	}
	return nbegun == 1 ? begun : best;
}

static void unknown_option(const char *command, const char *bad, const struct command_spec *sp)
{
	const char *meant = bad[0] == '-' && bad[1] == '-' ? closest(sp, bad + 2) : NULL;
	if (meant)
		diag_error2("%s: unknown option '%s'; did you mean --%s? see 'verdict %s --help'",
			    "%s：未知选项“%s”；是否应为 --%s？见“verdict %s --help”", command, bad, meant, command);
	else
		diag_error2("%s: unknown option '%s'; expected one of %s's options, see 'verdict %s --help'",
			    "%s：未知选项“%s”；应为%s的选项之一，见“verdict %s --help”", command, bad, command, command);
}

/* ---- Parsing ---- */

void options_lang_early(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = strncmp(argv[i], "--lang=", 7) == 0 ? argv[i] + 7
				: strcmp(argv[i], "--lang") == 0 && i + 1 < argc ? argv[++i] : NULL;
		if (v && (strcasecmp(v, "zh") == 0 || strcasecmp(v, "en") == 0))
			diag_set_zh(strcasecmp(v, "zh") == 0);
	}
}

int options_parse(struct options *o, int argc, char **argv, const char *usage)
{
	memset(o, 0, sizeof *o);
	o->command = argv[0];
	o->lang = "en";
	o->jobs = 1;
	optind = 1;
	opterr = 0;
	options_lang_early(argc, argv);   /* messages about options before --lang in its language */
	const struct command_spec *sp = spec_of(argv[0]);
	int c, at;
	bool version = false;
	char refused[80] = "";
	const char *refused_name = NULL;
	/* The leading ':' has getopt tell an option given without its value
	 * (':') from one it does not know ('?'). */
	while (at = -1, (c = getopt_long(argc, argv, ":r:d:o:hqV", longopts, &at)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (c == 'V') {
			version = true;
			continue;
		}
		if (c == ':') {
			diag_error2("%s: option '%s' needs a value, and none follows it; see 'verdict %s --help'",
				    "%s：选项“%s”须跟一个值，其后却没有；见“verdict %s --help”", argv[0], argv[optind - 1],
				    argv[0]);
			return 2;
		}
		if (c == '?') {
			const char *bad = argv[optind - 1];
			bool is_long = bad && bad[0] == '-' && bad[1] == '-';
			if (is_long && optopt)   /* a known long option given a value it does not take */
				diag_error2("%s: option '%s' takes no value; see 'verdict %s --help'",
					    "%s：选项“%s”不带值；见“verdict %s --help”", argv[0], bad, argv[0]);
			else if (!is_long && optopt && optopt < 256)
				diag_error2("%s: unknown option '-%c'; expected one of %s's options, see 'verdict %s --help'",
					    "%s：未知选项“-%c”；应为%s的选项之一，见“verdict %s --help”", argv[0], optopt,
					    argv[0], argv[0]);
			else
				unknown_option(argv[0], bad, sp);
			return 2;
		}
		const char *name = long_name(c);
		if (name && !spec_takes(sp, name)) {
			/* refused once every option is read: --version takes any,
			 * and -r names the rule set whose digest it prints */
			if (c == 'r')
				o->rules = optarg;
			if (!refused_name) {
				refused_name = name;
				if (at >= 0)
					snprintf(refused, sizeof refused, "--%s", name);
				else
					snprintf(refused, sizeof refused, "-%c", c);
			}
			continue;
		}
		if (one_option(o, c, optarg))
			return 2;
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	if (version)
		return OPTIONS_VERSION;
	if (refused_name) {
		refuse_option(argv[0], refused, refused_name);
		return 2;
	}
	if (check_args(o, sp) || refuse_output_named_input(o) || refuse_output_in_rules(o))
		return 2;
	if (!o->as_of_given)
		o->as_of = date_today();
	return 0;
}

bool options_zh(const struct options *o)
{
	return o->lang && strcmp(o->lang, "zh") == 0;
}

int options_refuse_output_stdin(const struct options *o, int input_arg)
{
	struct stat out_st, in_st;
	bool reads_stdin = o->nargs <= input_arg || strcmp(o->args[input_arg], "-") == 0;
	if (!reads_stdin || !output_file(o, &out_st) || fstat(STDIN_FILENO, &in_st) != 0 ||
	    !same_file(&in_st, &out_st))
		return 0;
	diag_error2("%s: -o '%s' is the file standard input is read from; writing there would empty it "
		    "first: give another output file", "%s：-o“%s”正是标准输入所来自的文件；写入会先将其清空："
		    "请另给一个输出文件", o->command, o->output);
	return 2;
}

/* The forms a command writes, as options_refuse_format's callers name
 * them, in Chinese. */
static const char *forms_zh(const char *forms)
{
	static const struct { const char *en, *zh; } as[] = {
		{ "text for a person", "供人阅读的文本" },
		{ "a text report", "文本报告" },
		{ "table or csv", "table或csv" },
		{ "md or html", "md或html" },
		{ "csv, jsonl, table or excel", "csv、jsonl、table或excel" },
	};
	for (size_t i = 0; i < sizeof as / sizeof as[0]; i++)
		if (strcmp(forms, as[i].en) == 0)
			return as[i].zh;
	return forms;
}

int options_refuse_format(const struct options *o, unsigned allowed, bool bom, const char *forms)
{
	const char *cmd = o->command ? o->command : "verdict";
	const char *zh = forms_zh(forms);
	if (o->format_given && !(allowed & (1u << o->format))) {
		if (allowed)
			diag_error2("%s: --format %s: expected %s", "%s：--format %s：应为%s", cmd, o->format_name,
				    diag_zh() ? zh : forms);
		else
			diag_error2("%s: --format %s: it takes no --format; it writes %s",
				    "%s：--format %s：不接受--format；其输出为%s", cmd, o->format_name, diag_zh() ? zh : forms);
		return 2;
	}
	if (o->bom && !bom) {
		diag_error2("%s: takes no --bom; it writes %s", "%s：不接受--bom；其输出为%s", cmd, diag_zh() ? zh : forms);
		return 2;
	}
	return 0;
}
