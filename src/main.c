/* verdict — policy rules in Lua over CSV files of applications.
 * main only dispatches: one cmd_<name> per command, each returning its
 * exit status. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "diag.h"
#include "pages.h"

static const struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{ "check", cmd_check, "evaluate every record of a CSV file; one verdict per record" },
	{ "explain", cmd_explain, "the full reasoning for one record" },
	{ "lint", cmd_lint, "load the rule set and report every problem in it" },
	{ "test", cmd_test, "run the rule set's own test cases, with rule coverage" },
	{ "schema", cmd_schema, "the columns a decision reads; --template for an empty CSV" },
	{ "diff", cmd_diff, "evaluate records under two rule sets and report what changes" },
	{ "audit", cmd_audit, "re-evaluate a past run's records and report changed verdicts" },
	{ "rulebook", cmd_rulebook, "a readable rulebook generated from the rule files" },
};

static void usage(FILE *f)
{
	fputs("usage: verdict COMMAND [options] [FILE|-]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fputs("\ncommon options: -r/--rules DIR, -d/--decision NAME, --as-of YYYY-MM-DD,\n"
	      "  -o/--output FILE, --format FMT (check: csv|jsonl|table|excel; diff and\n"
	      "  schema: table|csv|excel; rulebook: md|html), --encoding utf-8|gb18030|gbk,\n"
	      "  --lang en|zh, -h/--help, -V/--version\n"
	      "\n'verdict COMMAND --help' describes a command; 'verdict [COMMAND] --version\n"
	      "[-r DIR]' (or -V) prints the engine's version and the rule set's digest (exit 2\n"
	      "when the rule set -r or $VERDICT_RULES names cannot be read).\n"
	      "See also man verdict.\n", f);
}

/* --version [-r DIR]: the engine, and the rule set it would use with its
 * digest. */
static int version(int argc, char **argv)
{
	const char *dir = NULL;
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--rules") == 0)
			dir = argv[i + 1];
	return cli_version(dir);
}

int main(int argc, char **argv)
{
	pages_heap_ready((size_t)2 << 20);
	options_lang_early(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		return version(argc, argv);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	if (name[0] == '-') {
		diag_error2("'%s' before the command; expected the command first, then its options "
			    "(verdict check --lang zh FILE; see 'verdict --help')",
			    "命令之前出现“%s”；应先写命令，再写其选项（verdict check --lang zh FILE；见“verdict --help”）",
			    name);
		return 2;
	}
	diag_error2("unknown command '%s'; expected one of check, explain, lint, test, schema, diff, audit, rulebook "
		    "(see 'verdict --help')", "未知命令“%s”；应为check、explain、lint、test、schema、diff、audit、"
		    "rulebook之一（见“verdict --help”）", name);
	return 2;
}
