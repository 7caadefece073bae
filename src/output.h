/*
 * output — writing verdicts: csv (the contract's header), jsonl (the same
 * fields plus the trace), table (aligned for a terminal).
 *
 * Streaming: one record in, one record out, nothing kept but the table's
 * column widths.  The output borrows everything it is given.
 * Relies on json.h, strbuf.h.
 */
#ifndef VERDICT_OUTPUT_H
#define VERDICT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "options.h"
#include "strbuf.h"

struct out_record {
	size_t row, line;
	const char *id;
	size_t id_len;
	const char *verdict;
	bool has_score;
	double score;
	const char *grade, *failed, *missing, *reason;
	const char *trace;      /* JSON members to append, or NULL */
	size_t trace_len;
	/* jsonl: the buffer trace is in, when the output may take its bytes
	 * (eval_result's trace_buf: swapped with one of the output's own,
	 * no copy); NULL: trace is copied */
	struct strbuf *trace_buf;
	/* jsonl, with no trace (INVALID, ERROR): members to append after the
	 * empty "rules" (the record's cells as read), or NULL */
	const char *cells;
	size_t cells_len;
};

/* jsonl records held to be written together (writev), each its head and
 * its trace in buffers of the output's own. */
#define OUTPUT_HELD 32
struct held_jsonl {
	struct strbuf head, trace;   /* zeroed until first used */
};

struct output {
	FILE *f;
	enum out_format format;
	bool bom;
	bool no_header;           /* csv: leave out the header line */
	bool scored;              /* jsonl: records carry "criteria" */
	const char *decision;
	const char *as_of;        /* YYYY-MM-DD */
	const char *digest;
	const char *ruleset;      /* name */
	const char *version;      /* rule set version */
	const char *limits_json;  /* jsonl: ,"limits":{...} of the limits given on the command line, or NULL */
	/* private */
	struct strbuf *line;
	size_t nbuffered;
	struct out_record *held;  /* table: first rows, to size the columns */
	char **held_text;
	int width[10];
	bool widths_fixed;
	struct strbuf *jsonl_decision, *jsonl_tail;   /* members quoted once */
	struct held_jsonl jheld[OUTPUT_HELD];
	size_t njheld, jheld_bytes;
	bool hold_jsonl;          /* hold them (a file or a pipe, not a terminal) */
	bool write_failed;        /* a write of held records failed */
	int write_errno;          /* ... and why (stdio does not know of it) */
	/* csv and jsonl: when set, each record's text is appended here
	 * instead of written to f (a --jobs worker's result: no stdio call
	 * a record; output_into sets it) */
	struct strbuf *into;
};

/* What output_record needs, without writing anything (a --jobs worker
 * may be forked before the output is opened). */
void output_prepare(struct output *out);
/* output_prepare, then the byte-order mark and header, when wanted. */
void output_begin(struct output *out);
void output_record(struct output *out, const struct out_record *r);
/* csv and jsonl records appended to sb from now on (what is held is
 * written to f first); NULL: to f again. */
void output_into(struct output *out, struct strbuf *sb);
/* Write the jsonl records held so far (before out->f is changed). */
void output_flush(struct output *out);
/* Flush, then output_release; returns 0, or -1 when a write failed (the
 * run has failed). */
int output_end(struct output *out);
/* Free what output_prepare and the writers hold, writing nothing: for an
 * output prepared but never begun (the input was refused first). */
void output_release(struct output *out);

/* Append s as one CSV field, quoted where RFC 4180 needs it. */
struct strbuf;
void output_csv_field(struct strbuf *sb, const char *s, size_t len);

/* Display width of UTF-8 text in a terminal (CJK counts two). */
size_t output_display_width(const char *s, size_t len);

/* Bytes for a terminal: a control character (C0 or DEL: tabs, escape
 * sequences from the input) becomes '?', one column like it; with
 * keep_lines, a line end stays one (a text of several lines). */
void output_add_visible(struct strbuf *sb, const char *s, size_t len, bool keep_lines);

#endif
