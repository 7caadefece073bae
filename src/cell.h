/*
 * cell — reading one CSV cell as a typed value (contract section 2).
 *
 * Cells arrive as UTF-8 bytes with a length (not NUL-terminated, borrowed).
 * cell_trim narrows a cell to its content; the cell_parse_* functions accept
 * the trimmed text of one type and nothing else.  Relies on date.h.
 * No allocation: results are written through out-pointers.
 */
#ifndef VERDICT_CELL_H
#define VERDICT_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include "date.h"

/* Narrow [*s, *s+len) by leading and trailing white space: ASCII space,
 * tab, CR, LF, U+00A0 (no-break space), U+3000 (ideographic space), and the
 * invisible U+200B (zero-width space) and U+FEFF (a byte-order mark).
 * Returns the new length; 0 means the cell is missing. */
size_t cell_trim_edges(const char **s, size_t len);

/* Bytes that may begin (CELL_EDGE_FIRST) or end (CELL_EDGE_LAST) a
 * white-space character. */
enum { CELL_EDGE_FIRST = 1, CELL_EDGE_LAST = 2 };
extern const unsigned char cell_edge[256];

/* Inline: every cell is trimmed, and most have nothing to trim (one look
 * at each end decides). */
static inline size_t cell_trim(const char **s, size_t len)
{
	if (len == 0 || (!(cell_edge[(unsigned char)(*s)[0]] & CELL_EDGE_FIRST) &&
			 !(cell_edge[(unsigned char)(*s)[len - 1]] & CELL_EDGE_LAST)))
		return len;
	return cell_trim_edges(s, len);
}

/* true/false, yes/no, y/n, 1/0 (ASCII case-insensitive), 是/否. */
bool cell_parse_bool(const char *s, size_t len, bool *out);

/* Optional sign then ASCII digits, no spaces, no separators, fits in
 * long long. */
bool cell_parse_int(const char *s, size_t len, long long *out);

/* Decimal: optional sign, digits, optional '.' and digits (at least one
 * digit in all: "5", "-2.5", "0.75", ".5", "5."), finite.  No exponent,
 * no thousands separators, no inf/nan, no hex. */
bool cell_parse_number(const char *s, size_t len, double *out);

/* Case-insensitive (ASCII) equality of s[0..len) and the NUL-terminated
 * word. */
bool cell_equal_fold(const char *s, size_t len, const char *word);

/* s[0..len) with its full-width forms (U+FF01 to U+FF5E, as a Chinese
 * input method types them: （ ） ＋ １ ２ ．) as the ASCII characters they
 * stand for and each U+3000 (ideographic space) as a space, written to
 * out (cap bytes; the text only gets shorter).  Returns the new length,
 * or 0 when s holds none of them or out is too small. */
size_t cell_fold_width(const char *s, size_t len, char *out, size_t cap);

#endif
