/* verdict lint — every problem of a rule set, as file:line: message. */
#include <stdlib.h>
#include "cli.h"
#include "diag.h"
#include "ruletests.h"

static const char usage[] =
"usage: verdict lint [-d DECISION] [options]\n"
"\n"
"Load the rule set and report every problem, each as file:line: message:\n"
"Lua syntax errors; names of columns, values or parameters that are not\n"
"declared; duplicate rule ids; enumeration values a column does not allow;\n"
"weights of a form that do not add up to 100, or that give the criteria a\n"
"decision names as its emphasis less than it says; grade bands with a gap\n"
"(all of these in one run; after a syntax error, the rules of the other\n"
"files are looked at once it is mended); in the code of every function of\n"
"the rule files, read without running it, every branch: global names the\n"
"sandbox does not provide (a typo; io, os, require, load, pcall...), fields\n"
"the libraries lack or leave out (math.random, string.dump), globals set\n"
"inside a function; then, once it loads without the problems above, by\n"
"running its own test cases: rules that fail at run time, rules no test\n"
"case exercises, and parameters no rule uses.\n"
"\n"
"  -r, --rules DIR         rule set directory\n"
"  -d, --decision NAME     run only that decision's test cases and report only\n"
"                          its run-time failures and unexercised rules (load\n"
"                          problems and unused parameters are the rule set's:\n"
"                          always reported)\n"
"      --as-of YYYY-MM-DD  evaluation date for test cases without an as_of column\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk: the encoding of the\n"
"                          test cases (tests/*.csv)\n"
"      --lang en|zh        language of the problems (each still file:line first;\n"
"                          Lua's own syntax errors stay as Lua words them)\n"
"      --max-instructions N, --max-memory MIB\n"
"                          the rule engine's limits, as for check\n"
"  -o, --output FILE       write the problems here instead of standard output\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the rule set's digest\n"
"\n"
"Exit status: 0 no problem; 1 some problem; 2 trouble.\n";

/* Once the rule set loads cleanly: its test cases run, rules that fail at
 * run time, rules no case exercises (but those that failed, reported
 * already with their place) and parameters nothing reads, each written to
 * f.  Returns how many. */
static size_t run_time_problems(struct ruleset *rs, const struct options *o, FILE *f)
{
	struct ruletests_result res;
	ruletests_run(rs, o, true, f, &res);
	size_t problems = res.errors;
	char **gaps;
	size_t ng;
	struct coverage_query q = { res.invalid_cases, o->decision, o->lang, res.errored };
	/* A test file that could not be run (its error said above: a column
	 * the test header lacks, say) would make every rule of its decision
	 * look unexercised: one problem instead of a list of them. */
	if (res.not_run) {
		q.skip = "*";
		fprintf(f, options_zh(o) ? "%s/tests：%zu个测试文件未能运行（错误信息见标准错误输出）；待其能运行后，才查找未被测试用例覆盖的规则\n"
					 : "%s/tests: %zu test file%s could not be run (see standard error); the rules no "
					   "test case exercises are looked for once they run\n",
			rs->dir, res.not_run, options_zh(o) || res.not_run == 1 ? "" : "s");
		problems++;
	}
	free(ruleset_coverage(rs, &q, &gaps, &ng));
	for (size_t i = 0; i < ng; i++) {
		fprintf(f, "%s\n", gaps[i]);
		free(gaps[i]);
	}
	problems += ng;
	free(gaps);
	ruletests_release(&res);
	return problems;
}

/* The problems lint finds in the rule files' code without running it,
 * written to f.  Returns how many; *trouble set when they could not be
 * looked for. */
static size_t code_problems(struct ruleset *rs, const struct options *o, FILE *f, bool *trouble)
{
	char **v, err[1024];
	size_t n;
	if (ruleset_code_problems(rs, o->lang, &v, &n, err, sizeof err) != 0) {
		diag_error2("lint: cannot read the rule files' code: %s", "lint：无法读取规则文件的代码：%s", err);
		*trouble = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s\n", v[i]);
		free(v[i]);
	}
	free(v);
	return n;
}

static void summary_en(const struct ruleset *rs, size_t problems, const char *dir, const char *decision)
{
	if (rs->nerrors)
		diag_note("verdict: lint: the rule set's test cases are run, and the rules no case exercises and "
			  "the parameters nothing reads are looked for, once the problems above are mended\n");
	if (problems)
		diag_note("verdict: lint: %zu problem%s in %s", problems, problems == 1 ? "" : "s", dir);
	else
		diag_note("verdict: lint: no problems in %s", dir);
	if (decision)
		diag_note(" (decision %s, and the rule set as a whole)", decision);
	diag_note("\n");
}

static void summary_zh(const struct ruleset *rs, size_t problems, const char *dir, const char *decision)
{
	if (rs->nerrors)
		diag_note("verdict: lint：上述问题改正后，才运行规则集的测试用例，查找未被测试用例覆盖的规则和"
			  "未被使用的参数\n");
	if (problems)
		diag_note("verdict: lint：%s中有%zu个问题", dir, problems);
	else
		diag_note("verdict: lint：%s中未发现问题", dir);
	if (decision)
		diag_note("（决策%s，及整个规则集）", decision);
	diag_note("\n");
}

int cmd_lint(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 0, false, "a text report"))
		return 2;
	char err[1024] = "";
	struct sandbox_limits lim = { o.max_memory, o.max_instructions };
	const char *dir = ruleset_default_dir(o.rules);
	struct ruleset *rs = ruleset_load(dir, &lim, o.lang, err, sizeof err);
	if (!rs) {
		diag_error("%s", err);
		return 2;
	}
	/* -d is checked against a rule set that loaded (one that did not may
	 * lack decisions it declares; its test cases are not run anyway). */
	FILE *f = rs->nerrors || !cli_check_decision(&o, rs) ? cli_open_output(o.output) : NULL;
	if (!f) {
		ruleset_free(rs);
		return 2;
	}
	size_t problems = rs->nerrors;
	bool trouble = false;
	for (size_t i = 0; i < rs->nerrors; i++)
		fprintf(f, "%s\n", rs->errors[i]);
	problems += code_problems(rs, &o, f, &trouble);
	if (!rs->nerrors)
		problems += run_time_problems(rs, &o, f);
	int bad = trouble;
	if (trouble)
		cli_abandon_output(f);   /* -o FILE keeps what it held */
	else
		bad = cli_close_output(f, o.output);
	(options_zh(&o) ? summary_zh : summary_en)(rs, problems, dir, o.decision);
	ruleset_free(rs);
	if (bad)
		return 2;
	return problems ? 1 : 0;
}
