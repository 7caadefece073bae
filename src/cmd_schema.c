/* verdict schema — the columns a decision reads, or an empty CSV template. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "diag.h"
#include "output.h"
#include "strbuf.h"

static const char usage[] =
"usage: verdict schema [-d DECISION] [--template] [--lang en|zh] [options]\n"
"\n"
"Print the columns a decision reads: name, Chinese alias, type, allowed\n"
"values, whether required, meaning.  Without -d, every decision.\n"
"\n"
"  -d, --decision NAME  one decision\n"
"      --template       an empty CSV with the decision's header, to fill in\n"
"                       (Chinese headers with --lang zh; --bom for Excel)\n"
"      --format FMT     table (default), csv, or excel (csv with a UTF-8\n"
"                       byte-order mark)\n"
"      --bom            begin the output with a UTF-8 byte-order mark (for Excel;\n"
"                       with --format csv or --template, not with the table)\n"
"      --lang en|zh     language of the headings and headers\n"
"  -r, --rules DIR      rule set directory\n"
"      --max-instructions N, --max-memory MIB\n"
"                       the rule engine's limits, as for check\n"
"  -o, --output FILE    write here instead of standard output\n"
"  -h, --help           this help\n"
"      --version        the engine's version and the rule set's digest\n";

/* The type in the contract's words (section 5: int, number, bool, date,
 * string, enum); the rule set's finer kinds (count, money, ratio) are
 * said by the allowed values. */
static const char *shown_type(const struct column_def *c)
{
	static const struct { const char *declared, *shown; } as[] = {
		{ "count", "int" }, { "money", "number" }, { "ratio", "number" },
	};
	const char *t = c->type ? c->type : "string";
	for (size_t i = 0; i < sizeof as / sizeof as[0]; i++)
		if (strcmp(t, as[i].declared) == 0)
			return as[i].shown;
	return t;
}

/* A number as the rule set wrote it: 0, 1, 2.5, -100. */
static void add_number(struct strbuf *sb, double x)
{
	strbuf_addf(sb, "%.15g", x);
}

static void allowed(struct strbuf *sb, const struct column_def *c, bool zh)
{
	for (size_t k = 0; k < c->ntokens; k++)
		strbuf_addf(sb, "%s%s (%s)", k ? (zh ? "、" : ", ") : "", zh ? c->labels[k] : c->tokens[k],
			    zh ? c->tokens[k] : c->labels[k]);
	if (c->has_min && c->has_max) {
		add_number(sb, c->min);
		strbuf_addstr(sb, zh ? "至" : " to ");
		add_number(sb, c->max);
	} else if (c->has_min) {
		add_number(sb, c->min);
		strbuf_addstr(sb, zh ? "或以上" : " or more");
	} else if (c->has_max) {
		add_number(sb, c->max);
		strbuf_addstr(sb, zh ? "或以下" : " or less");
	}
	const char *t = c->type ? c->type : "";
	/* The forms every cell of the type may take (contract 2): the
	 * engine's, not the rule set's. */
	if (strcmp(t, "bool") == 0)
		strbuf_addstr(sb, zh ? "是/否（也可 true/false、yes/no、y/n、1/0，不分大小写）"
				     : "yes/no (also true/false, y/n, 1/0, 是/否; any case)");
	else if (strcmp(t, "date") == 0)
		strbuf_addstr(sb, zh ? "YYYY-MM-DD（也可 2024/3/15、2024.3.15、2024年3月15日）"
				     : "YYYY-MM-DD (also 2024/3/15, 2024.3.15, 2024年3月15日)");
	if (strcmp(t, "money") == 0)
		strbuf_addstr(sb, zh ? "，单位万元" : ", in 万元");
	if (strcmp(t, "count") == 0 || strcmp(t, "money") == 0 || strcmp(t, "ratio") == 0)
		strbuf_addf(sb, zh ? "（%s）" : " (%s)", t);
}

static const char *need(const struct column_def *c, bool zh)
{
	if (c->required)
		return zh ? "必填" : "required";
	if (c->optional)
		return zh ? "可无此列" : "optional column";
	return zh ? "列须有，可空" : "column needed, cell may be empty";
}

/* Pad to a display width (CJK counts two). */
static void padded(struct strbuf *sb, const char *s, size_t width)
{
	size_t w = output_display_width(s, strlen(s));
	strbuf_addstr(sb, s);
	while (w++ < width + 2)
		strbuf_addch(sb, ' ');
}

static void print_table(FILE *f, const struct decision_def *d, bool zh, enum out_format fmt, bool header)
{
	static const char *head_en[] = { "column", "中文", "type", "allowed values", "required", "meaning" };
	static const char *head_zh[] = { "列名", "English", "类型", "取值", "是否必填", "含义" };
	const char **head = zh ? head_zh : head_en;
	size_t n = d->ncols;
	struct strbuf cells[6];
	size_t width[6] = { 0 };
	char **text = calloc((n + 1) * 6, sizeof *text);
	if (!text)
		abort();
	for (int j = 0; j < 6; j++)
		strbuf_init(&cells[j]);
	for (size_t i = 0; i <= n; i++) {
		for (int j = 0; j < 6; j++)
			strbuf_reset(&cells[j]);
		if (i == 0) {
			for (int j = 0; j < 6; j++)
				strbuf_addstr(&cells[j], head[j]);
		} else {
			const struct column_def *c = &d->cols[i - 1];
			strbuf_addstr(&cells[0], zh ? c->zh : c->name);
			strbuf_addstr(&cells[1], zh ? c->name : c->zh);
			strbuf_addstr(&cells[2], shown_type(c));
			allowed(&cells[3], c, zh);
			strbuf_addstr(&cells[4], need(c, zh));
			const char *meaning = zh && c->meaning_zh ? c->meaning_zh : c->meaning;
			strbuf_addstr(&cells[5], meaning ? meaning : "");
		}
		for (int j = 0; j < 6; j++) {
			text[i * 6 + j] = strdup(cells[j].buf);
			size_t w = output_display_width(cells[j].buf, cells[j].len);
			if (w > width[j])
				width[j] = w;
		}
	}
	struct strbuf line = STRBUF_INIT;
	if (fmt == FMT_TABLE)
		fprintf(f, "%s — %s\n\n", d->name, zh ? d->title_zh : d->title_en);
	for (size_t i = 0; i <= n; i++) {
		strbuf_reset(&line);
		if (fmt == FMT_CSV && i == 0 && !header) {
			for (int j = 0; j < 6; j++)
				free(text[j]);
			continue;
		}
		if (fmt == FMT_CSV) {
			if (i == 0)
				strbuf_addstr(&line, zh ? "决策," : "decision,");
			else
				strbuf_addf(&line, "%s,", d->name);
		}
		for (int j = 0; j < 6; j++) {
			if (fmt == FMT_CSV) {
				if (j)
					strbuf_addch(&line, ',');
				output_csv_field(&line, text[i * 6 + j], strlen(text[i * 6 + j]));
			} else if (j == 5) {
				strbuf_addstr(&line, text[i * 6 + j]);
			} else {
				padded(&line, text[i * 6 + j], width[j]);
			}
			free(text[i * 6 + j]);
		}
		while (line.len && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		fprintf(f, "%s\n", line.buf);
	}
	strbuf_release(&line);
	for (int j = 0; j < 6; j++)
		strbuf_release(&cells[j]);
	free(text);
}

static void print_template(FILE *f, const struct decision_def *d, bool zh, bool bom)
{
	struct strbuf line = STRBUF_INIT;
	if (bom)
		fputs("\xEF\xBB\xBF", f);
	for (size_t i = 0; i < d->ncols; i++) {
		if (i)
			strbuf_addch(&line, ',');
		output_csv_field(&line, zh ? d->cols[i].zh : d->cols[i].name, strlen(zh ? d->cols[i].zh : d->cols[i].name));
	}
	fprintf(f, "%s\n", line.buf);
	strbuf_release(&line);
}

int cmd_schema(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 1u << FMT_TABLE | 1u << FMT_CSV, true, "table or csv"))
		return 2;
	if (!o.format_given)
		o.format = FMT_TABLE;
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs)
		return 2;
	int first = 0, last = (int)rs->ndecisions - 1;
	if (o.decision) {
		first = last = ruleset_find(rs, o.decision);   /* there is one: cli_load_rules made sure */
	} else if (o.template_ && rs->ndecisions != 1) {
		diag_error2("schema: --template needs -d DECISION (the rule set has %zu decisions)",
			    "schema：--template 须与 -d 决策 同用（规则集有%zu个决策）", rs->ndecisions);
		ruleset_free(rs);
		return 2;
	}
	if (o.bom && !o.template_ && o.format == FMT_TABLE) {
		diag_error2("schema: --bom with --format table: a byte-order mark is for Excel; expected --bom with "
			    "--format csv or --template", "schema：--bom不能与--format table同用：字节顺序标记供Excel"
			    "使用；--bom应与--format csv或--template同用");
		ruleset_free(rs);
		return 2;
	}
	FILE *f = cli_open_output(o.output);
	if (!f) {
		ruleset_free(rs);
		return 2;
	}
	bool zh = options_zh(&o);
	if (o.bom && !o.template_)
		fputs("\xEF\xBB\xBF", f);   /* --format excel, or csv with --bom */
	for (int i = first; i <= last; i++) {
		if (o.template_) {
			print_template(f, &rs->decisions[i], zh, o.bom);
			continue;
		}
		if (i > first && o.format == FMT_TABLE)
			fputc('\n', f);
		print_table(f, &rs->decisions[i], zh, o.format, i == first);
	}
	int bad = cli_close_output(f, o.output);
	ruleset_free(rs);
	return bad ? 2 : 0;
}
