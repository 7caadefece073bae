/* verdict explain — the full reasoning for one record, for a person. */
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "cli.h"
#include "cell.h"
#include "diag.h"
#include "output.h"
#include "strbuf.h"

static const char usage[] =
"usage: verdict explain (--id ID | --row N) [options] [FILE|-]\n"
"\n"
"Evaluate the records of FILE and explain the one with that id (every one,\n"
"if the id repeats) or at that row: the verdict and the rule set's digest,\n"
"the deciding rules first, every rule with its clause, the policy's wording,\n"
"the values it read and its message; the gap to pass for failed thresholds;\n"
"for incomplete records the columns that would decide; for scores, a table\n"
"per criterion.\n"
"\n"
"  --id ID                 the record's id\n"
"  --row N                 the record's row number (1 = first after the header)\n"
"  -r, --rules DIR         rule set directory\n"
"  -d, --decision NAME     which decision (default: the one the header fits)\n"
"      --as-of YYYY-MM-DD  the date of the evaluation (default: today)\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk\n"
"      --lang en|zh        language of the explanation\n"
"      --max-instructions N, --max-memory MIB, --max-cell BYTES\n"
"                          the limits, as for check (see verdict check --help)\n"
"  -o, --output FILE       write here instead of standard output\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the rule set's digest\n"
"\n"
"Give --id or --row, not both.\n"
"\n"
"Exit status: 0 explained; 2 no such record, or nothing could be evaluated.\n";

struct explain {
	const struct options *o;
	FILE *f;
	size_t found;
	char as_of[DATE_TEXT_MAX];
};

/* An unreadable record, or one a rule failed on: its cells as they were
 * given, column by column. */
static void show_cells(struct explain *x, const struct batch_result *r)
{
	bool zh = options_zh(x->o);
	fprintf(x->f, "\n%s\n", zh ? "各列原始内容" : "Cells as given");
	for (size_t i = 0; i < r->d->ncols; i++) {
		const struct column_def *c = &r->d->cols[i];
		long f = r->hm->field_of_col[i];
		struct strbuf cell = STRBUF_INIT;
		if (f >= 0 && (size_t)f < r->rec->nfields) {
			const char *s = r->rec->fields[f];
			size_t len = cell_trim(&s, r->rec->lens[f]);
			record_show_cell(&cell, s, len);
		}
		fprintf(x->f, "  %s (%s) = %s%s%s\n", c->name, c->zh, cell.len ? "'" : "",
			cell.len ? cell.buf : (zh ? "（空）" : "(empty)"), cell.len ? "'" : "");
		strbuf_release(&cell);
	}
}

static int record(void *ctx, const struct batch_result *r)
{
	struct explain *x = ctx;
	if (x->o->id) {
		if (r->id_len != strlen(x->o->id) || memcmp(r->id, x->o->id, r->id_len) != 0)
			return 0;
	} else if ((long)r->row != x->o->row) {
		return 0;
	}
	const struct eval_result *e = &r->ev[0];
	struct explain_meta m = {
		.row = r->row, .line = r->line, .id = r->id, .id_len = r->id_len,
		.verdict = e->verdict, .reason = e->reason, .failed = e->failed, .missing = e->missing,
		.as_of = x->as_of, .invalid = r->invalid,
	};
	size_t len;
	const char *text = evaluator_explain(r->evaluator[0], x->o->lang, &m, &len);
	if (x->found++)
		fputc('\n', x->f);
	/* For a person, at a terminal: a control character from the input
	 * (an escape sequence in a cell would clear the screen) as '?', as
	 * check --format table shows it; the text's own line ends kept. */
	struct strbuf shown = STRBUF_INIT;
	output_add_visible(&shown, text, len, true);
	fwrite(shown.buf, 1, shown.len, x->f);
	strbuf_release(&shown);
	if (r->invalid || strcmp(e->verdict, "ERROR") == 0)
		show_cells(x, r);   /* no rule results to show: the cells, for the auditor */
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 0, false, "text for a person"))
		return 2;
	if (!o.id && !o.row) {
		diag_error2("explain: which record? give --id ID or --row N; see 'verdict explain --help'",
			    "explain：哪一条记录？请给出 --id 编号 或 --row 序号；见“verdict explain --help”");
		return 2;
	}
	if (o.id && o.row) {   /* the record would be the one with the id, --row ignored */
		diag_error2("explain: both --id %s and --row %ld given; expected one of them, --id ID or --row N",
			    "explain：同时给出了 --id %s 和 --row %ld；应只给其一：--id 编号 或 --row 序号", o.id, o.row);
		return 2;
	}
	if (options_refuse_output_stdin(&o, 0))
		return 2;
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs)
		return 2;
	struct explain x = { .o = &o };
	date_format(o.as_of, x.as_of);
	x.f = cli_open_output(o.output);
	if (!x.f) {
		ruleset_free(rs);
		return 2;
	}
	struct batch_options bo = {
		.input = o.nargs ? o.args[0] : NULL, .encoding = o.encoding, .max_cell = o.max_cell,
		.decision = o.decision, .as_of = o.as_of, .lang = o.lang,
		.engine = ENGINE_LUA,   /* the explanation reads the Lua evaluator's state */
	};
	struct batch_sink sink = { NULL, record, &x, NULL, NULL, NULL };
	struct batch_stats stats;
	st = batch_run(&rs, 1, &bo, &sink, &stats);
	int bad = 0;
	if (st == 2 || !x.found)
		cli_abandon_output(x.f);   /* nothing explained: -o FILE keeps what it held */
	else
		bad = cli_close_output(x.f, o.output);
	ruleset_free(rs);
	if (st == 2 || bad)
		return 2;
	if (!x.found) {
		if (o.id)
			diag_error2("%s: no record with id '%s'; expected an id of the file's id column",
				    "%s：没有编号为“%s”的记录；应为该文件编号列中的编号", o.nargs ? o.args[0] : "<stdin>", o.id);
		else
			diag_error2("%s: no row %ld (the file has %zu records)", "%s：没有第%ld条记录（文件共有%zu条记录）",
				    o.nargs ? o.args[0] : "<stdin>", o.row, stats.records);
		return 2;
	}
	return 0;
}
