/*
 * fuzz_rules — libFuzzer harness for loading rule sets.
 *
 * The input is written as the one rule file of a rule set directory (a
 * temporary directory made once per process) and loaded with
 * ruleset_load, under small limits so that a loop or a bomb in the input
 * costs little.  When the rule set loads and declares a decision, the
 * first decision is also evaluated on two records -- every cell missing,
 * then every cell filled with a value of its type -- with the trace, as
 * `verdict check --format jsonl` would.  Everything is freed, so the leak
 * checker sees what a load leaves behind.
 *
 *   make fuzz
 *   fuzz/out/fuzz_rules -dict=fuzz/rules.dict fuzz/out/corpus-rules
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "evaluator.h"
#include "record.h"
#include "ruleset.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/verdict-fuzz-rules.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/rules.lua", dir);
}

/* A value of column c's type (the text is what a cell would hold). */
static void sample(const struct column_def *c, struct value *v)
{
	memset(v, 0, sizeof *v);
	v->s = "1";
	v->len = 1;
	switch (c->base) {
	case COL_STRING: v->kind = V_STRING; break;
	case COL_INT: v->kind = V_INT; v->u.i = 1; break;
	case COL_NUMBER: v->kind = V_NUMBER; v->u.n = 0.5; break;
	case COL_BOOL: v->kind = V_BOOL; v->u.b = true; break;
	case COL_DATE: v->kind = V_DATE; date_parse("2024-03-15", 10, &v->u.d); break;
	case COL_ENUM:
		if (c->ntokens == 0)
			return;   /* stays V_MISSING */
		v->kind = V_ENUM;
		v->u.e = 0;
		break;
	}
}

/* Evaluate decision 0 on an all-missing and an all-filled record. */
static void evaluate(struct ruleset *rs)
{
	const struct decision_def *d = &rs->decisions[0];
	const char **names = calloc(d->ncols + 1, sizeof *names);
	size_t *lens = calloc(d->ncols + 1, sizeof *lens);
	struct value *vals = calloc(d->ncols + 1, sizeof *vals);
	if (!names || !lens || !vals)
		abort();
	for (size_t i = 0; i < d->ncols; i++) {
		names[i] = d->cols[i].name ? d->cols[i].name : "";
		lens[i] = strlen(names[i]);
	}
	struct csvin_record hdr = { .row = 0, .line = 1, .nfields = d->ncols, .fields = names, .lens = lens };
	struct header_map hm;
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	if (d->ncols > 0 && header_map_build(&hm, d, &hdr, &err, &warn) == 0) {
		char msg[512];
		struct evaluator *ev = evaluator_new(rs, 0, &hm, msg, sizeof msg);
		if (ev) {
			struct eval_result res;
			date_t as_of;
			date_parse("2025-06-30", 10, &as_of);
			evaluator_run(ev, vals, NULL, as_of, true, "en", &res);
			for (size_t i = 0; i < d->ncols; i++)
				sample(&d->cols[i], &vals[i]);
			evaluator_run(ev, vals, NULL, as_of, true, "zh", &res);
			evaluator_free(ev);
		}
		header_map_release(&hm);
	} else if (d->ncols > 0) {
		header_map_release(&hm);
	}
	strbuf_release(&err);
	strbuf_release(&warn);
	free(names);
	free(lens);
	free(vals);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		setup();
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	struct sandbox_limits lim = { 16u << 20, 20000 };
	char err[512];
	struct ruleset *rs = ruleset_load(dir, &lim, "en", err, sizeof err);
	if (!rs)
		abort();   /* only a set-up failure returns NULL */
	if (rs->nerrors == 0 && rs->ndecisions > 0)
		evaluate(rs);
	ruleset_free(rs);
	return 0;
}
