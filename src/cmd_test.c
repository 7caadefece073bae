/* verdict test — run the rule set's own test cases, with rule coverage. */
#include <stdlib.h>
#include "cli.h"
#include "diag.h"
#include "ruletests.h"

static const char usage[] =
"usage: verdict test [-d DECISION] [options]\n"
"\n"
"Run the test cases inside the rule set: every tests/NAME.csv of the rule\n"
"set directory holds input records, tests/NAME.expected.csv the expected\n"
"row, verdict and any of id, score, grade, failed, missing of each (a\n"
"column of any other name is refused, exit 2).  An as_of column in the\n"
"input gives a case its evaluation date (default: today or --as-of).\n"
"Prints a line for each case, 'PASS' with its verdict or 'FAIL' with what\n"
"differed, then rule coverage (which rules some case made TRUE, FALSE and\n"
"UNKNOWN, and why the rest are not covered) and 'N passed, N failed'.\n"
"\n"
"  -r, --rules DIR         rule set directory\n"
"  -d, --decision NAME     only the cases and coverage of that decision (the\n"
"                          test files whose header fits it)\n"
"      --as-of YYYY-MM-DD  evaluation date for cases without an as_of column\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk: the encoding of the\n"
"                          test files (tests/*.csv and their expected results)\n"
"  -q, --quiet             only the failing cases and the totals: no pass\n"
"                          lines, no coverage table\n"
"      --lang en|zh        language of the report (with --lang zh the case\n"
"                          lines read 通过/未通过, the reasons are Chinese)\n"
"      --max-instructions N, --max-memory MIB\n"
"                          the rule engine's limits, as for check\n"
"  -o, --output FILE       write the report here instead of standard output\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the rule set's digest\n"
"\n"
"Exit status: 0 every case passed; 1 some case failed; 2 trouble.\n";

/* The cases, the coverage table (unless quiet) and the totals, to f.
 * Returns ruletests_run's status; res is the caller's to release. */
static int report(struct ruleset *rs, const struct options *o, FILE *f, struct ruletests_result *res)
{
	int st = ruletests_run(rs, o, false, f, res);
	if (res->files == 0 && o->decision)
		diag_warn2("no test cases for decision '%s': no tests/*.csv of the rule set '%s' has a header that fits it",
			   "决策“%s”没有测试用例：规则集“%s”的tests/*.csv中没有表头与之相符的文件", o->decision, rs->dir);
	else if (res->files == 0)
		diag_warn2("no test cases: the rule set has no tests/*.csv", "没有测试用例：规则集中没有tests/*.csv");
	char **problems;
	size_t np;
	struct coverage_query q = { res->invalid_cases, o->decision, o->lang, NULL };
	char *text = ruleset_coverage(rs, &q, &problems, &np);
	if (!o->quiet)
		fputs(text, f);
	free(text);
	for (size_t i = 0; i < np; i++)
		free(problems[i]);
	free(problems);
	fprintf(f, options_zh(o) ? "通过%zu个，未通过%zu个" : "%zu passed, %zu failed", res->passed, res->failed);
	/* a file that could not be run is no pass: the totals say so */
	if (res->not_run)
		fprintf(f, options_zh(o) ? "；%zu个测试文件未能运行（错误信息见标准错误输出）" : "; %zu test file%s not run (see standard error)",
			res->not_run, options_zh(o) ? "" : res->not_run == 1 ? "" : "s");
	fputc('\n', f);
	return st;
}

int cmd_test(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 0, false, "a text report"))
		return 2;
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs)
		return 2;
	FILE *f = cli_open_output(o.output);
	if (!f) {
		ruleset_free(rs);
		return 2;
	}
	struct ruletests_result res;
	st = report(rs, &o, f, &res);
	if (st == 2)
		cli_abandon_output(f);   /* -o FILE keeps what it held */
	else if (cli_close_output(f, o.output))
		st = 2;
	size_t failed = res.failed;
	ruletests_release(&res);
	ruleset_free(rs);
	if (st == 2)
		return 2;
	return failed ? 1 : 0;
}
