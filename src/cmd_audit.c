/* verdict audit — re-evaluate a past run's records; report what differs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "batch.h"
#include "cli.h"
#include "diag.h"
#include "json.h"
#include "jsonscan.h"
#include "record.h"
#include "spool.h"
#include "strbuf.h"

static const char usage[] =
"usage: verdict audit VERDICTS.jsonl|- [options] [FILE|-]\n"
"\n"
"Re-evaluate the records of FILE with the current rule set, each on the date\n"
"the past run recorded for it (its as_of; or the day --as-of gives), and report\n"
"every record whose verdict would now differ from the one in VERDICTS.jsonl\n"
"(the output of 'verdict check --format jsonl' on the same FILE, with or\n"
"without --bom), and whether the rule set's digest differs from the one\n"
"recorded.  Records are matched by the row each line of VERDICTS.jsonl\n"
"records, not by position: a record of FILE with no line of its row is\n"
"reported as not in the past run, a line whose row FILE does not have as not\n"
"in the input.  A line that is not one complete JSON record, or has no row,\n"
"is reported with its line number and matches nothing; blank lines are\n"
"skipped.  A row whose id is not the one recorded is reported as not the\n"
"same record (a file sorted again), not as a changed verdict.\n"
"\n"
"  -r, --rules DIR         rule set directory\n"
"  -d, --decision NAME     which decision (default: the one the header fits)\n"
"      --as-of YYYY-MM-DD  evaluate on this date instead of the recorded one\n"
"      --engine E          auto (default), native or lua (see verdict check --help)\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk\n"
"      --lang en|zh        language of the report and of the reasons in it\n"
"      --max-instructions N, --max-memory MIB, --max-cell BYTES\n"
"                          the limits, as for check (see verdict check --help);\n"
"                          give those of the past run (its jsonl records them)\n"
"  -o, --output FILE       write here instead of standard output\n"
"  -q, --quiet             accepted, and changes nothing: audit's summary is part\n"
"                          of its report\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the rule set's digest\n"
"\n"
"Exit status: 0 every verdict is the same; 1 some differ, or some records\n"
"are not matched or lines damaged (each reported, and counted in the\n"
"summary); 2 trouble.\n";

/* The words of the report, in English and Chinese.  Both forms of a line
 * take the same arguments in the same order; the Chinese has no plural
 * endings, and leaves those arguments unused (%.0s, or printf ignores
 * them at the end). */
struct words {
	const char *not_in_past, *not_in_input, *out_of_order, *not_json, *twice, *no_row, *bad_row,
		*no_verdict, *not_same, *no_id, *quote[2], *was_now, *failed, *reason;
	const char *summary, *not_matched, *damaged, *above, *digest_differs, *digest_same, *digest_unchecked;
	const char *other_as_of, *given_as_of, *digest_missing, *bad_as_of;
	/* What jsonscan_check found, and what it expected there. */
	const char *line_end, *space, *byte, *character;
	const char *want[JSONSCAN_ONCE + 1];
	const char *no_id_recorded, *mixed_digest, *none_recorded, *mixed_summary;
	const char *own_days;
};
static const struct words EN = {
	"row %zu (line %zu), id %.*s: not in the past run: %s has no record of row %zu; "
	"expected one for each record of the input\n",
	"%s:%zu: row %zu (id %s): not in the input, which has %zu record%s; "
	"expected the file the past run read, whole\n",
	"%s:%zu: row %zu (id %s) after row %zu (line %zu): out of order or repeated, not compared; "
	"expected rows in increasing order, as 'verdict check' writes them\n",
	"%s:%zu: not a complete JSON record (at byte %zu, %s where %s was expected); "
	"expected one JSON record of 'verdict check --format jsonl' a line\n",
	"%s:%zu: \"%s\" given twice (again at byte %zu): which one was recorded? "
	"expected each member once, as 'verdict check --format jsonl' writes it\n",
	"%s:%zu: no row number (\"row\" absent, or not a number); expected the record's row number, "
	"as 'verdict check --format jsonl' writes it\n",
	"%s:%zu: row %.15g is not a record number; expected a whole number from 1\n",
	"%s:%zu: row %zu has no verdict (\"verdict\" absent, or not a string); expected the verdict recorded, "
	"as 'verdict check --format jsonl' writes it\n",
	"%s:%zu: row %zu is id '%s' in the past run, but id '%s' in the input (line %zu): "
	"not the same record; expected the file the past run read, in the same order\n",
	"none recorded", { "'", "'" },
	"row %zu (line %zu), id %.*s: was %s, now %s", " (failed: %s)", ": %s\n",
	"%zu record%s re-evaluated as of %s: %zu verdict%s differ%s", ", %zu record%s not matched",
	", %zu line%s of the past run damaged", " (above)",
	"rule set digest differs: recorded sha256:%s, now sha256:%s (%s)\n", "rule set digest unchanged: sha256:%s\n",
	"rule set digest not compared (no record was): now sha256:%s\n",
	"%s:%zu: row %zu was evaluated as of %s, not %s: re-evaluated as of %s, the day it recorded "
	"(and so is each record of another day; noted once)\n",
	"%s:%zu: re-evaluated as of %s (given by --as-of), not the recorded %s; noted once, "
	"for this record and any later one recorded as of another day\n",
	"no rule set digest recorded in %s (for %zu record%s); expected rules_digest in each record: "
	"now sha256:%s\n",
	"%s:%zu: the as_of recorded, '%s', is not a date; expected YYYY-MM-DD (or give --as-of)",
	"the end of the line", "a space", "byte 0x%02x", "%s%.*s%s (U+%04X)",
	{
		[JSONSCAN_COMPLETE] = "nothing",
		[JSONSCAN_OBJECT] = "'{' opening the record",
		[JSONSCAN_NAME_OR_CLOSE] = "a member name in quotes or '}'",
		[JSONSCAN_NAME] = "a member name in quotes",
		[JSONSCAN_COLON] = "':' after the member name",
		[JSONSCAN_VALUE] = "a value",
		[JSONSCAN_VALUE_OR_CLOSE] = "a value or ']'",
		[JSONSCAN_COMMA_OR_BRACE] = "',' or '}'",
		[JSONSCAN_COMMA_OR_BRACKET] = "',' or ']'",
		[JSONSCAN_QUOTE] = "the closing '\"' of a string",
		[JSONSCAN_ESCAPE] = "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u)",
		[JSONSCAN_HEX] = "a hex digit of \\uXXXX",
		[JSONSCAN_LOW_SURROGATE] = "a \\u low surrogate (DC00-DFFF) after a high one, and only there",
		[JSONSCAN_ESCAPED] = "a control character escaped",
		[JSONSCAN_UTF8] = "valid UTF-8",
		[JSONSCAN_DIGIT] = "a digit (no leading zero)",
		[JSONSCAN_LITERAL] = "true, false or null",
		[JSONSCAN_END] = "the end of the line (one record a line)",
		[JSONSCAN_SHALLOWER] = "at most 64 levels of nesting",
		[JSONSCAN_ONCE] = "each member once",
	},
	"%s:%zu: row %zu has no id (\"id\" absent, or not a string), so it cannot be told the same record; "
	"expected the id recorded, as 'verdict check --format jsonl' writes it\n",
	"%s:%zu: row %zu was evaluated under rule set %s%s, but line %zu under %s%s: the past run "
	"mixes rule sets; expected one rule set for a whole run (noted once)\n",
	"(none recorded)",
	"rule set digest: the past run records more than one (above); now sha256:%s (%s)\n",
	"%s (%zu of them as of the day each recorded)",
};
static const struct words ZH = {
	"第%zu条（第%zu行），编号%.*s：不在上次运行中：%s没有第%zu条的记录；输入的每条记录都应有一条\n",
	"%s:%zu：第%zu条（编号%s）不在输入中，输入共%zu条记录%.0s；应为上次运行读取的完整文件\n",
	"%s:%zu：第%zu条（编号%s）在第%zu条（第%zu行）之后：顺序错乱或重复，未比较；"
	"各条应按条目编号递增排列，与“verdict check”的输出相同\n",
	"%s:%zu：不是完整的JSON记录（第%zu字节处是%s，此处应为%s）；"
	"应为“verdict check --format jsonl”输出的每行一条JSON记录\n",
	"%s:%zu：“%s”出现两次（第%zu字节处再次出现），无法确定记录的是哪一个；"
	"每个成员应只出现一次，与“verdict check --format jsonl”的输出相同\n",
	"%s:%zu：没有条目编号（缺少“row”或其值不是数字）；应有记录的条目编号，"
	"与“verdict check --format jsonl”的输出相同\n",
	"%s:%zu：条目编号%.15g不是记录编号；应为从1起的整数\n",
	"%s:%zu：第%zu条没有结论（缺少“verdict”或其值不是字符串）；应有记录的结论，"
	"与“verdict check --format jsonl”的输出相同\n",
	"%s:%zu：第%zu条在上次运行中编号为“%s”，在输入中编号为“%s”（第%zu行）："
	"不是同一条记录；应使用上次运行读取的文件，且顺序不变\n",
	"未记录", { "“", "”" },
	"第%zu条（第%zu行），编号%.*s：原结论%s，现结论%s", "（未通过：%s）", "：%s\n",
	"%zu条记录%.0s已按%s重新评估：%zu条结论不同", "，%zu条记录无法对应", "，上次运行中%zu行已损坏", "（见上）",
	"规则集摘要不同：原记录sha256:%s，现为sha256:%s（%s）\n", "规则集摘要未变：sha256:%s\n",
	"规则集摘要未比较（没有可比较的记录）：现为sha256:%s\n",
	"%s:%zu：第%zu条的评估日期为%s，不是%s：按其记录的%s重新评估（其他日期的记录同样如此，仅提示这一次）\n",
	"%s:%zu：按--as-of给出的%s重新评估，而非记录的%s；仅提示这一次，此后评估日期不同的记录不再提示\n",
	"%s中没有记录规则集摘要（%zu条记录%.0s）；每条记录应有rules_digest：现为sha256:%s\n",
	"%s:%zu：记录的评估日期“%s”不是日期；应为YYYY-MM-DD（或给出--as-of）",
	"行尾", "空格", "字节0x%02x", "%s%.*s%s（U+%04X）",
	{
		[JSONSCAN_COMPLETE] = "无",
		[JSONSCAN_OBJECT] = "开始记录的“{”",
		[JSONSCAN_NAME_OR_CLOSE] = "带引号的成员名或“}”",
		[JSONSCAN_NAME] = "带引号的成员名",
		[JSONSCAN_COLON] = "成员名后的“:”",
		[JSONSCAN_VALUE] = "一个值",
		[JSONSCAN_VALUE_OR_CLOSE] = "一个值或“]”",
		[JSONSCAN_COMMA_OR_BRACE] = "“,”或“}”",
		[JSONSCAN_COMMA_OR_BRACKET] = "“,”或“]”",
		[JSONSCAN_QUOTE] = "字符串的结束引号“\"”",
		[JSONSCAN_ESCAPE] = "转义序列（\\\" \\\\ \\/ \\b \\f \\n \\r \\t 或 \\u）",
		[JSONSCAN_HEX] = "\\uXXXX的十六进制数字",
		[JSONSCAN_LOW_SURROGATE] = "紧随高代理项之后的\\u低代理项（DC00-DFFF）",
		[JSONSCAN_ESCAPED] = "转义后的控制字符",
		[JSONSCAN_UTF8] = "有效的UTF-8",
		[JSONSCAN_DIGIT] = "数字（不以0开头）",
		[JSONSCAN_LITERAL] = "true、false或null",
		[JSONSCAN_END] = "行尾（每行一条记录）",
		[JSONSCAN_SHALLOWER] = "至多64层嵌套",
		[JSONSCAN_ONCE] = "每个成员只出现一次",
	},
	"%s:%zu：第%zu条没有编号（缺少“id”或其值不是字符串），无法确认是同一条记录；应有记录的编号，"
	"如“verdict check --format jsonl”所写\n",
	"%s:%zu：第%zu条按规则集%s%s评估，而第%zu行按%s%s评估：上次运行混用了不同的规则集；"
	"一次运行应只用一个规则集（仅提示一次）\n",
	"（未记录）",
	"规则集摘要：上次运行记录了不止一个（见上）；现为sha256:%s（%s）\n",
	"%s（其中%zu条按各自记录的评估日期）",
};

/* The members audit reads: each must be given once, or the line is damaged. */
static const char *const read_keys[] = { "row", "id", "verdict", "as_of", "rules_digest", NULL };

struct audit {
	const struct options *o;
	const struct words *w;
	const char *path;
	FILE *past, *f;
	char *buf;                 /* getline's buffer */
	size_t cap;
	size_t lineno;             /* of the line read last */
	const char *line;          /* that line, without its newline (nor a BOM) */
	size_t len, skipped;       /* its length; bytes cut at its start (a BOM) */
	/* The past record next in line: its line (above) and row. */
	bool started, have;
	size_t row;
	size_t last_row, last_lineno;   /* the record before it */
	size_t records, differ, unmatched, damaged;
	const char *digest;
	bool digest_differs;
	struct strbuf first_digest;  /* the first rules_digest recorded, and its line */
	size_t first_digest_line;
	bool mixed;                  /* another digest than the first was recorded */
	size_t first_no_digest_line; /* the first line that recorded none */
	size_t no_digest, with_digest;  /* records compared with no rules_digest, with one */
	size_t json_lines;         /* recorded_as_of: the lines that were JSON records */
	bool as_of_given, as_of_noted;
	const char *lang;            /* of the reasons */
	size_t own_day;              /* records re-evaluated as of the day they recorded */
	struct eval_result own;      /* such a record's result */
	const char *as_of_text;    /* the date records are re-evaluated as of */
	struct strbuf recorded_digest, s, t;
};

/* The next line of the past run that is not blank (only spaces), or
 * false at its end.  A UTF-8 byte-order mark opening the file (check
 * --bom writes one) is skipped. */
static bool next_line(struct audit *a)
{
	ssize_t n;
	while ((n = getline(&a->buf, &a->cap, a->past)) >= 0) {
		a->lineno++;
		while (n > 0 && (a->buf[n - 1] == '\n' || a->buf[n - 1] == '\r'))
			a->buf[--n] = '\0';
		a->skipped = a->lineno == 1 && n >= 3 && memcmp(a->buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		a->line = a->buf + a->skipped;
		a->len = (size_t)n - a->skipped;
		if (strspn(a->line, " \t\r") < a->len)
			return true;
	}
	return false;
}

/* What is at byte at of the line, for a message: a character, a byte. */
static void show_found(struct audit *a, size_t at)
{
	strbuf_reset(&a->t);
	if (at >= a->len) {
		strbuf_addstr(&a->t, a->w->line_end);
		return;
	}
	const unsigned char *u = (const unsigned char *)a->line + at;
	size_t n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
	if (u[0] == ' ') {
		strbuf_addstr(&a->t, a->w->space);
	} else if (u[0] > 0x20 && u[0] < 0x7f) {
		strbuf_addf(&a->t, "%s%c%s", a->w->quote[0], u[0], a->w->quote[1]);
	} else if (u[0] >= 0x80 && n <= a->len - at && utf8_valid_prefix(a->line + at, n) == n) {
		/* A character, and its number: it may not show (U+FEFF). */
		unsigned cp = n == 2 ? u[0] & 0x1Fu : n == 3 ? u[0] & 0x0Fu : u[0] & 0x07u;
		for (size_t i = 1; i < n; i++)
			cp = cp << 6 | (u[i] & 0x3Fu);
		strbuf_addf(&a->t, a->w->character, a->w->quote[0], (int)n, a->line + at, a->w->quote[1], cp);
	} else {
		strbuf_addf(&a->t, a->w->byte, u[0]);
	}
}

/* A line that is not one complete JSON record (with each member audit
 * reads once), said with where it stops and what was expected there. */
static bool complete(struct audit *a)
{
	struct jsonscan_problem p;
	if (jsonscan_check(a->line, a->len, read_keys, &p))
		return true;
	a->damaged++;
	if (p.want == JSONSCAN_ONCE) {
		fprintf(a->f, a->w->twice, a->path, a->lineno, p.key, a->skipped + p.at + 1);
		return false;
	}
	show_found(a, p.at);
	fprintf(a->f, a->w->not_json, a->path, a->lineno, a->skipped + p.at + 1, a->t.buf, a->w->want[p.want]);
	return false;
}

/* The id a line records, for a message (in a->t). */
static const char *recorded_id(struct audit *a)
{
	strbuf_reset(&a->t);
	if (jsonscan_string(a->line, a->len, "id", &a->s)) {
		strbuf_addstr(&a->t, a->w->quote[0]);
		record_show_id(&a->t, a->s.buf, a->s.len);
		strbuf_addstr(&a->t, a->w->quote[1]);
	} else {
		strbuf_addstr(&a->t, a->w->no_id);
	}
	return a->t.buf;
}

/* On to the next record of the past run, in a->row (a->have false at its
 * end).  A line that cannot be one, or is out of order, is reported
 * here and passed over: it matches nothing, and changes nothing else. */
static void next_record(struct audit *a)
{
	a->started = true;
	if (a->have) {
		a->last_row = a->row;
		a->last_lineno = a->lineno;
	}
	a->have = false;
	while (next_line(a)) {
		double row;
		if (!complete(a))
			continue;
		if (!jsonscan_number(a->line, a->len, "row", &row)) {
			fprintf(a->f, a->w->no_row, a->path, a->lineno);
			a->damaged++;
			continue;
		}
		if (!(row >= 1 && row <= 9007199254740992.0 && (double)(size_t)row == row)) {
			fprintf(a->f, a->w->bad_row, a->path, a->lineno, row);
			a->damaged++;
			continue;
		}
		if ((size_t)row <= a->last_row) {
			fprintf(a->f, a->w->out_of_order, a->path, a->lineno, (size_t)row, recorded_id(a), a->last_row,
				a->last_lineno);
			a->unmatched++;
			continue;
		}
		a->have = true;
		a->row = (size_t)row;
		return;
	}
}

/* The past record in hand has a row the input does not have. */
static void not_in_input(struct audit *a)
{
	fprintf(a->f, a->w->not_in_input, a->path, a->lineno, a->row, recorded_id(a), a->records,
		a->records == 1 ? "" : "s");
	a->unmatched++;
}

/* The as_of a record was evaluated on, against the day re-evaluated on:
 * a record of another day than the past run's first is re-evaluated as
 * of its own day (a run of several days, such as the jsonl of monthly
 * runs put together, is audited record by record), said once; a day
 * given by --as-of is kept for every record, and said once.  The result
 * to compare. */
static const struct eval_result *as_of_result(struct audit *a, const struct batch_result *r)
{
	date_t day;
	if (!jsonscan_string(a->line, a->len, "as_of", &a->s) || strcmp(a->s.buf, a->as_of_text) == 0)
		return &r->ev[0];
	if (a->as_of_given) {
		if (!a->as_of_noted)
			fprintf(a->f, a->w->given_as_of, a->path, a->lineno, a->as_of_text, a->s.buf);
		a->as_of_noted = true;
		return &r->ev[0];
	}
	/* An unreadable record is INVALID whatever the day; an as_of that is
	 * no date is the past run's damage: re-evaluated as of the first. */
	if (r->invalid || !r->evaluator[0] || !date_parse(a->s.buf, a->s.len, &day))
		return &r->ev[0];
	if (!a->as_of_noted)
		fprintf(a->f, a->w->other_as_of, a->path, a->lineno, r->row, a->s.buf, a->as_of_text, a->s.buf);
	a->as_of_noted = true;
	a->own_day++;
	evaluator_run(r->evaluator[0], r->vals, r->rec, day, false, a->lang, &a->own);
	return &a->own;
}

/* The input's record r and the past record of its row, in hand. */
static void compare(struct audit *a, const struct batch_result *r)
{
	if (!jsonscan_string(a->line, a->len, "verdict", &a->s)) {
		fprintf(a->f, a->w->no_verdict, a->path, a->lineno, a->row);
		a->damaged++;
		return;
	}
	/* The same row must be the same record: a file sorted again, or
	 * another file, would otherwise be reported as verdicts changed.  A
	 * line with no id cannot show it is (it was compared all the same). */
	if (!jsonscan_string(a->line, a->len, "id", &a->s)) {
		fprintf(a->f, a->w->no_id_recorded, a->path, a->lineno, a->row);
		a->damaged++;
		return;
	}
	if ((a->s.len != r->id_len || memcmp(a->s.buf, r->id, r->id_len) != 0)) {
		struct strbuf was = STRBUF_INIT, now = STRBUF_INIT;
		record_show_id(&was, a->s.buf, a->s.len);
		record_show_id(&now, r->id, r->id_len);
		fprintf(a->f, a->w->not_same, a->path, a->lineno, r->row, was.buf, now.buf, r->line);
		strbuf_release(&was);
		strbuf_release(&now);
		a->unmatched++;
		return;
	}
	if (!jsonscan_string(a->line, a->len, "rules_digest", &a->s)) {
		if (!a->no_digest++)
			a->first_no_digest_line = a->lineno;
		if (a->first_digest_line && !a->mixed) {
			fprintf(a->f, a->w->mixed_digest, a->path, a->lineno, r->row, "", a->w->none_recorded,
				a->first_digest_line, "sha256:", a->first_digest.buf);
			a->mixed = true;
		}
	} else {
		a->with_digest++;
		if (!a->first_digest_line) {
			strbuf_addstr(&a->first_digest, a->s.buf);
			a->first_digest_line = a->lineno;
			if (a->no_digest && !a->mixed) {
				/* lines before it recorded none */
				fprintf(a->f, a->w->mixed_digest, a->path, a->lineno, r->row, "sha256:", a->s.buf,
					a->first_no_digest_line, "", a->w->none_recorded);
				a->mixed = true;
			}
		} else if (!a->mixed && strcmp(a->s.buf, a->first_digest.buf) != 0) {
			/* "recorded sha256:X" below would be true of part of the run only */
			fprintf(a->f, a->w->mixed_digest, a->path, a->lineno, r->row, "sha256:", a->s.buf,
				a->first_digest_line, "sha256:", a->first_digest.buf);
			a->mixed = true;
		}
		if (strcmp(a->s.buf, a->digest) != 0 && !a->digest_differs) {
			strbuf_addstr(&a->recorded_digest, a->s.buf);
			a->digest_differs = true;
		}
	}
	const struct eval_result *e = as_of_result(a, r);
	jsonscan_string(a->line, a->len, "verdict", &a->s);
	if (strcmp(a->s.buf, e->verdict) != 0) {
		a->differ++;
		fprintf(a->f, a->w->was_now, r->row, r->line, (int)r->id_len, r->id, a->s.buf, e->verdict);
		if (*e->failed)
			fprintf(a->f, a->w->failed, e->failed);
		fprintf(a->f, a->w->reason, e->reason);
	}
}

/* Each record of the input, with the past record of the same row: both
 * come in increasing row order, so the two are merged as they come. */
static int record(void *ctx, const struct batch_result *r)
{
	struct audit *a = ctx;
	a->records++;
	if (!a->started)
		next_record(a);
	while (a->have && a->row < r->row) {
		not_in_input(a);
		next_record(a);
	}
	if (!a->have || a->row > r->row) {
		fprintf(a->f, a->w->not_in_past, r->row, r->line, (int)r->id_len, r->id, a->path, r->row);
		a->unmatched++;
		return 0;
	}
	compare(a, r);
	next_record(a);
	return 0;
}

/* The past records after the input's last. */
static void finish(struct audit *a)
{
	if (!a->started)
		next_record(a);
	while (a->have) {
		not_in_input(a);
		next_record(a);
	}
}

/* The as_of date the past run recorded, in its first complete record
 * that has one: 0, -1 when none does, -2 (and the text in *text, the
 * line in *lineno) when it is not a date; the decision that record names
 * in *decision (empty when none).  Reports nothing.  With want_as_of
 * false, only the decision is looked for (0). */
static int recorded_as_of(struct audit *a, bool want_as_of, date_t *as_of, struct strbuf *text,
			  struct strbuf *decision, size_t *lineno)
{
	int st = want_as_of ? -1 : 0;
	struct jsonscan_problem p;
	strbuf_reset(decision);
	a->json_lines = 0;
	while (next_line(a)) {
		if (!jsonscan_check(a->line, a->len, read_keys, &p))
			continue;
		a->json_lines++;
		if (want_as_of && !jsonscan_string(a->line, a->len, "as_of", text))
			continue;
		(void)jsonscan_string(a->line, a->len, "decision", decision);
		if (want_as_of)
			st = date_parse(text->buf, text->len, as_of) ? 0 : -2;
		break;
	}
	*lineno = a->lineno;
	rewind(a->past);
	a->lineno = 0;
	return st;
}

/* The past run as a file that can be read twice (recorded_as_of reads
 * ahead): a pipe, a FIFO or <(...) is copied to a temporary one first.
 * 0, or 2 (reported) for a directory or a copy that fails. */
static int past_run_file(struct audit *a)
{
	struct stat st;
	if (fstat(fileno(a->past), &st) != 0 || S_ISREG(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode)) {
		diag_error2("cannot read '%s': it is a directory; expected the past run's VERDICTS.jsonl",
			    "无法读取“%s”：它是一个目录；应为上次运行的VERDICTS.jsonl", a->path);
		return 2;
	}
	char err[512];
	FILE *copy = spool_copy(a->past, err, sizeof err);
	if (!copy) {
		diag_error("%s: %s", a->path, err);
		return 2;
	}
	if (a->past != stdin)
		fclose(a->past);
	a->past = copy;
	return 0;
}

/* Why the past run gives no as_of to re-evaluate on (st: recorded_as_of's
 * answer, not 0; text and lineno: the as_of that is not a date). */
static void say_no_as_of(const struct audit *a, int st, const char *text, size_t lineno)
{
	if (st == -2)
		diag_error(a->w->bad_as_of, a->path, lineno, text);
	else if (a->json_lines == 0)
		diag_error2("%s: not a past run: none of its %zu lines is a JSON record; expected the output of "
			    "'verdict check --format jsonl'",
			    "%s：不是上次运行的输出：%zu行中没有一行是JSON记录；应为“verdict check --format jsonl”的输出",
			    a->path, lineno);
	else
		diag_error2("%s: no as_of date recorded (in none of its %zu lines); expected the output of "
			    "'verdict check --format jsonl' (or give --as-of)",
			    "%s：没有记录评估日期（as_of）（%zu行中均没有）；应为“verdict check --format jsonl”"
			    "的输出（或给出--as-of）", a->path, lineno);
}

/* The decision the past run evaluated (decision; empty when none is
 * recorded) is the one audited: o->decision becomes it, kept in buf;
 * 2 (reported) when -d names another. */
static int past_decision(struct options *o, const struct strbuf *decision, char *buf, size_t cap,
			 const char *path)
{
	if (!decision->len)
		return 0;
	if (o->decision && strcmp(o->decision, decision->buf) != 0) {
		diag_error2("%s: the past run is of decision '%s', not '%s' (-d); expected the decision it evaluated",
			    "%s：上次运行的决策为“%s”，而非“%s”（-d）；应为其所评估的决策", path, decision->buf,
			    o->decision);
		return 2;
	}
	if (!o->decision && decision->len < cap) {
		memcpy(buf, decision->buf, decision->len + 1);
		o->decision = buf;
	}
	return 0;
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
		/* (options.c's table refuses this first; kept should it change) */
		diag_error2("audit: give the past run's VERDICTS.jsonl and the input FILE; see 'verdict audit --help'",
			    "audit：应给出上次运行的VERDICTS.jsonl和输入文件；见“verdict audit --help”");
		return 2;
	}
	if (options_refuse_output_stdin(&o, 1))
		return 2;
	struct audit a;
	memset(&a, 0, sizeof a);
	a.o = &o;
	a.w = options_zh(&o) ? &ZH : &EN;
	a.path = o.args[0];
	bool past_stdin = strcmp(a.path, "-") == 0;
	if (past_stdin && o.nargs > 1 && strcmp(o.args[1], "-") == 0) {
		diag_error2("audit: the past run and the input both '-'; expected at most one of them on "
			    "standard input", "audit：上次运行与输入均为“-”；标准输入至多给其中之一");
		return 2;
	}
	a.past = past_stdin ? stdin : fopen(a.path, "rb");
	if (past_stdin)
		a.path = "<stdin>";
	if (!a.past) {
		diag_error2("cannot open '%s': %s; expected the past run's VERDICTS.jsonl",
			    "无法打开“%s”：%s；应为上次运行的VERDICTS.jsonl", a.path, diag_strerror(errno));
		return 2;
	}
	if (past_run_file(&a) != 0) {
		fclose(a.past);
		return 2;
	}
	date_t as_of = o.as_of;
	struct strbuf recorded = STRBUF_INIT, decision = STRBUF_INIT;
	char decision_named[256];
	size_t as_of_line = 0;
	int rec_st = recorded_as_of(&a, !o.as_of_given, &as_of, &recorded, &decision, &as_of_line);
	if (rec_st != 0)
		say_no_as_of(&a, rec_st, recorded.buf, as_of_line);
	else if (past_decision(&o, &decision, decision_named, sizeof decision_named, a.path) != 0)
		rec_st = 2;
	strbuf_release(&decision);
	strbuf_release(&recorded);
	if (rec_st != 0) {
		fclose(a.past);
		free(a.buf);
		return 2;
	}
	char as_of_day[DATE_TEXT_MAX];
	date_format(as_of, as_of_day);
	a.as_of_text = as_of_day;
	a.as_of_given = o.as_of_given;
	a.lang = o.lang && strcmp(o.lang, "zh") == 0 ? "zh" : "en";
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs) {
		fclose(a.past);
		free(a.buf);
		return 2;
	}
	a.digest = rs->digest;
	strbuf_init(&a.recorded_digest);
	strbuf_init(&a.first_digest);
	strbuf_init(&a.s);
	strbuf_init(&a.t);
	a.f = cli_open_output(o.output);
	if (a.f) {
		struct batch_options bo = {
			.input = o.nargs > 1 ? o.args[1] : NULL, .encoding = o.encoding, .max_cell = o.max_cell,
			.decision = o.decision, .as_of = as_of, .lang = o.lang, .engine = o.engine,
		};
		struct batch_sink sink = { NULL, record, &a, NULL, NULL, NULL };
		struct batch_stats stats;
		st = batch_run(&rs, 1, &bo, &sink, &stats);
		if (st != 2) {
			finish(&a);
			/* "as of 2025-06-30 (2 of them as of the day each recorded)" */
			char days[DATE_TEXT_MAX + 128];
			if (a.own_day)
				snprintf(days, sizeof days, a.w->own_days, as_of_day, a.own_day);
			else
				snprintf(days, sizeof days, "%s", as_of_day);
			fprintf(a.f, a.w->summary, a.records, a.records == 1 ? "" : "s", days, a.differ,
				a.differ == 1 ? "" : "s",
				a.differ == 1 ? "s" : "");
			if (a.unmatched)
				fprintf(a.f, a.w->not_matched, a.unmatched, a.unmatched == 1 ? "" : "s");
			if (a.damaged)
				fprintf(a.f, a.w->damaged, a.damaged, a.damaged == 1 ? "" : "s");
			if (a.unmatched || a.damaged)
				fputs(a.w->above, a.f);
			fputc('\n', a.f);
			if (a.mixed)
				fprintf(a.f, a.w->mixed_summary, a.digest, rs->dir);
			else if (a.digest_differs)
				fprintf(a.f, a.w->digest_differs, a.recorded_digest.buf, a.digest, rs->dir);
			else if (a.no_digest)
				fprintf(a.f, a.w->digest_missing, a.path, a.no_digest, a.no_digest == 1 ? "" : "s",
					a.digest);
			else if (!a.with_digest)
				fprintf(a.f, a.w->digest_unchecked, a.digest);
			else
				fprintf(a.f, a.w->digest_same, a.digest);
		}
		if (st == 2)
			cli_abandon_output(a.f);   /* -o FILE keeps what it held */
		else if (cli_close_output(a.f, o.output))
			st = 2;
	} else {
		st = 2;
	}
	fclose(a.past);
	free(a.buf);
	strbuf_release(&a.recorded_digest);
	strbuf_release(&a.first_digest);
	strbuf_release(&a.s);
	strbuf_release(&a.t);
	ruleset_free(rs);
	if (st == 2)
		return 2;
	return (a.differ || a.unmatched || a.damaged || a.mixed) ? 1 : 0;
}
