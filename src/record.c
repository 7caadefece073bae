/* record — matching headers and typing cells; see record.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cell.h"
#include "record.h"
#include "diag.h"
#include "nearname.h"

/* s[0..len) with its full-width forms folded (cell_fold_width) into buf
 * and trimmed again: its length, *t set; 0 when nothing was folded. */
static size_t fold_and_trim(const char *s, size_t len, char *buf, size_t cap, const char **t)
{
	size_t n = cell_fold_width(s, len, buf, cap);
	*t = buf;
	return n ? cell_trim(t, n) : 0;
}

/* Case-folded equality of a trimmed header name and a column name; a
 * name typed with full-width forms (成员数（人）) matches too. */
static bool name_matches(const char *s, size_t len, const char *name)
{
	if (!name)
		return false;
	if (cell_equal_fold(s, len, name))
		return true;
	char folded[256];
	const char *t;
	size_t n = fold_and_trim(s, len, folded, sizeof folded, &t);
	return n > 0 && cell_equal_fold(t, n, name);
}

static long find_field(const struct column_def *c, const struct csvin_record *hdr, long skip)
{
	for (size_t f = 0; f < hdr->nfields; f++) {
		if ((long)f == skip)
			continue;
		const char *s = hdr->fields[f];
		size_t len = cell_trim(&s, hdr->lens[f]);
		if (name_matches(s, len, c->name) || name_matches(s, len, c->zh))
			return (long)f;
	}
	return -1;
}

/* A header cell in a message for the terminal: its first 60 bytes, a
 * control character (an escape, a line end, U+0080..U+009F) as '?'. */
static void show_visible(struct strbuf *out, const char *s)
{
	struct strbuf cut = STRBUF_INIT;
	record_show_cell(&cut, s, strlen(s));
	for (size_t i = 0; i < cut.len; i++) {
		unsigned char c = (unsigned char)cut.buf[i];
		if (c == 0xC2 && i + 1 < cut.len && (unsigned char)cut.buf[i + 1] <= 0x9F) {
			strbuf_addch(out, '?');
			i++;
		} else {
			strbuf_addch(out, c < 0x20 || c == 0x7F ? '?' : (char)c);
		}
	}
	strbuf_release(&cut);
}

/* The header cell no column took, and none offered yet (offered[f]), that
 * is nearest to column c's name or alias, within the edits nearname
 * allows (a misspelt membrs, 成员书); or -1. */
static long near_field(const struct column_def *c, const struct header_map *hm, const bool *offered)
{
	long best = -1;
	size_t bd = SIZE_MAX;
	for (size_t f = 0; f < hm->nfields; f++) {
		const char *s = hm->field_names[f];
		if (hm->col_of_field[f] >= 0 || offered[f] || !*s)
			continue;
		char folded[256];
		const char *t;
		size_t len = fold_and_trim(s, strlen(s), folded, sizeof folded, &t);
		if (!len) {
			t = s;
			len = strlen(s);
		}
		const char *names[2] = { c->name, c->zh };
		for (int k = 0; k < 2; k++) {
			if (!names[k])
				continue;
			size_t nl = strlen(names[k]);
			size_t d = nearname_distance(t, len, names[k], nl);
			if (d <= nearname_allowed(names[k], nl) && d < bd) {
				bd = d;
				best = (long)f;
			}
		}
	}
	return best;
}

size_t header_absent_count(const struct decision_def *d, const struct csvin_record *hdr)
{
	size_t n = 0;
	for (size_t i = 0; i < d->ncols; i++)
		if (!d->cols[i].optional && find_field(&d->cols[i], hdr, -1) < 0)
			n++;
	return n;
}

size_t header_named_count(const struct decision_def *d, const struct csvin_record *hdr)
{
	size_t n = 0;
	for (size_t i = 0; i < d->ncols; i++)
		if (find_field(&d->cols[i], hdr, -1) >= 0)
			n++;
	return n;
}

int header_map_build(struct header_map *hm, const struct decision_def *d,
		     const struct csvin_record *hdr, struct strbuf *err, struct strbuf *warn)
{
	size_t absent = 0;
	int rc = 0;
	bool zh = diag_zh();   /* the messages in the language of --lang */
	/* the absent columns and the columns named twice, apart: the one
	 * message says both, neither spliced into the other's list */
	struct strbuf list = STRBUF_INIT, twice = STRBUF_INIT;
	hm->ncols = d->ncols;
	hm->nfields = hdr->nfields;
	hm->field_of_col = calloc(d->ncols ? d->ncols : 1, sizeof *hm->field_of_col);
	hm->col_of_field = calloc(hdr->nfields ? hdr->nfields : 1, sizeof *hm->col_of_field);
	hm->field_names = calloc(hdr->nfields ? hdr->nfields : 1, sizeof *hm->field_names);
	hm->word_lens = calloc(d->ncols ? d->ncols : 1, sizeof *hm->word_lens);
	if (!hm->field_of_col || !hm->col_of_field || !hm->field_names || !hm->word_lens)
		abort();
	for (size_t i = 0; i < d->ncols; i++) {
		const struct column_def *c = &d->cols[i];
		if (c->base != COL_ENUM)
			continue;
		hm->word_lens[i] = malloc((c->ntokens ? 2 * c->ntokens : 1) * sizeof **hm->word_lens);
		if (!hm->word_lens[i])
			abort();
		for (size_t k = 0; k < c->ntokens; k++) {
			hm->word_lens[i][2 * k] = strlen(c->tokens[k]);
			hm->word_lens[i][2 * k + 1] = strlen(c->labels[k]);
		}
	}
	for (size_t f = 0; f < hdr->nfields; f++) {
		const char *s = hdr->fields[f];
		size_t len = cell_trim(&s, hdr->lens[f]);
		hm->col_of_field[f] = -1;
		hm->field_names[f] = strndup(s, len);
	}
	for (size_t i = 0; i < d->ncols; i++) {
		const struct column_def *c = &d->cols[i];
		long f = find_field(c, hdr, -1);
		hm->field_of_col[i] = f;
		if (f < 0) {
			if (!c->optional)
				absent++;
			continue;
		}
		for (long g = f + 1; g < (long)hdr->nfields; g++) {
			const char *s = hdr->fields[g];
			size_t len = cell_trim(&s, hdr->lens[g]);
			if (name_matches(s, len, c->name) || name_matches(s, len, c->zh)) {
				/* each place as the header writes it: an alias (组织形式
				 * for org_form) is searched for as written */
				strbuf_addf(&twice, zh ? "%s列“%s”在表头中出现两次（第%ld列“%s”和第%ld列“%s”）；应只出现一次"
					    : "%scolumn '%s' appears twice in the header (column %ld '%s' and column %ld '%s'); "
					    "expected it once", twice.len ? (zh ? "；" : "; ") : "", c->name,
					    f + 1, hm->field_names[f], g + 1, hm->field_names[g]);
				rc = -2;
				break;
			}
		}
		hm->col_of_field[f] = (long)i;
	}
	/* The absent columns, each with the header cell that is most likely
	 * it, misspelt, where one is near (once every column has taken its
	 * own cells). */
	bool *offered = calloc(hm->nfields ? hm->nfields : 1, sizeof *offered);
	if (!offered)
		abort();
	for (size_t i = 0, k = 0; i < d->ncols && absent; i++) {
		const struct column_def *c = &d->cols[i];
		if (hm->field_of_col[i] >= 0 || c->optional)
			continue;
		strbuf_addf(&list, zh ? "%s“%s”（%s" : "%s'%s' (%s", k++ ? (zh ? "、" : ", ") : "", c->name, c->zh);
		long f = near_field(c, hm, offered);
		if (f >= 0) {
			offered[f] = true;
			strbuf_addf(&list, zh ? "；表头第%ld列为“" : "; the header's column %ld is '", f + 1);
			show_visible(&list, hm->field_names[f]);
			strbuf_addstr(&list, zh ? "”，是否即此列？" : "': is it this one?");
		}
		strbuf_addstr(&list, zh ? "）" : ")");
	}
	free(offered);
	if (absent) {
		strbuf_reset(err);
		if (zh)
			strbuf_addf(err, "表头缺少必需的列：%s", list.buf);
		else
			strbuf_addf(err, "%s %s absent from the header: %s",
				    absent == 1 ? "required column" : "required columns",
				    absent == 1 ? "is" : "are", list.buf);
		if (twice.len)
			strbuf_addf(err, zh ? "；另外，%s" : "; also, %s", twice.buf);
		strbuf_release(&list);
		strbuf_release(&twice);
		header_map_release(hm);
		return -1;
	}
	if (twice.len) {
		strbuf_reset(err);
		strbuf_add(err, twice.buf, twice.len);
	}
	strbuf_release(&list);
	strbuf_release(&twice);
	/* Extra columns named twice: only the first is seen by rules.  Names
	 * match whatever their case (contract 2), extra ones too: FOO is foo
	 * named again.  Each repeat is named once, against the first. */
	for (size_t g = 0; g < hdr->nfields && warn; g++) {
		if (hm->col_of_field[g] >= 0 || !hm->field_names[g][0])
			continue;
		for (size_t f = 0; f < g; f++) {
			if (hm->col_of_field[f] < 0 && strcasecmp(hm->field_names[f], hm->field_names[g]) == 0) {
				/* (an extra column's name may hold anything) */
				struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
				show_visible(&a, hm->field_names[f]);
				show_visible(&b, hm->field_names[g]);
				strbuf_addf(warn, zh ? "%s额外的列“%s”在表头中出现两次（第%zu列“%s”和第%zu列“%s”）；规则使用第一个"
					    : "%sextra column '%s' appears twice in the header (column %zu '%s' and column %zu '%s'); "
					    "rules see the first", warn->len ? "\n" : "", a.buf, f + 1, a.buf, g + 1, b.buf);
				strbuf_release(&a);
				strbuf_release(&b);
				break;
			}
		}
	}
	if (rc != 0)
		header_map_release(hm);
	return rc;
}

void header_map_release(struct header_map *hm)
{
	for (size_t f = 0; f < hm->nfields; f++)
		free(hm->field_names[f]);
	free(hm->field_names);
	for (size_t i = 0; hm->word_lens && i < hm->ncols; i++)
		free(hm->word_lens[i]);
	free(hm->word_lens);
	free(hm->field_of_col);
	free(hm->col_of_field);
	memset(hm, 0, sizeof *hm);
}

void record_show_cell(struct strbuf *out, const char *s, size_t len)
{
	size_t n = len;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;   /* cut on a character boundary */
	}
	strbuf_add(out, s, n);
	if (n < len)
		strbuf_addstr(out, "...");
}

void record_show_id(struct strbuf *out, const char *s, size_t len)
{
	size_t from = out->len;
	record_show_cell(out, s, len);
	for (size_t i = from; i < out->len; i++)
		if ((unsigned char)out->buf[i] < 0x20 || out->buf[i] == 0x7f)
			out->buf[i] = '?';
}

/* What a column's type accepts, in words. */
/* The bounds a column declares (min, max) beyond those its type's words
 * already say (0 or more for count and money, 0 to 1 for a ratio). */
static void declared_bounds(struct strbuf *en, struct strbuf *zh, const struct column_def *c)
{
	bool from_zero = c->type && (strcmp(c->type, "count") == 0 || strcmp(c->type, "money") == 0 ||
				     strcmp(c->type, "ratio") == 0);
	bool to_one = c->type && strcmp(c->type, "ratio") == 0;
	bool lo = c->has_min && !(from_zero && c->min == 0), hi = c->has_max && !(to_one && c->max == 1);
	if (lo && hi) {
		strbuf_addf(en, ", from %.15g to %.15g", c->min, c->max);
		strbuf_addf(zh, "，%.15g至%.15g", c->min, c->max);
	} else if (lo) {
		strbuf_addf(en, ", %.15g or more", c->min);
		strbuf_addf(zh, "，不小于%.15g", c->min);
	} else if (hi) {
		strbuf_addf(en, ", at most %.15g", c->max);
		strbuf_addf(zh, "，不大于%.15g", c->max);
	}
}

static void expected(struct strbuf *en, struct strbuf *zh, const struct column_def *c)
{
	static const struct { const char *type, *en, *zh; } words[] = {
		{ "int", "a whole number", "整数" },
		{ "count", "a whole number, 0 or more", "非负整数" },
		{ "number", "a decimal number", "数字" },
		{ "money", "an amount in 万元, 0 or more", "以万元计的非负金额" },
		{ "ratio", "a number from 0 to 1", "0至1之间的数" },
		{ "bool", "yes or no (true/false, yes/no, y/n, 1/0, 是/否)", "是或否（true/false、yes/no、y/n、1/0、是/否）" },
		{ "date", "a date such as 2024-03-15, 2024/3/15, 2024.3.15 or 2024年3月15日",
		  "日期，如2024-03-15、2024/3/15、2024.3.15或2024年3月15日" },
	};
	if (c->base == COL_ENUM) {
		strbuf_addstr(en, "one of ");
		strbuf_addstr(zh, "以下之一：");
		for (size_t k = 0; k < c->ntokens; k++) {
			strbuf_addf(en, "%s%s (%s)", k ? ", " : "", c->tokens[k], c->labels[k]);
			strbuf_addf(zh, "%s%s（%s）", k ? "、" : "", c->labels[k], c->tokens[k]);
		}
		return;
	}
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		if (c->type && strcmp(c->type, words[k].type) == 0) {
			strbuf_addstr(en, words[k].en);
			strbuf_addstr(zh, words[k].zh);
			declared_bounds(en, zh, c);
			return;
		}
	}
	strbuf_addstr(en, "text");
	strbuf_addstr(zh, "文本");
}

/* "column 'c': 'cell' what; expected ..." in both languages; a hint
 * (date_hint) says what is expected itself. */
static void say_problem(struct strbuf *en, struct strbuf *zh, const struct column_def *c, const char *s,
			size_t len, const char *what_en, const char *what_zh, bool hint)
{
	strbuf_addf(en, "%scolumn '%s': '", en->len ? "; " : "", c->name);
	record_show_cell(en, s, len);
	strbuf_addf(en, hint ? "' %s" : "' %s; expected ", what_en);
	strbuf_addf(zh, "%s列“%s”：“", zh->len ? "；" : "", c->zh);
	record_show_cell(zh, s, len);
	strbuf_addf(zh, hint ? "”%s" : "”%s，应为", what_zh);
	if (!hint)
		expected(en, zh, c);
}

static void problem(struct strbuf *en, struct strbuf *zh, const struct column_def *c,
		    const char *s, size_t len, const char *what_en, const char *what_zh)
{
	say_problem(en, zh, c, s, len, what_en, what_zh, false);
}

static bool in_range(const struct column_def *c, double x)
{
	return !(c->has_min && x < c->min) && !(c->has_max && x > c->max);
}

/* Whether s[0..len) is word (of length n), ASCII case folded. */
static bool is_word(const char *s, size_t len, const char *word, size_t n)
{
	/* Most cells are written as the word is: memcmp settles those. */
	return n == len && (memcmp(s, word, len) == 0 || cell_equal_fold(s, len, word));
}

/* Read one trimmed, non-empty cell as c's type (an enum's word lengths in
 * lens, see struct header_map). */
static inline __attribute__((always_inline)) bool read_cell(const struct column_def *c, const size_t *lens,
							     const char *s, size_t len, struct value *v,
							     bool *out_of_range)
{
	*out_of_range = false;
	switch (c->base) {
	case COL_STRING:
		v->kind = V_STRING;
		return true;
	case COL_INT:
		v->kind = V_INT;
		if (!cell_parse_int(s, len, &v->u.i))
			return false;
		*out_of_range = !in_range(c, (double)v->u.i);
		return !*out_of_range;
	case COL_NUMBER:
		v->kind = V_NUMBER;
		if (!cell_parse_number(s, len, &v->u.n))
			return false;
		*out_of_range = !in_range(c, v->u.n);
		return !*out_of_range;
	case COL_BOOL:
		v->kind = V_BOOL;
		return cell_parse_bool(s, len, &v->u.b);
	case COL_DATE:
		v->kind = V_DATE;
		return date_parse(s, len, &v->u.d);
	case COL_ENUM:
		v->kind = V_ENUM;
		for (size_t k = 0; k < c->ntokens; k++) {
			if (is_word(s, len, c->tokens[k], lens[2 * k]) ||
			    is_word(s, len, c->labels[k], lens[2 * k + 1])) {
				v->u.e = k;
				return true;
			}
		}
		return false;
	}
	return false;
}

/* A cell typed with full-width forms (＋, １２, ．), read again as the
 * ASCII they stand for; only when it cannot be read as it is, so the
 * usual cell costs nothing (out of line: read_cell stays inlined in the
 * loop of record_read, which it was not with a second call there). */
static __attribute__((noinline, cold)) bool read_folded(const struct column_def *c, const size_t *lens,
							 const char *s, size_t len, struct value *v,
							 bool *out_of_range)
{
	char folded[256];
	const char *t;
	size_t n = fold_and_trim(s, len, folded, sizeof folded, &t);
	return n > 0 && read_cell(c, lens, t, n, v, out_of_range);
}

/* A whole number too long to hold (more than 18 digits, past 64 bits):
 * not a cell that "cannot be read" as a whole number, which it is.  Its
 * sign tells too large from too small. */
static bool too_many_digits(const char *s, size_t len)
{
	size_t i = len > 0 && (s[0] == '+' || s[0] == '-');
	if (len - i <= 18)
		return false;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Why a date cell of len bytes cannot be read, where a likely cause shows:
 * a time of day after a readable date (Excel's "2024/3/15 12:30"; its
 * midnight is read as the date), or a whole number that is Excel's serial
 * number for a day (a date column formatted as a number).  NULL else. */
static __attribute__((cold)) const char *date_hint(const char *s, size_t len, bool zh)
{
	/* a date, a space or ISO 8601's T, then digits and a colon */
	const char *sp = memchr(s, ' ', len);
	if (!sp)
		sp = memchr(s, 'T', len);
	date_t d;
	if (sp && sp > s && (size_t)(sp - s) + 3 < len && sp[1] >= '0' && sp[1] <= '9' &&
	    memchr(sp, ':', len - (size_t)(sp - s)) && date_parse(s, (size_t)(sp - s), &d))
		return zh ? "含有时刻；应只填日期（Excel写出的午夜0:00按日期读取）"
			  : "has a time of day; expected a date alone (Excel's midnight, 0:00, is read as the date)";
	bool digits = len == 5 && s[0] != '0';   /* 10000..99999: 1927-05-18 to 2173-10-13 */
	for (size_t i = 0; i < len && digits; i++)
		digits = s[i] >= '0' && s[i] <= '9';
	if (digits)
		return zh ? "像是Excel的日期序列号（该列被设成了数字格式）；应为日期，例如2024-03-15：请在Excel中将该列设为日期格式后再保存"
			  : "looks like Excel's serial number of a day (the column formatted as a number); expected a date "
			    "such as 2024-03-15: in Excel, format the column as a date before saving";
	return NULL;
}

size_t record_read(const struct decision_def *d, const struct header_map *hm,
		   const struct csvin_record *rec, struct value *vals,
		   struct strbuf *why_en, struct strbuf *why_zh)
{
	size_t problems = 0;
	if (rec->nfields != hm->nfields) {
		strbuf_addf(why_en, "%srecord has %zu cell%s; the header has %zu", why_en->len ? "; " : "",
			    rec->nfields, rec->nfields == 1 ? "" : "s", hm->nfields);
		strbuf_addf(why_zh, "%s本行有%zu个单元格，表头有%zu列", why_zh->len ? "；" : "",
			    rec->nfields, hm->nfields);
		problems++;
	}
	for (size_t i = 0; i < d->ncols; i++) {
		const struct column_def *c = &d->cols[i];
		struct value *v = &vals[i];
		long f = hm->field_of_col[i];
		v->kind = V_MISSING;
		v->s = "";
		v->len = 0;
		if (f < 0 || (size_t)f >= rec->nfields) {
			if (c->required && f >= 0) {
				strbuf_addf(why_en, "%scolumn '%s' is empty; a value is required", why_en->len ? "; " : "", c->name);
				strbuf_addf(why_zh, "%s列“%s”为空，须填写", why_zh->len ? "；" : "", c->zh);
				problems++;
			}
			continue;
		}
		const char *s = rec->fields[f];
		size_t len = cell_trim(&s, rec->lens[f]);
		if (len == 0) {
			if (c->required) {
				strbuf_addf(why_en, "%scolumn '%s' is empty; a value is required", why_en->len ? "; " : "", c->name);
				strbuf_addf(why_zh, "%s列“%s”为空，须填写", why_zh->len ? "；" : "", c->zh);
				problems++;
			}
			continue;
		}
		v->s = s;
		v->len = len;
		bool out_of_range;
		const char *hint;
		bool ok = read_cell(c, hm->word_lens[i], s, len, v, &out_of_range);
		if (!ok && !out_of_range)
			ok = read_folded(c, hm->word_lens[i], s, len, v, &out_of_range);
		if (!ok) {
			if (out_of_range)
				problem(why_en, why_zh, c, s, len, "is out of range", "超出范围");
			else if (c->base == COL_INT && too_many_digits(s, len) && s[0] != '-')
				problem(why_en, why_zh, c, s, len,
					"is too large to read (whole numbers up to 9223372036854775807 are read)",
					"数值过大，无法读取（可读取的整数至多为9223372036854775807）");
			else if (c->base == COL_INT && too_many_digits(s, len))
				problem(why_en, why_zh, c, s, len,
					"is too small to read (whole numbers from -9223372036854775808 are read)",
					"数值过小，无法读取（可读取的整数至少为-9223372036854775808）");
			else if (c->base == COL_DATE && (hint = date_hint(s, len, false)) != NULL)
				say_problem(why_en, why_zh, c, s, len, hint, date_hint(s, len, true), true);
			else if (c->base == COL_DATE && len >= 8)
				problem(why_en, why_zh, c, s, len, "is not a valid date (no such day, or an unknown form)",
					"不是有效日期（无此日或格式不符）");
			else
				problem(why_en, why_zh, c, s, len, "cannot be read", "无法识别");
			v->kind = V_MISSING;
			problems++;
		}
	}
	return problems;
}
