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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of the longest prefix of buf[0..len) that ends just after
 * an LF with an even number of '"' before it; 0 if there is none. */
size_t chunk_cut(const char *buf, size_t len);

/* The physical lines that end in buf[0..len): each LF, CRLF or lone CR
 * (a CR at the very end counts as a lone one). */
size_t chunk_lines(const char *buf, size_t len);

/* chunk_cut, and the lines that end in the prefix (chunk_lines of it),
 * in one pass over buf. */
size_t chunk_cut_lines(const char *buf, size_t len, size_t *lines);

/*
 * The same record ends found in a stream of bytes fed in pieces of any
 * size (the early UTF-8 check's child reads the whole file anyway: it
 * marks where --jobs may cut as it goes, and the parent need not read
 * the file at all).  A mark is put at the first record end at or past
 * `grid` bytes after the mark before (the first: after the start);
 * its line is the physical line that begins there, counted as
 * chunk_lines counts them, from 1 at the start of the scan.  Quotes are
 * counted from the start of the scan too.
 */
struct chunk_mark {
	uint64_t offset;   /* just after the LF */
	uint64_t line;
};

struct chunk_scan {
	uint64_t grid;
	uint64_t at;      /* the offset of the next byte fed */
	uint64_t want;    /* the next mark: the first record end at or past it */
	uint64_t ends;    /* line ends before at: each CR, and each LF not just after one */
	bool odd;         /* an odd number of '"' before at */
	bool cr;          /* the byte before at is a CR */
};

typedef void (*chunk_mark_fn)(void *ctx, const struct chunk_mark *m);

void chunk_scan_init(struct chunk_scan *s, uint64_t start, uint64_t grid);
/* The next n bytes (those at s->at); fn for each mark among them. */
void chunk_scan_feed(struct chunk_scan *s, const char *buf, size_t n, chunk_mark_fn fn, void *ctx);
/* The line after all that was fed (1 + every line end, a last CR too). */
uint64_t chunk_scan_line(const struct chunk_scan *s);

#endif
