/*
 * evaluator — one decision of a loaded rule set, applied to typed records.
 *
 * Holds the Lua-side context of the decision (registry references to the
 * reused record tables and the evaluation function); per record it fills
 * the tables and makes one call.  Nothing is compiled per record.
 *
 * Relies on ruleset.h/sandbox.h (Lua) and record.h (values).  Strings in
 * an eval_result are borrowed: valid until the next evaluator_run.
 */
#ifndef VERDICT_EVALUATOR_H
#define VERDICT_EVALUATOR_H

#include <stdbool.h>
#include <stddef.h>
#include "record.h"
#include "ruleset.h"

struct strbuf;

struct eval_result {
	const char *verdict;
	bool has_score;
	double score;
	const char *grade;     /* NULL when none */
	const char *failed;    /* ';'-separated rule ids */
	const char *missing;   /* ';'-separated column names */
	const char *reason;
	const char *trace;     /* JSON members ",\"rules\":[...]..." or NULL */
	size_t trace_len;
	/* The buffer trace is in, when the evaluator's own (the compiled
	 * one's): the caller may take its bytes by swapping its contents with
	 * a strbuf of its own until the next record (trace then points
	 * there); NULL otherwise. */
	struct strbuf *trace_buf;
	const char *error_rule; /* for ERROR: the rule that failed, or NULL */
};

struct evaluator;

/* hm gives the header's extra columns, which rules may read by name. */
struct evaluator *evaluator_new(struct ruleset *rs, size_t decision, const struct header_map *hm,
				char *err, size_t errlen);
void evaluator_free(struct evaluator *ev);

/*
 * Evaluate one record whose declared columns are vals (d->ncols of them);
 * rec supplies the extra columns (may be NULL).  lang is "en" or "zh".
 */
void evaluator_run(struct evaluator *ev, const struct value *vals, const struct csvin_record *rec,
		   date_t as_of, bool want_trace, const char *lang, struct eval_result *out);

/*
 * Let evaluator_run use the decision's native plan (src/native.c) for
 * records whose trace is not wanted.  Off by default: explanations and
 * coverage read the Lua state of the record last run, which the native
 * evaluator does not fill.
 */
void evaluator_use_native(struct evaluator *ev, bool on);
/* Whether the decision has a native plan at all. */
bool evaluator_has_native(const struct evaluator *ev);
/* Why it has none ("the decision is scored", ...). */
const char *evaluator_native_why(const struct evaluator *ev);

/* What the explanation shows besides the evaluation state. */
struct explain_meta {
	size_t row, line;
	const char *id;
	size_t id_len;
	const char *verdict, *reason, *failed, *missing;
	const char *as_of;     /* YYYY-MM-DD */
	bool invalid;
};

/*
 * The explanation, for a person, of the record last given to
 * evaluator_run (or of an INVALID record, from meta alone).  Borrowed
 * until the next call; NULL with *len = 0 if it cannot be made.
 */
const char *evaluator_explain(struct evaluator *ev, const char *lang, const struct explain_meta *m,
			      size_t *len);

/* Count the outcome of each rule of the record last evaluated (for the
 * coverage of `verdict test`). */
void evaluator_note_coverage(struct evaluator *ev);

#endif
