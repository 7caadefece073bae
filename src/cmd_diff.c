/* verdict diff — the same records under two rule sets: what changes. */
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "cli.h"
#include "diag.h"
#include "output.h"
#include "strbuf.h"

static const char usage[] =
"usage: verdict diff --old DIR --new DIR [options] [FILE|-]\n"
"\n"
"Evaluate the same records under two versions of a rule set and report each\n"
"record whose verdict, failed rules or score changed, then how many records\n"
"went from each verdict to each other.\n"
"\n"
"  --old DIR               the rule set as it is\n"
"  --new DIR               the rule set as it would be\n"
"  -d, --decision NAME     which decision (default: the one the header fits)\n"
"      --as-of YYYY-MM-DD  the date of the evaluation (default: today)\n"
"      --engine E          auto (default), native or lua (see verdict check --help)\n"
"      --format FMT        table (default), csv (the changed records with their\n"
"                          errors; the summary on standard error) or excel (csv\n"
"                          with a UTF-8 byte-order mark)\n"
"      --bom               begin the output with a UTF-8 byte-order mark (for\n"
"                          Excel)\n"
"  -q, --quiet             with csv: no summary\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk\n"
"      --lang en|zh        language of the report (table format)\n"
"      --max-instructions N, --max-memory MIB, --max-cell BYTES\n"
"                          the limits, as for check (see verdict check --help)\n"
"  -o, --output FILE       write here instead of standard output\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the digests of --old and --new\n"
"\n"
"Exit status: 0 nothing changed; 1 some record changed; 2 trouble.\n";

/* The words of the table report, in English and Chinese. */
struct words {
	const char *record, *verdict, *failed, *score, *none, *sep, *changed, *rulesets, *head_from, *head_to,
		*head_records, *unchanged, *error_old, *error_new;
};
static const struct words EN = {
	"row %zu (line %zu), id %.*s:", " verdict %s → %s", " failed %s → %s", " score %s → %s", "(none)", ";",
	"%zu of %zu records changed\n", "old: %s (sha256:%s)  new: %s (sha256:%s)\n\n", "from", "to",
	"records", "  (unchanged verdict)", " old error: %s", " new error: %s",
};
static const struct words ZH = {
	"第%zu条（第%zu行），编号%.*s：", "结论 %s → %s", "未满足的规则 %s → %s", "得分 %s → %s", "（无）", "；",
	"%zu条记录有变化，共%zu条\n", "原规则：%s（sha256:%s）  新规则：%s（sha256:%s）\n\n", "原结论",
	"新结论", "记录数", "  （结论未变）", "原规则出错：%s", "新规则出错：%s",
};

static const struct words *words_of(const struct options *o)
{
	return options_zh(o) ? &ZH : &EN;
}

#define MAX_PAIRS 256

struct diff {
	const struct options *o;
	FILE *f;
	size_t changed, records;
	size_t npairs;
	char from[MAX_PAIRS][24], to[MAX_PAIRS][24];
	size_t count[MAX_PAIRS];
	struct strbuf line;
};

static void count_pair(struct diff *d, const char *from, const char *to)
{
	for (size_t i = 0; i < d->npairs; i++) {
		if (strcmp(d->from[i], from) == 0 && strcmp(d->to[i], to) == 0) {
			d->count[i]++;
			return;
		}
	}
	if (d->npairs < MAX_PAIRS) {
		snprintf(d->from[d->npairs], 24, "%s", from);
		snprintf(d->to[d->npairs], 24, "%s", to);
		d->count[d->npairs++] = 1;
	}
}

static void score_text(char buf[32], const struct eval_result *e)
{
	if (e->has_score)
		snprintf(buf, 32, "%.1f", e->score);
	else
		buf[0] = '\0';
}

static int record(void *ctx, const struct batch_result *r)
{
	struct diff *d = ctx;
	const struct eval_result *a = &r->ev[0], *b = &r->ev[1];
	char sa[32], sb[32];
	score_text(sa, a);
	score_text(sb, b);
	d->records++;
	count_pair(d, a->verdict, b->verdict);
	if (!strcmp(a->verdict, b->verdict) && !strcmp(a->failed, b->failed) && !strcmp(sa, sb))
		return 0;
	d->changed++;
	struct strbuf *l = &d->line;
	strbuf_reset(l);
	if (d->o->format == FMT_CSV) {
		/* an ERROR's error, as the table gives it */
		const char *ea = strcmp(a->verdict, "ERROR") == 0 && a->reason ? a->reason : "";
		const char *eb = strcmp(b->verdict, "ERROR") == 0 && b->reason ? b->reason : "";
		const char *f[9] = { a->verdict, b->verdict, a->failed, b->failed, sa, sb, ea, eb, NULL };
		strbuf_addf(l, "%zu,%zu,", r->row, r->line);
		output_csv_field(l, r->id, r->id_len);
		for (int i = 0; f[i]; i++) {
			strbuf_addch(l, ',');
			output_csv_field(l, f[i], strlen(f[i]));
		}
		fprintf(d->f, "%s\n", l->buf);
		return 0;
	}
	const struct words *w = words_of(d->o);
	strbuf_addf(l, w->record, r->row, r->line, (int)r->id_len, r->id);
	const char *sep = "";
	if (strcmp(a->verdict, b->verdict)) {
		strbuf_addf(l, w->verdict, a->verdict, b->verdict);
		sep = w->sep;
	}
	if (strcmp(a->failed, b->failed)) {
		strbuf_addstr(l, sep);
		strbuf_addf(l, w->failed, *a->failed ? a->failed : w->none, *b->failed ? b->failed : w->none);
		sep = w->sep;
	}
	if (strcmp(sa, sb)) {
		strbuf_addstr(l, sep);
		strbuf_addf(l, w->score, *sa ? sa : w->none, *sb ? sb : w->none);
		sep = w->sep;
	}
	/* An ERROR is shown with its error: which rule failed, and why, is
	 * what the one who changed the rules needs to see. */
	const struct eval_result *side[2] = { a, b };
	const char *form[2] = { w->error_old, w->error_new };
	for (int k = 0; k < 2; k++) {
		if (strcmp(side[k]->verdict, "ERROR") == 0 && strcmp(a->verdict, b->verdict) != 0 && side[k]->reason) {
			strbuf_addstr(l, sep);
			strbuf_addf(l, form[k], side[k]->reason);
			sep = w->sep;
		}
	}
	fprintf(d->f, "%s\n", l->buf);
	return 0;
}

static int begin(void *ctx, const struct decision_def *dd)
{
	struct diff *d = ctx;
	if (d->o->format == FMT_CSV)
		fputs("row,line,id,old_verdict,new_verdict,old_failed,new_failed,old_score,new_score,old_error,new_error\n",
		      d->f);
	return 0;
}

static void summary(struct diff *d, struct ruleset **rs)
{
	const struct words *w = words_of(d->o);
	FILE *f = d->f;
	if (d->o->format == FMT_CSV) {
		/* the csv is the changed records alone: the summary on standard
		 * error, as check's is (-q: none) */
		if (d->o->quiet)
			return;
		fflush(d->f);
		f = stderr;
	} else if (d->changed) {
		fputc('\n', d->f);
	}
	fprintf(f, w->changed, d->changed, d->records);
	fprintf(f, w->rulesets, rs[0]->dir, rs[0]->digest, rs[1]->dir, rs[1]->digest);
	/* (the Chinese headings are two columns wide a character: padded by
	 * display width, as the table format does) */
	struct strbuf head = STRBUF_INIT;
	const char *heads[2] = { w->head_from, w->head_to };
	for (int k = 0; k < 2; k++) {
		strbuf_addstr(&head, heads[k]);
		for (size_t n = output_display_width(heads[k], strlen(heads[k])); n < 21; n++)
			strbuf_addch(&head, ' ');
	}
	fprintf(f, "%s%s\n", head.buf, w->head_records);
	strbuf_release(&head);
	for (size_t i = 0; i < d->npairs; i++)
		fprintf(f, "%-20s %-20s %zu%s\n", d->from[i], d->to[i], d->count[i],
			strcmp(d->from[i], d->to[i]) ? "" : w->unchanged);
}

int cmd_diff(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (!o.old_dir || !o.new_dir) {
		diag_error2("diff: give both --old DIR and --new DIR; see 'verdict diff --help'",
			    "diff：请同时给出 --old 目录 和 --new 目录；见“verdict diff --help”");
		return 2;
	}
	if (options_refuse_output_stdin(&o, 0))
		return 2;
	if (options_refuse_format(&o, 1u << FMT_TABLE | 1u << FMT_CSV, true, "table or csv"))
		return 2;
	if (!o.format_given)
		o.format = FMT_TABLE;
	struct ruleset *rs[2] = { cli_load_rules(&o, o.old_dir), NULL };
	if (!rs[0])
		return 2;
	rs[1] = cli_load_rules(&o, o.new_dir);
	if (!rs[1]) {
		ruleset_free(rs[0]);
		return 2;
	}
	struct diff *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->o = &o;
	strbuf_init(&d->line);
	d->f = cli_open_output(o.output);
	if (!d->f) {
		ruleset_free(rs[0]);
		ruleset_free(rs[1]);
		free(d);
		return 2;
	}
	if (o.bom)   /* --bom, or --format excel: for Excel to read the Chinese */
		fputs("\xEF\xBB\xBF", d->f);
	struct batch_options bo = {
		.input = o.nargs ? o.args[0] : NULL, .encoding = o.encoding, .max_cell = o.max_cell,
		.decision = o.decision, .as_of = o.as_of, .lang = o.lang, .engine = o.engine,
	};
	struct batch_sink sink = { begin, record, d, NULL, NULL, NULL };
	struct batch_stats stats;
	st = batch_run(rs, 2, &bo, &sink, &stats);
	if (st != 2)
		summary(d, rs);
	int bad = 0;
	if (st == 2)
		cli_abandon_output(d->f);   /* -o FILE keeps what it held */
	else
		bad = cli_close_output(d->f, o.output);
	int changed = d->changed != 0;
	strbuf_release(&d->line);
	free(d);
	ruleset_free(rs[0]);
	ruleset_free(rs[1]);
	if (st == 2 || bad)
		return 2;
	return changed ? 1 : 0;
}
