/* csvin_zh — the CSV reader's problems in Chinese; see csvin_zh.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "csvin_zh.h"

/*
 * Each form: the English as csvin.c writes it, as a sscanf format with
 * a %zu for each number, up to where the forms part (what follows is not
 * compared: the reader's advice after a "; expected"), and the Chinese
 * with the same numbers in the same order.  A form fits when sscanf reads
 * the whole of its format (a %zn after it says how far it got); the first
 * that fits is taken, so a form that is another's beginning comes after it.
 */
struct form {
	const char *scan;     /* sscanf format of the English */
	int nums;             /* how many %zu it has */
	const char *zh;       /* printf format of the Chinese */
};

static const struct form forms[] = {
	{ "cell %zu exceeds the cell limit of %zu bytes", 2,
	  "第%zu个单元格超过单元格上限%zu字节；应更短（或用更大的 --max-cell）" },
	{ "record has more than %zu cells", 1,
	  "该记录超过%zu个单元格；应不超过此数（文件不是CSV，或是一行逗号？）" },
	{ "record exceeds the limit of %zu bytes", 1,
	  "该记录超过%zu字节的上限（单元格上限的16倍）；应更小（或用更大的 --max-cell）" },
	{ "NUL byte in cell %zu", 1,
	  "第%zu个单元格含有NUL字节；应为文本（文件不是CSV？）" },
	{ "invalid UTF-8 in cell %zu (byte 0x%zx)", 2,
	  "第%zu个单元格不是有效的UTF-8（字节0x%02zX）；如文件由中文Windows上的"
	  "Excel保存，请用 --encoding gb18030" },
	{ "stray quote in cell %zu: a quote inside a quoted "
	  "cell must be doubled (\"\"); the record is read as ending with line %zu", 2,
	  "第%zu个单元格有多余的引号：带引号的单元格中的引号须写成两个（\"\"）；"
	  "该记录读到第%zu行为止" },
	{ "unterminated quoted field in cell "
	  "%zu: the quote opened on line %zu is never closed; the record", 2,
	  "第%zu个单元格的引号（第%zu行开始）始终未闭合；该记录读到该行为止" },
	{ "unterminated quoted field in cell "
	  "%zu: the quote opened on line %zu is never closed", 2,
	  "第%zu个单元格的引号（第%zu行开始）始终未闭合（输入在其中结束）" },
	{ "quoted field in cell %zu opened on line %zu and "
	  "closed on a later line, leaving %zu cells where the header has %zu: the "
	  "quote is read as never closed, and the record as ending with line %zu", 5,
	  "第%zu个单元格的引号在第%zu行开始、在之后的行才闭合，使该记录有%zu个单元格而"
	  "表头有%zu列：按引号未闭合处理，该记录读到第%zu行为止" },
	{ "quoted field in cell %zu opened on line %zu and "
	  "closed on a later line, leaving %zu cell where the header has %zu: the "
	  "quote is read as never closed, and the record as ending with line %zu", 5,
	  "第%zu个单元格的引号在第%zu行开始、在之后的行才闭合，使该记录有%zu个单元格而"
	  "表头有%zu列：按引号未闭合处理，该记录读到第%zu行为止" },
};

/* The forms of a byte sequence invalid in the encoding --encoding named
 * (GB18030, or GBK: csvin.c's "invalid %s byte sequence in cell %zu (%s)")
 * carry the encoding's name and the bytes as text, not numbers. */
static bool encoding_form(const char *en, struct strbuf *out)
{
	static const char *const encodings[] = { "GB18030", "GBK" };
	char prefix[64];
	size_t cell;
	int used;
	const char *bytes, *close;

	for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++) {
		int n = snprintf(prefix, sizeof prefix, "invalid %s byte sequence in cell ", encodings[i]);
		if (strncmp(en, prefix, (size_t)n) != 0 || sscanf(en + n, "%zu (%n", &cell, &used) != 1 ||
		    (close = strchr(bytes = en + n + used, ')')) == NULL)
			continue;
		strbuf_addf(out, "第%zu个单元格含有无效的%s字节序列（%.*s）；应为--encoding所说的%s文本", cell,
			    encodings[i], (int)(close - bytes), bytes, encodings[i]);
		return true;
	}
	return false;
}

void csvin_problem_zh(const char *en, struct strbuf *out)
{
	size_t v[5], used;
	char scan[400];

	if (encoding_form(en, out))
		return;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const struct form *f = &forms[i];
		size_t *at[6] = { &v[0], &v[1], &v[2], &v[3], &v[4], NULL };
		at[f->nums] = &used;
		used = 0;
		snprintf(scan, sizeof scan, "%s%%zn", f->scan);
		if (sscanf(en, scan, at[0], at[1], at[2], at[3], at[4], at[5]) == f->nums && used > 0) {
			strbuf_addf(out, f->zh, v[0], v[1], v[2], v[3], v[4]);
			return;
		}
	}
	strbuf_addstr(out, en);
}
