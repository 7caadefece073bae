/*
 * batch — the main loop every evaluating command shares: read the CSV
 * input record by record, match its header to a decision, type each
 * record, evaluate it under one or two rule sets, hand the result to a
 * sink.  Input order, one result per input record, INVALID where a record
 * cannot be read.
 *
 * Relies on csvin, record, evaluator, idset, diag.  Results are borrowed:
 * valid during the sink's callback only.
 */
#ifndef VERDICT_BATCH_H
#define VERDICT_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include "evaluator.h"
#include "options.h"
#include "record.h"
#include "ruleset.h"
#include "strbuf.h"

struct early_check;

struct batch_options {
	const char *input;        /* path; NULL or "-" reads stdin */
	const char *encoding;     /* NULL = UTF-8 */
	size_t max_cell;
	const char *decision;     /* NULL: the one decision the header fits */
	date_t as_of;
	bool want_trace;
	enum engine engine;       /* ENGINE_AUTO (0): the native plan where there is one */
	const char *lang;         /* "en" / "zh" */
	const char *header_from;  /* header taken from this file */
	long row_offset;          /* rows numbered from row_offset + 1 */
	bool progress;            /* progress line on a terminal */
	const char *as_of_column; /* a column whose date, when given, replaces as_of */
	int jobs;                 /* worker processes (0 = one per core, 1 = none) */
	struct early_check *early_utf8; /* the input's UTF-8 check begun early, or NULL */
};

struct batch_result {
	size_t row, line;
	const char *id;
	size_t id_len;
	bool invalid;             /* could not be read: ev[*] say INVALID */
	size_t nsets;
	struct eval_result ev[2]; /* one per rule set */
	struct evaluator *evaluator[2];
	const struct decision_def *d;
	const struct value *vals;
	const struct csvin_record *rec;   /* the raw record (extra columns) */
	const struct header_map *hm;      /* its header */
};

struct batch_sink {
	/* Called once the header is matched, before any record. */
	int (*begin)(void *ctx, const struct decision_def *d);
	/* Called per record; non-zero stops the run. */
	int (*record)(void *ctx, const struct batch_result *r);
	void *ctx;
	/* Optional, for --jobs (a sink without them is always run in one
	 * process): the FILE records are written to (what the sink holds
	 * written first); and from now on, each record's text appended to
	 * into instead (a worker's result), or, with NULL, to the FILE again. */
	FILE *(*output)(void *ctx);
	void (*output_into)(void *ctx, struct strbuf *into);
	/* Optional: called before begin, as soon as the decision is known,
	 * with no side effect outside the process (--jobs workers may be
	 * forked between the two, before the input's UTF-8 check has
	 * answered; begin, which may create the output file, waits for it). */
	void (*prepare)(void *ctx, const struct decision_def *d);
};

#define BATCH_MAX_TOKENS 32

struct batch_stats {
	size_t records, invalid, errors;
	size_t ntokens;
	char tokens[BATCH_MAX_TOKENS][24];
	size_t counts[BATCH_MAX_TOKENS];
	double seconds;
	bool forked;   /* worker processes were started (--jobs) */
};

/*
 * Run.  rs[0..nsets) are the rule sets (1 or 2; the first one's decision
 * list chooses the decision).  Returns 0 when the records were read (even
 * if some were INVALID), 2 when nothing could be evaluated (the reason is
 * printed), or the sink's non-zero value.
 */
int batch_run(struct ruleset **rs, size_t nsets, const struct batch_options *o,
	      const struct batch_sink *sink, struct batch_stats *st);

/* The size a raw chunk of the input aims at with --jobs (smaller for a
 * trace, whose output is some forty times the input; VERDICT_CHUNK_BYTES
 * sets it, for tests). */
size_t batch_chunk_bytes(bool want_trace);

/* "62 records: 40 ELIGIBLE, 12 REJECTED ... in 0.01 s" on stderr. */
void batch_print_summary(const struct batch_stats *st);

/* Choose the decision for a header: -1 with a message when none or
 * several fit. */
int batch_choose_decision(struct ruleset *rs, const char *wanted, const struct csvin_record *hdr,
			  const char *input_name);

#endif
