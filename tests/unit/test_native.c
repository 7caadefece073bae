/*
 * test_native — the compiled evaluator against the Lua one on what it
 * cannot do itself: a month count of 1.5 (add_months of a number column,
 * tests/rules/months-fraction) is handed to Lua, which makes the record
 * ERROR naming the rule and the count; whole counts (6, and 2.0) stay
 * compiled and move the date.  Run from the top of the tree (make unit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "date.h"
#include "evaluator.h"
#include "record.h"
#include "ruleset.h"
#include "strbuf.h"

struct fixture {
	struct ruleset *rs;
	struct header_map hm;
	struct evaluator *ev;
	struct value vals[4];   /* id, start, months, years */
};

static int setup(void **state)
{
	static struct fixture f;
	struct sandbox_limits lim = { 64u << 20, 2000000 };
	char err[512];
	static const char *names[] = { "id", "start", "months", "years" };
	size_t lens[] = { 2, 5, 6, 5 };
	struct csvin_record hdr = { .row = 0, .line = 1, .nfields = 4, .fields = names, .lens = lens };
	struct strbuf e = STRBUF_INIT, w = STRBUF_INIT;

	memset(&f, 0, sizeof f);
	f.rs = ruleset_load("tests/rules/months-fraction", &lim, "en", err, sizeof err);
	if (!f.rs || f.rs->nerrors)
		fail_msg("cannot load tests/rules/months-fraction: %s", f.rs ? "problems" : err);
	if (header_map_build(&f.hm, &f.rs->decisions[0], &hdr, &e, &w) != 0)
		fail_msg("header: %s", e.buf ? e.buf : "?");
	f.ev = evaluator_new(f.rs, 0, &f.hm, err, sizeof err);
	if (!f.ev)
		fail_msg("evaluator_new: %s", err);
	evaluator_use_native(f.ev, true);
	strbuf_release(&e);
	strbuf_release(&w);
	f.vals[0] = (struct value){ .kind = V_STRING, .s = "B", .len = 1 };
	f.vals[1].kind = V_DATE;
	date_parse("2024-08-31", 10, &f.vals[1].u.d);
	f.vals[3] = (struct value){ .kind = V_INT, .u.i = 1 };
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	evaluator_free(f->ev);
	header_map_release(&f->hm);
	ruleset_free(f->rs);
	return 0;
}

/* The record with `months` as given, in lang. */
static void run(struct fixture *f, struct value months, const char *lang, struct eval_result *res)
{
	date_t as_of;

	date_parse("2025-06-30", 10, &as_of);
	f->vals[2] = months;
	evaluator_run(f->ev, f->vals, NULL, as_of, false, lang, res);
}

static void test_has_plan(void **state)
{
	struct fixture *f = *state;

	assert_true(evaluator_has_native(f->ev));
}

static void test_whole_months(void **state)
{
	struct fixture *f = *state;
	struct eval_result res;

	run(f, (struct value){ .kind = V_INT, .u.i = 6 }, "en", &res);
	assert_string_equal(res.verdict, "OK");
	/* 2.0 is a whole number: 2024-08-31 plus 2 months, before 2025 */
	run(f, (struct value){ .kind = V_NUMBER, .u.n = 2.0 }, "en", &res);
	assert_string_equal(res.verdict, "REJECTED");
	assert_string_equal(res.reason, "M1: deadline 2024-10-31 is before 2025-01-01");
}

static void test_fraction_is_error(void **state)
{
	struct fixture *f = *state;
	struct eval_result res;

	run(f, (struct value){ .kind = V_NUMBER, .u.n = 1.5 }, "en", &res);
	assert_string_equal(res.verdict, "ERROR");
	assert_non_null(res.error_rule);
	assert_string_equal(res.error_rule, "M1");
	assert_string_equal(res.reason, "rule M1 failed: rules.lua:18: add_months: n is 1.5 (from \"months\"); "
			    "expected a whole number of months");
	run(f, (struct value){ .kind = V_NUMBER, .u.n = -0.25 }, "zh", &res);
	assert_string_equal(res.verdict, "ERROR");
	assert_string_equal(res.reason, "规则M1运行出错：rules.lua:18: add_months：n为-0.25（来自“months”）；应为整数个月");
	/* and the next record is compiled again, unaffected */
	run(f, (struct value){ .kind = V_INT, .u.i = 6 }, "en", &res);
	assert_string_equal(res.verdict, "OK");
	assert_string_equal(res.reason, "all good");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_has_plan),
		cmocka_unit_test(test_whole_months),
		cmocka_unit_test(test_fraction_is_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
