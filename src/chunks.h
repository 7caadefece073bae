/*
 * chunks — cutting raw CSV bytes into pieces that begin and end with
 * whole records, without parsing them (the parent's side of --jobs).
 *
 * A cut is made just after an LF before which the piece holds an even
 * number of '"': in CSV as people write it, a place outside any quoted
 * field.  A stray quote inside an unquoted cell (5" screen) can make that
 * guess wrong; the worker that parses the piece then finds it ends inside
 * a record (csvin's open_at_end) and the parent reads on from the start
 * of that piece by itself, so the guess only ever costs speed.
 */
#ifndef VERDICT_CHUNKS_H
#define VERDICT_CHUNKS_H

#include <stddef.h>

/* The length of the longest prefix of buf[0..len) that ends just after
 * an LF with an even number of '"' before it; 0 if there is none. */
size_t chunk_cut(const char *buf, size_t len);

/* The physical lines that end in buf[0..len): each LF, CRLF or lone CR
 * (a CR at the very end counts as a lone one). */
size_t chunk_lines(const char *buf, size_t len);

/* chunk_cut, and the lines that end in the prefix (chunk_lines of it),
 * in one pass over buf. */
size_t chunk_cut_lines(const char *buf, size_t len, size_t *lines);

#endif
