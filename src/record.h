/*
 * record — from CSV cells to typed values (contract section 2), without
 * Lua: matching a header to a decision's columns, and reading each cell of
 * a record as its column's type.
 *
 * Relies on csvin.h (records), cell.h, date.h, ruleset.h (column
 * descriptions).  A header_map owns its arrays; values borrow the record's
 * field bytes and are valid only while that record is.
 */
#ifndef VERDICT_RECORD_H
#define VERDICT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include "csvin.h"
#include "date.h"
#include "ruleset.h"
#include "strbuf.h"

enum value_kind { V_MISSING, V_STRING, V_INT, V_NUMBER, V_BOOL, V_DATE, V_ENUM };

struct value {
	enum value_kind kind;
	union {
		long long i;
		double n;
		bool b;
		date_t d;
		size_t e;     /* index into the column's tokens */
	} u;
	const char *s;    /* the trimmed cell (borrowed) */
	size_t len;
};

struct header_map {
	size_t ncols;         /* the decision's declared columns */
	long *field_of_col;   /* field index of each column, or -1 if absent */
	size_t nfields;       /* fields in the header */
	long *col_of_field;   /* declared column of each field, or -1 (extra) */
	char **field_names;   /* trimmed header names */
	size_t **word_lens;   /* per column: byte lengths of an enum's tokens
				 and labels (token k at 2k, its label at
				 2k + 1), NULL for other types */
};

/* Number of the decision's non-optional columns absent from the header. */
size_t header_absent_count(const struct decision_def *d, const struct csvin_record *hdr);
/* The columns of d (optional ones too) that the header names. */
size_t header_named_count(const struct decision_def *d, const struct csvin_record *hdr);

/*
 * Match hdr to d's columns by name or Chinese alias (trimmed, ASCII case
 * folded).  Returns 0, or -1 with a message in err: every absent required
 * column listed, or a column given twice.  Duplicate extra names are
 * reported through warn (may be empty).  On failure hm owns nothing (it is
 * left empty: releasing it again is harmless).
 */
int header_map_build(struct header_map *hm, const struct decision_def *d,
		     const struct csvin_record *hdr, struct strbuf *err, struct strbuf *warn);
void header_map_release(struct header_map *hm);

/*
 * Read every declared column of rec into vals[0..d->ncols).  Returns the
 * number of problems; each is described in why_en and why_zh ("; " /
 * "；" separated): a cell of the wrong type, an empty required cell, a
 * ragged row.
 */
size_t record_read(const struct decision_def *d, const struct header_map *hm,
		   const struct csvin_record *rec, struct value *vals,
		   struct strbuf *why_en, struct strbuf *why_zh);

/* A cell as text for messages, at most about 60 bytes. */
void record_show_cell(struct strbuf *out, const char *s, size_t len);

/* The same for a cell shown on a terminal (an id in a warning): control
 * characters as '?'. */
void record_show_id(struct strbuf *out, const char *s, size_t len);

#endif
