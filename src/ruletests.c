/* ruletests — a rule set's own test cases; see ruletests.h. */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "cell.h"
#include "csvin.h"
#include "diag.h"
#include "nearname.h"
#include "ruletests.h"
#include "strbuf.h"

enum { E_ROW, E_ID, E_VERDICT, E_SCORE, E_GRADE, E_FAILED, E_MISSING, E_NCOLS };
static const char *ECOLS[E_NCOLS] = { "row", "id", "verdict", "score", "grade", "failed", "missing" };

/* The words of the report, by language; names[] in ECOLS' order. */
struct words {
	const char *pass, *fail_unexpected, *fail_differs, *fail_unseen, *differs, *sep, *run_time, *prefix;
	const char *names[E_NCOLS];
};
static const struct words EN = {
	"PASS %s: row %zu (line %zu), id %s: %s\n",
	"FAIL %s: row %zu (line %zu), id %.*s: no expected result in %s\n",
	"FAIL %s: row %zu (line %zu), id %s: %s (%s:%zu)\n   reason: %s\n",
	"FAIL %s:%zu: expected a result for row %s, but %s has no such row\n",
	"%s%s '%s', expected '%s'", "; ",
	"%s (rule %s; test case %s row %zu, id %.*s)\n", "rule %s failed: ",
	{ "row", "id", "verdict", "score", "grade", "failed", "missing" },
};
static const struct words ZH = {
	"通过 %s：第%zu条（第%zu行），编号%s：%s\n",
	"未通过 %s：第%zu条（第%zu行），编号%.*s：%s中没有预期结果\n",
	"未通过 %s：第%zu条（第%zu行），编号%s：%s（%s:%zu）\n   理由：%s\n",
	"未通过 %s:%zu：有第%s条的预期结果，但%s中没有该条\n",
	"%s%s为“%s”，应为“%s”", "；",
	"%s（规则%s；测试用例%s第%zu条，编号%.*s）\n", "规则%s运行出错：",
	{ "条目", "编号", "结论", "得分", "等级", "未通过的规则", "缺失项" },
};

struct expect {
	char *v[E_NCOLS];      /* NULL where the column is absent */
	size_t line;
	bool seen;
};

struct expectations {
	const char *path;
	const char *encoding;  /* --encoding, as the test inputs are read */
	long col[E_NCOLS];     /* field index of each column, or -1 */
	struct expect *e;
	size_t n, cap;
	int status;
};

/* Which expected column the header cell s[0..len) names: its index in
 * ECOLS, or -1. */
static int expected_column(const char *s, size_t len)
{
	for (int j = 0; j < E_NCOLS; j++)
		if (cell_equal_fold(s, len, ECOLS[j]))
			return j;
	return -1;
}

/* A header cell that names no expected column: its cases would be
 * compared without it, a misspelt "faild" never compared at all.  Named
 * with the column it most likely meant, as an unknown option is. */
static void unknown_column(const struct expectations *x, size_t line, const char *s, size_t len, size_t f)
{
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), s);
	const char *meant = NULL;
	size_t best = SIZE_MAX;
	for (int j = 0; j < E_NCOLS; j++) {
		size_t d = nearname_distance_z(name, ECOLS[j]);
		if (d <= nearname_allowed(ECOLS[j], strlen(ECOLS[j])) && d < best) {
			best = d;
			meant = ECOLS[j];
		}
	}
	if (meant)
		diag_error2("%s: line %zu: unknown column '%s' (column %zu); did you mean '%s'? "
			    "expected row, verdict and any of id, score, grade, failed, missing",
			    "%s：第%zu行：未知列“%s”（第%zu列）；是否应为“%s”？"
			    "应为row、verdict，以及id、score、grade、failed、missing中的任意几列",
			    x->path, line, name, f + 1, meant);
	else
		diag_error2("%s: line %zu: unknown column '%s' (column %zu); "
			    "expected row, verdict and any of id, score, grade, failed, missing",
			    "%s：第%zu行：未知列“%s”（第%zu列）；"
			    "应为row、verdict，以及id、score、grade、failed、missing中的任意几列",
			    x->path, line, name, f + 1);
}

/* The header of an expected-results file: where each column is.  Every
 * cell must name one, once; row and verdict must be there. */
static int take_header(struct expectations *x, const struct csvin_record *rec)
{
	for (int j = 0; j < E_NCOLS; j++)
		x->col[j] = -1;
	for (size_t f = 0; f < rec->nfields; f++) {
		const char *s = rec->fields[f];
		size_t len = cell_trim(&s, rec->lens[f]);
		if (len == 0)
			continue;   /* an empty name (Excel's trailing comma): no column */
		int j = expected_column(s, len);
		if (j < 0) {
			unknown_column(x, rec->line, s, len, f);
			x->status = 2;
		} else if (x->col[j] >= 0) {
			diag_error2("%s: line %zu: column '%s' is given twice (columns %ld and %zu); expected each once",
				    "%s：第%zu行：列“%s”出现两次（第%ld列和第%zu列）；每列应只出现一次",
				    x->path, rec->line, ECOLS[j], x->col[j] + 1, f + 1);
			x->status = 2;
		} else {
			x->col[j] = (long)f;
		}
	}
	if (x->col[E_ROW] < 0 || x->col[E_VERDICT] < 0) {
		diag_error2("%s: line %zu: expected columns 'row' and 'verdict' (and any of id, score, grade, failed, missing)",
			    "%s：第%zu行：应有row和verdict两列（以及id、score、grade、failed、missing中的任意几列）",
			    x->path, rec->line);
		x->status = 2;
	}
	return x->status;
}

static int take_expectation(void *ctx, const struct csvin_record *rec)
{
	struct expectations *x = ctx;
	if (rec->problem) {
		diag_error("%s: line %zu: %s", x->path, rec->line, rec->problem);
		x->status = 2;
		return 2;
	}
	if (rec->row == 0)
		return take_header(x, rec);
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->e = realloc(x->e, x->cap * sizeof *x->e);
		if (!x->e)
			abort();
	}
	struct expect *e = &x->e[x->n++];
	memset(e, 0, sizeof *e);
	e->line = rec->line;
	for (int j = 0; j < E_NCOLS; j++) {
		long f = x->col[j];
		if (f < 0)
			continue;
		const char *s = (size_t)f < rec->nfields ? rec->fields[f] : "";
		size_t len = (size_t)f < rec->nfields ? cell_trim(&s, rec->lens[f]) : 0;
		e->v[j] = strndup(s, len);
	}
	return 0;
}

static void free_expectations(struct expectations *x)
{
	for (size_t i = 0; i < x->n; i++)
		for (int j = 0; j < E_NCOLS; j++)
			free(x->e[i].v[j]);
	free(x->e);
}

struct case_run {
	struct expectations *x;
	const char *input, *expected;
	const char *only;          /* -d: the decision whose cases run, or NULL */
	bool skipped;              /* the file's cases are another decision's */
	bool expecting;            /* the expected results were read */
	bool only_errors;
	bool show_passed;          /* a line for each case that passed too */
	const struct words *w;     /* the language of the report */
	FILE *out;
	struct ruletests_result *res;
	struct strbuf *seen;       /* run-time errors already reported */
	struct strbuf *errored;    /* " ID " of rules that failed */
	const char *dir;           /* the rule set's directory */
};

/* A rule failed at run time: report it once, where it happened. */
static void run_time_error(struct case_run *c, const struct batch_result *r)
{
	const struct eval_result *ev = &r->ev[0];
	const char *msg = ev->reason;
	char prefix[256];
	snprintf(prefix, sizeof prefix, c->w->prefix, ev->error_rule ? ev->error_rule : "?");
	if (strncmp(msg, prefix, strlen(prefix)) == 0)
		msg += strlen(prefix);
	if (ev->error_rule) {
		char id[256];
		snprintf(id, sizeof id, " %s ", ev->error_rule);
		if (!strstr(c->errored->buf, id))
			strbuf_addstr(c->errored, id);
	}
	struct strbuf key = STRBUF_INIT;
	strbuf_addf(&key, "\n%s\n", msg);
	bool again = strstr(c->seen->buf, key.buf) != NULL;
	if (!again)
		strbuf_add(c->seen, key.buf, key.len);
	strbuf_release(&key);
	if (again)
		return;
	c->res->errors++;
	/* A reason gives the rule's place relative to the rule set (the same
	 * bytes however -r was written); a lint problem, as every other,
	 * from the directory lint was given: "rules/app.lua:12: ...". */
	const char *colon = strchr(msg, ':');
	bool placed = colon && colon - msg > 4 && memcmp(colon - 4, ".lua", 4) == 0 && msg[0] != '/' &&
		      colon[1] >= '0' && colon[1] <= '9' && !memchr(msg, ' ', (size_t)(colon - msg));
	if (c->only_errors && placed)
		fprintf(c->out, "%s/", c->dir);
	if (c->only_errors)
		fprintf(c->out, c->w->run_time, msg,
			ev->error_rule ? ev->error_rule : "?", c->input, r->row, (int)r->id_len, r->id);
}

static struct expect *find_case(struct expectations *x, size_t row)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%zu", row);
	for (size_t i = 0; i < x->n; i++)
		if (x->e[i].v[E_ROW] && strcmp(x->e[i].v[E_ROW], buf) == 0)
			return &x->e[i];
	return NULL;
}

static void differ(struct strbuf *sb, const struct words *w, int col, const char *got, const char *want)
{
	strbuf_addf(sb, w->differs, sb->len ? w->sep : "", w->names[col], got, want);
}

static int on_case(void *ctx, const struct batch_result *r)
{
	struct case_run *c = ctx;
	const struct eval_result *ev = &r->ev[0];
	bool error = strcmp(ev->verdict, "ERROR") == 0;
	if (r->invalid)
		c->res->invalid_cases++;
	else
		evaluator_note_coverage(r->evaluator[0]);   /* an ERROR counts the rules before it */
	if (error)
		run_time_error(c, r);
	if (c->only_errors)
		return 0;
	struct expect *e = find_case(c->x, r->row);
	if (!e) {
		fprintf(c->out, c->w->fail_unexpected, c->input, r->row,
			r->line, (int)r->id_len, r->id, c->expected);
		c->res->failed++;
		return 0;
	}
	e->seen = true;
	char score[32] = "";
	if (ev->has_score)
		snprintf(score, sizeof score, "%.1f", ev->score);
	struct strbuf why = STRBUF_INIT;
	char id[512];
	snprintf(id, sizeof id, "%.*s", (int)r->id_len, r->id);
	const char *got[E_NCOLS] = { NULL, id, ev->verdict, score, ev->grade ? ev->grade : "", ev->failed, ev->missing };
	for (int j = E_ID; j < E_NCOLS; j++)
		if (e->v[j] && strcmp(e->v[j], got[j]) != 0)
			differ(&why, c->w, j, got[j], e->v[j]);
	if (why.len) {
		fprintf(c->out, c->w->fail_differs, c->input, r->row,
			r->line, id, why.buf, c->expected, e->line, ev->reason);
		c->res->failed++;
	} else {
		c->res->passed++;
		if (c->show_passed)
			fprintf(c->out, c->w->pass, c->input, r->row, r->line, id,
				ev->verdict);
	}
	strbuf_release(&why);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The test input files, sorted. */
static char **list_inputs(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".csv") || ends_with(e->d_name, ".expected.csv"))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				abort();
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_names);
	return v;
}

/* The expected results of a test file, into x; 0, or 2 (message given). */
static int read_expectations(struct expectations *x, const char *input)
{
	FILE *f = fopen(x->path, "rb");
	char err[512];
	if (!f) {
		diag_error("cannot open '%s': %s (the expected results of %s)", x->path, strerror(errno), input);
		return 2;
	}
	struct csvin_options copt = { .encoding = x->encoding };
	int st = csvin_read(f, x->path, &copt, take_expectation, x, err, sizeof err);
	fclose(f);
	if (st < 0)
		diag_error("%s", err);
	return st != 0 || x->status ? 2 : 0;
}

#define SKIPPED 3   /* begin_cases' answer for another decision's file */

/* The header told the decision: a file of another decision than -d names
 * is passed over; else its expected results are read. */
static int begin_cases(void *ctx, const struct decision_def *d)
{
	struct case_run *c = ctx;
	if (c->only && strcmp(d->name, c->only) != 0) {
		c->skipped = true;
		return SKIPPED;
	}
	if (c->only_errors)
		return 0;
	int st = read_expectations(c->x, c->input);
	c->expecting = st == 0;
	return st;
}

/* Cases expected that the input has not. */
static void unseen_cases(const struct case_run *c)
{
	for (size_t i = 0; i < c->x->n; i++) {
		if (!c->x->e[i].seen) {
			fprintf(c->out, c->w->fail_unseen,
				c->expected, c->x->e[i].line, c->x->e[i].v[E_ROW], c->input);
			c->res->failed++;
		}
	}
}

static int run_file(struct ruleset *rs, const struct options *o, const char *input, const char *expected,
		    bool only_errors, FILE *out, struct ruletests_result *res, struct strbuf *seen,
		    struct strbuf *errored)
{
	struct expectations x;
	memset(&x, 0, sizeof x);
	x.path = expected;
	x.encoding = o->encoding;
	struct case_run c = { &x, input, expected, o->decision, false, false, only_errors,
			      !only_errors && !o->quiet, options_zh(o) ? &ZH : &EN, out, res, seen,
			      errored, rs->dir };
	struct batch_options bo = {
		.input = input, .decision = NULL, .as_of = o->as_of, .lang = o->lang, .as_of_column = "as_of",
		.encoding = o->encoding,
		.engine = ENGINE_LUA,   /* coverage reads the Lua evaluator's state */
	};
	struct batch_sink sink = { begin_cases, on_case, &c, NULL, NULL, NULL };
	struct batch_stats stats;
	int st = batch_run(&rs, 1, &bo, &sink, &stats);
	if (!c.skipped)
		res->files++;
	if (c.expecting)
		unseen_cases(&c);
	free_expectations(&x);
	return st == 2 ? 2 : 0;
}

/* Expected results with no test input beside them (X.expected.csv and no
 * X.csv): their cases would never run without a word.  Each is named;
 * returns how many. */
static size_t orphan_expectations(const char *dir)
{
	DIR *d = opendir(dir);
	size_t orphans = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".expected.csv"))
			continue;
		char twin[PATH_MAX + 256];
		struct stat st;
		snprintf(twin, sizeof twin, "%s/%.*s.csv", dir, (int)(strlen(e->d_name) - strlen(".expected.csv")),
			 e->d_name);
		if (stat(twin, &st) != 0) {
			diag_error2("%s/%s: expected results with no test cases beside them; expected %s",
				    "%s/%s：有预期结果但旁边没有测试用例；应有%s", dir, e->d_name, twin);
			orphans++;
		}
	}
	closedir(d);
	return orphans;
}

int ruletests_run(struct ruleset *rs, const struct options *o, bool only_errors, FILE *out,
		  struct ruletests_result *res)
{
	char dir[PATH_MAX];
	memset(res, 0, sizeof *res);
	snprintf(dir, sizeof dir, "%s/tests", rs->dir);
	size_t n;
	char **names = list_inputs(dir, &n);
	int status = 0;
	struct strbuf seen = STRBUF_INIT, errored = STRBUF_INIT;
	strbuf_addch(&seen, '\n');
	strbuf_addch(&errored, ' ');
	for (size_t i = 0; i < n; i++) {
		char input[PATH_MAX + 256], expected[PATH_MAX + 256];
		snprintf(input, sizeof input, "%s/%s", dir, names[i]);
		snprintf(expected, sizeof expected, "%s/%.*s.expected.csv", dir, (int)(strlen(names[i]) - 4), names[i]);
		if (run_file(rs, o, input, expected, only_errors, out, res, &seen, &errored) != 0) {
			status = 2;
			res->not_run++;
		}
		free(names[i]);
	}
	free(names);
	if (orphan_expectations(dir))
		status = 2;
	strbuf_release(&seen);
	res->errored = strdup(errored.buf);
	strbuf_release(&errored);
	return status;
}

void ruletests_release(struct ruletests_result *res)
{
	free(res->errored);
	res->errored = NULL;
}
