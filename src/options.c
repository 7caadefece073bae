/* options — parsing the command line; see options.h. */
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "diag.h"
#include "options.h"

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
		diag_error("%s: '%s' is not a whole number from %ld to %ld", opt, s, lo, hi);
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
		if (strcmp(s, names[i].name) == 0) {
			o->format = names[i].f;
			o->format_given = true;
			o->format_name = s;
			if (strcmp(s, "excel") == 0)
				o->bom = true;
			return 0;
		}
	}
	diag_error("--format: unknown format '%s'; expected csv, jsonl, table, excel (or md, html for rulebook)", s);
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
	case OPT_AS_OF:
		if (!date_parse(arg, strlen(arg), &o->as_of)) {
			diag_error("--as-of: '%s' is not a date; expected YYYY-MM-DD, e.g. 2025-06-30", arg);
			return 2;
		}
		o->as_of_given = true;
		return 0;
	case OPT_FORMAT: return parse_format(o, arg);
	case OPT_ENCODING:
		if (strcasecmp(arg, "utf-8") && strcasecmp(arg, "utf8") && strcasecmp(arg, "gb18030") &&
		    strcasecmp(arg, "gbk")) {
			diag_error("--encoding: unknown encoding '%s'; expected utf-8, gb18030 or gbk", arg);
			return 2;
		}
		o->encoding = arg;
		return 0;
	case OPT_LANG:
		if (strcmp(arg, "en") && strcmp(arg, "zh")) {
			diag_error("--lang: unknown language '%s'; expected en or zh", arg);
			return 2;
		}
		o->lang = arg;
		diag_set_zh(strcmp(arg, "zh") == 0);
		return 0;
	case OPT_BOM: o->bom = true; return 0;
	case OPT_NO_HEADER: o->no_header = true; return 0;
	case OPT_ENGINE:
		if (strcmp(arg, "auto") && strcmp(arg, "lua") && strcmp(arg, "native")) {
			diag_error("--engine: unknown engine '%s'; expected auto, native or lua", arg);
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
	for (int i = 0; i < o->nargs; i++) {
		if (strcmp(o->args[i], "-") != 0 && stat(o->args[i], &in_st) == 0 && same_file(&in_st, &out_st)) {
			diag_error("%s: -o '%s' is the file '%s' this command reads; writing there would empty it "
				   "first: give another output file", o->command, o->output, o->args[i]);
			return 2;
		}
	}
	return 0;
}

int options_parse(struct options *o, int argc, char **argv, const char *usage)
{
	memset(o, 0, sizeof *o);
	o->command = argv[0];
	o->lang = "en";
	o->jobs = 1;
	optind = 1;
	opterr = 0;
	int c;
	bool version = false;
	/* The leading ':' has getopt tell an option given without its value
	 * (':') from one it does not know ('?'). */
	while ((c = getopt_long(argc, argv, ":r:d:o:hqV", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (c == 'V') {
			version = true;
			continue;
		}
		if (c == ':') {
			diag_error("%s: option '%s' needs a value, and none follows it; see 'verdict %s --help'",
				   argv[0], argv[optind - 1], argv[0]);
			return 2;
		}
		if (c == '?') {
			const char *bad = argv[optind - 1];
			bool is_long = bad && bad[0] == '-' && bad[1] == '-';
			if (is_long && optopt)   /* a known long option given a value it does not take */
				diag_error("%s: option '%s' takes no value; see 'verdict %s --help'", argv[0], bad,
					   argv[0]);
			else if (!is_long && optopt && optopt < 256)
				diag_error("%s: unknown option '-%c'; see 'verdict %s --help'", argv[0], optopt, argv[0]);
			else
				diag_error("%s: unknown option '%s'; see 'verdict %s --help'", argv[0], bad, argv[0]);
			return 2;
		}
		if (one_option(o, c, optarg))
			return 2;
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	if (version)
		return OPTIONS_VERSION;
	if (refuse_output_named_input(o))
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
	diag_error("%s: -o '%s' is the file standard input is read from; writing there would empty it "
		   "first: give another output file", o->command, o->output);
	return 2;
}

int options_refuse_format(const struct options *o, unsigned allowed, bool bom, const char *forms)
{
	const char *cmd = o->command ? o->command : "verdict";
	if (o->format_given && !(allowed & (1u << o->format))) {
		if (allowed)
			diag_error2("%s: --format %s: expected %s", "%s：--format %s：应为%s", cmd, o->format_name, forms);
		else
			diag_error2("%s: --format %s: it takes no --format; it writes %s",
				    "%s：--format %s：不接受--format；其输出为%s", cmd, o->format_name, forms);
		return 2;
	}
	if (o->bom && !bom) {
		diag_error2("%s: takes no --bom; it writes %s", "%s：不接受--bom；其输出为%s", cmd, forms);
		return 2;
	}
	return 0;
}
