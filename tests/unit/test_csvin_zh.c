/* csvin_zh: every problem the CSV reader writes, made by reading real
 * input (so a change of the English shows here), comes out in Chinese
 * with its numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "csvin.h"
#include "csvin_zh.h"
#include "strbuf.h"

struct first_problem {
	char text[512];
};

static int keep_problem(void *ctx, const struct csvin_record *rec)
{
	struct first_problem *fp = ctx;
	if (rec->problem && !fp->text[0])
		snprintf(fp->text, sizeof fp->text, "%s", rec->problem);
	return 0;
}

/* Read in (from a file, which the reader can read again), translate the
 * first problem, and compare with want. */
static void check_n(const char *in, size_t len, const char *encoding, size_t max_cell,
		    size_t max_fields, const char *want)
{
	struct csvin_options o = { .encoding = encoding, .max_cell = max_cell, .max_fields = max_fields };
	struct first_problem fp = { "" };
	struct strbuf zh = STRBUF_INIT;
	char err[256] = "";
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(fwrite(in, 1, len, f), len);
	rewind(f);
	assert_int_equal(csvin_read(f, "t.csv", &o, keep_problem, &fp, err, sizeof err), 0);
	fclose(f);
	assert_true(fp.text[0] != '\0');
	csvin_problem_zh(fp.text, &zh);
	if (strcmp(zh.buf, want) != 0)
		fail_msg("problem: %s\nChinese: %s\nexpected: %s", fp.text, zh.buf, want);
	strbuf_release(&zh);
}

static void check(const char *in, const char *encoding, size_t max_cell, const char *want)
{
	check_n(in, strlen(in), encoding, max_cell, 4, want);
}

static void test_limits(void **state)
{
	(void)state;
	check("a,b\n1,abcdefghijklmnopqrstuvwxyz\n", NULL, 16,
	      "第2个单元格超过单元格上限16字节；应更短（或用更大的 --max-cell）");
	check("a,b\n1,2,3,4,5\n", NULL, 0,
	      "该记录超过4个单元格；应不超过此数（文件不是CSV，或是一行逗号？）");
	/* 16 cells of 16 bytes, more than 16 * 16 with the commas counted out */
	char big[400];
	size_t n = (size_t)snprintf(big, sizeof big, "a\n");
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(big + n, sizeof big - n, "%s0123456789abcdef", i ? "," : "");
	big[n++] = '\n';
	check_n(big, n, NULL, 16, 100, "该记录超过256字节的上限（单元格上限的16倍）；应更小（或用更大的 --max-cell）");
}

static void test_nul_and_bytes(void **state)
{
	(void)state;
	check_n("a,b\n1,x\0y\n", 10, NULL, 0, 4, "第2个单元格含有NUL字节；应为文本（文件不是CSV？）");
	check("a,b\n1,\xC9\n", NULL, 0,
	      "第2个单元格不是有效的UTF-8（字节0xC9）；如文件由中文Windows上的Excel保存，"
	      "请用 --encoding gb18030");
	check("a,b\n1,\x81\x20\n", "gb18030", 0,
	      "第2个单元格含有无效的GB18030字节序列（0x81 0x20）；应为--encoding所说的GB18030文本");
	/* GBK's forms as GB18030's, the cell named (batch.c adds its column) */
	check("a,b\n1,\xFF\xFE\n", "gbk", 0, "第2个单元格含有无效的GBK字节序列（0xFF）；应为--encoding所说的GBK文本");
	check("a,b\nx,\x81\x30\x8A", "gbk", 0, "第2个单元格含有无效的GBK字节序列（0x81 0x30 0x8A）；应为--encoding所说的GBK文本");
}

static void test_quotes(void **state)
{
	(void)state;
	check("a,b\n\"ab\"c,x\n1,2\n", NULL, 0,
	      "第1个单元格有多余的引号：带引号的单元格中的引号须写成两个（\"\"）；"
	      "该记录读到第2行为止");
	check("a,b\n1,\"x\n2,y\n", NULL, 0,
	      "第2个单元格的引号（第2行开始）始终未闭合；该记录读到该行为止");
	check("a,b\n1,\"x", NULL, 0,
	      "第2个单元格的引号（第2行开始）始终未闭合（输入在其中结束）");
	check("a,b,c\n1,\"x,q\n2,y,w\n3,z\"\n", NULL, 0,
	      "第2个单元格的引号在第2行开始、在之后的行才闭合，使该记录有2个单元格而"
	      "表头有3列：按引号未闭合处理，该记录读到第2行为止");
}

static void test_unknown_stays(void **state)
{
	(void)state;
	struct strbuf zh = STRBUF_INIT;
	csvin_problem_zh("something else in cell 3", &zh);
	assert_string_equal(zh.buf, "something else in cell 3");
	strbuf_release(&zh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_nul_and_bytes),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_unknown_stays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
