/* verdict audit — re-evaluate a past run's records; report what differs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "cli.h"
#include "diag.h"
#include "jsonscan.h"
#include "record.h"
#include "strbuf.h"

static const char usage[] =
"usage: verdict audit VERDICTS.jsonl [options] [FILE|-]\n"
"\n"
"Re-evaluate the records of FILE with the current rule set, on the date the\n"
"past run recorded (its as_of), and report every record whose verdict would\n"
"now differ from the one in VERDICTS.jsonl (the output of\n"
"'verdict check --format jsonl' on the same FILE), and whether the rule\n"
"set's digest differs from the one recorded.  Records are matched by row;\n"
"a row whose id is not the one recorded is reported as not the same record\n"
"(a file sorted again), not as a changed verdict.\n"
"\n"
"  -r, --rules DIR         rule set directory\n"
"  -d, --decision NAME     which decision (default: the one the header fits)\n"
"      --as-of YYYY-MM-DD  evaluate on this date instead of the recorded one\n"
"      --engine E          auto (default), native or lua (see verdict check --help)\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk\n"
"      --lang en|zh        language of the report and of the reasons in it\n"
"  -o, --output FILE       write here instead of standard output\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the rule set's digest\n"
"\n"
"Exit status: 0 every verdict is the same; 1 some differ (or records are\n"
"missing on either side); 2 trouble.\n";

/* The words of the report, in English and Chinese.  Both forms of a line
 * take the same arguments in the same order; the Chinese has no plural
 * endings, and leaves those arguments unused (printf ignores them). */
struct words {
	const char *not_in_past, *not_row, *another_row, *no_row, *not_same, *was_now, *failed, *reason, *more,
		*summary, *not_matched, *digest_differs, *digest_same;
	const char *not_record, *other_as_of, *digest_missing, *bad_as_of;
};
static const struct words EN = {
	"row %zu (line %zu), id %.*s: not in %s (the past run has fewer records)\n",
	"%s:%zu: expected the record of row %zu; found %s\n", "another row", "no row number",
	"%s:%zu: row %zu is id '%s' in the past run, but id '%s' in the input (line %zu): "
	"not the same record; expected the file the past run read, in the same order\n",
	"row %zu (line %zu), id %.*s: was %s, now %s", " (failed: %s)", ": %s\n",
	"%s: %zu more record%s than the input\n",
	"%zu records re-evaluated as of %s: %zu verdict%s differ%s", ", %zu record%s not matched (above)",
	"rule set digest differs: recorded sha256:%s, now sha256:%s (%s)\n", "rule set digest unchanged: sha256:%s\n",
	"%s:%zu: no verdict found; expected one JSON record of 'verdict check --format jsonl' a line\n",
	"%s:%zu: row %zu was evaluated as of %s, not %s: re-evaluated as of %s all the same; "
	"expected one as_of in a past run (audit its records of each date apart, with --as-of)\n",
	"no rule set digest recorded in %s (for %zu record%s); expected rules_digest in each record: "
	"now sha256:%s\n",
	"%s:1: the as_of recorded, '%s', is not a date; expected YYYY-MM-DD (or give --as-of)",
};
static const struct words ZH = {
	"第%zu条（第%zu行），编号%.*s：%s中没有此条（上次运行的记录较少）\n",
	"%s:%zu：应为第%zu条的记录，实为%s\n", "另一条记录", "没有条目编号的记录",
	"%s:%zu：第%zu条在上次运行中编号为“%s”，在输入中编号为“%s”（第%zu行）："
	"不是同一条记录；应使用上次运行读取的文件，且顺序不变\n",
	"第%zu条（第%zu行），编号%.*s：原结论%s，现结论%s", "（未通过：%s）", "：%s\n",
	"%s：比输入多%zu条记录\n",
	"%zu条记录已按%s重新评估：%zu条结论不同", "，%zu条记录无法对应（见上）",
	"规则集摘要不同：原记录sha256:%s，现为sha256:%s（%s）\n", "规则集摘要未变：sha256:%s\n",
	"%s:%zu：找不到结论；应为“verdict check --format jsonl”输出的每行一条JSON记录\n",
	"%s:%zu：第%zu条的评估日期为%s，不是%s：仍按%s重新评估；"
	"上次运行应只有一个评估日期（请按日期分开审计，并给出--as-of）\n",
	"%s中没有记录规则集摘要（%zu条记录%.0s）；每条记录应有rules_digest：现为sha256:%s\n",
	"%s:1：记录的评估日期“%s”不是日期；应为YYYY-MM-DD（或给出--as-of）",
};

struct audit {
	const struct options *o;
	const struct words *w;
	const char *path;
	FILE *past, *f;
	char *line;
	size_t cap;
	size_t lineno, records, differ, mismatched;
	const char *digest;
	bool digest_differs;
	size_t no_digest;          /* records with no rules_digest */
	const char *as_of_text;    /* the date records are re-evaluated as of */
	struct strbuf recorded_digest, s;
};

/* The next non-empty line of the past run, or NULL at its end. */
static const char *next_line(struct audit *a, size_t *len)
{
	ssize_t n;
	while ((n = getline(&a->line, &a->cap, a->past)) >= 0) {
		a->lineno++;
		while (n > 0 && (a->line[n - 1] == '\n' || a->line[n - 1] == '\r'))
			a->line[--n] = '\0';
		if (n > 0) {
			*len = (size_t)n;
			return a->line;
		}
	}
	return NULL;
}

static int record(void *ctx, const struct batch_result *r)
{
	struct audit *a = ctx;
	size_t len;
	const char *line = next_line(a, &len);
	a->records++;
	if (!line) {
		fprintf(a->f, a->w->not_in_past, r->row,
			r->line, (int)r->id_len, r->id, a->path);
		a->mismatched++;
		return 0;
	}
	double row = 0;
	if (!jsonscan_string(line, len, "verdict", &a->s)) {
		fprintf(a->f, a->w->not_record, a->path, a->lineno);
		a->mismatched++;
		return 0;
	}
	if (!jsonscan_number(line, len, "row", &row) || (size_t)row != r->row) {
		char found[48];
		if (jsonscan_number(line, len, "row", &row))
			snprintf(found, sizeof found, "%s %.0f", a->w->another_row, row);
		else
			snprintf(found, sizeof found, "%s", a->w->no_row);
		fprintf(a->f, a->w->not_row, a->path, a->lineno, r->row, found);
		a->mismatched++;
		return 0;
	}
	/* The same row must be the same record: a file sorted again, or
	 * another file, would otherwise be reported as verdicts changed. */
	if (jsonscan_string(line, len, "id", &a->s) &&
	    (a->s.len != r->id_len || memcmp(a->s.buf, r->id, r->id_len) != 0)) {
		struct strbuf was = STRBUF_INIT, now = STRBUF_INIT;
		record_show_id(&was, a->s.buf, a->s.len);
		record_show_id(&now, r->id, r->id_len);
		fprintf(a->f, a->w->not_same, a->path, a->lineno, r->row, was.buf, now.buf, r->line);
		strbuf_release(&was);
		strbuf_release(&now);
		a->mismatched++;
		return 0;
	}
	if (!jsonscan_string(line, len, "rules_digest", &a->s))
		a->no_digest++;
	else if (strcmp(a->s.buf, a->digest) != 0) {
		if (!a->digest_differs)
			strbuf_addstr(&a->recorded_digest, a->s.buf);
		a->digest_differs = true;
	}
	if (a->as_of_text && jsonscan_string(line, len, "as_of", &a->s) && strcmp(a->s.buf, a->as_of_text) != 0)
		fprintf(a->f, a->w->other_as_of, a->path, a->lineno, r->row, a->s.buf, a->as_of_text, a->as_of_text);
	jsonscan_string(line, len, "verdict", &a->s);
	const struct eval_result *e = &r->ev[0];
	if (strcmp(a->s.buf, e->verdict) != 0) {
		a->differ++;
		fprintf(a->f, a->w->was_now, r->row, r->line, (int)r->id_len, r->id, a->s.buf, e->verdict);
		if (*e->failed)
			fprintf(a->f, a->w->failed, e->failed);
		fprintf(a->f, a->w->reason, e->reason);
	}
	return 0;
}

/* The as_of date the past run recorded on its first line: 0, -1 when
 * none is recorded, -2 (and the text in *text) when it is not a date. */
static int recorded_as_of(struct audit *a, date_t *as_of, struct strbuf *text)
{
	size_t len;
	const char *line = next_line(a, &len);
	int st = -1;
	if (line && jsonscan_string(line, len, "as_of", text))
		st = date_parse(text->buf, text->len, as_of) ? 0 : -2;
	rewind(a->past);
	a->lineno = 0;
	return st;
}

int cmd_audit(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 0, false, "a text report"))
		return 2;
	if (o.nargs < 1 || o.nargs > 2) {
		diag_error("audit: give the past run's VERDICTS.jsonl and the input FILE; see 'verdict audit --help'");
		return 2;
	}
	if (options_refuse_output_stdin(&o, 1))
		return 2;
	struct audit a;
	memset(&a, 0, sizeof a);
	a.o = &o;
	a.w = options_zh(&o) ? &ZH : &EN;
	a.path = o.args[0];
	a.past = fopen(a.path, "rb");
	if (!a.past) {
		diag_error("cannot open '%s': %s", a.path, strerror(errno));
		return 2;
	}
	date_t as_of = o.as_of;
	struct strbuf recorded = STRBUF_INIT;
	int rec_st = o.as_of_given ? 0 : recorded_as_of(&a, &as_of, &recorded);
	if (rec_st == -2)
		diag_error(a.w->bad_as_of, a.path, recorded.buf);
	else if (rec_st != 0)
		diag_error2("%s:1: no as_of date recorded; expected the output of 'verdict check --format jsonl' "
			    "(or give --as-of)", "%s:1：没有记录评估日期（as_of）；应为“verdict check --format jsonl”"
			    "的输出（或给出--as-of）", a.path);
	strbuf_release(&recorded);
	if (rec_st != 0) {
		fclose(a.past);
		free(a.line);
		return 2;
	}
	char as_of_day[DATE_TEXT_MAX];
	date_format(as_of, as_of_day);
	a.as_of_text = as_of_day;
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs) {
		fclose(a.past);
		free(a.line);
		return 2;
	}
	a.digest = rs->digest;
	strbuf_init(&a.recorded_digest);
	strbuf_init(&a.s);
	a.f = cli_open_output(o.output);
	if (a.f) {
		struct batch_options bo = {
			.input = o.nargs > 1 ? o.args[1] : NULL, .encoding = o.encoding, .max_cell = o.max_cell,
			.decision = o.decision, .as_of = as_of, .lang = o.lang, .engine = o.engine,
		};
		struct batch_sink sink = { NULL, record, &a, NULL, NULL, NULL };
		struct batch_stats stats;
		st = batch_run(&rs, 1, &bo, &sink, &stats);
		size_t len;
		size_t extra = 0;
		while (st != 2 && next_line(&a, &len))
			extra++;
		if (extra) {
			fprintf(a.f, a.w->more, a.path, extra, extra == 1 ? "" : "s");
			a.mismatched += extra;
		}
		if (st != 2) {
			char day[DATE_TEXT_MAX];
			date_format(as_of, day);
			fprintf(a.f, a.w->summary, a.records, day, a.differ, a.differ == 1 ? "" : "s",
				a.differ == 1 ? "s" : "");
			if (a.mismatched)
				fprintf(a.f, a.w->not_matched, a.mismatched, a.mismatched == 1 ? "" : "s");
			fputc('\n', a.f);
			if (a.digest_differs)
				fprintf(a.f, a.w->digest_differs, a.recorded_digest.buf, a.digest, rs->dir);
			else if (a.no_digest)
				fprintf(a.f, a.w->digest_missing, a.path, a.no_digest, a.no_digest == 1 ? "" : "s",
					a.digest);
			else
				fprintf(a.f, a.w->digest_same, a.digest);
		}
		if (cli_close_output(a.f, o.output))
			st = 2;
	} else {
		st = 2;
	}
	fclose(a.past);
	free(a.line);
	strbuf_release(&a.recorded_digest);
	strbuf_release(&a.s);
	ruleset_free(rs);
	if (st == 2)
		return 2;
	return (a.differ || a.mismatched) ? 1 : 0;
}
