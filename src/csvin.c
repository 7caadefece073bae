/*
 * csvin — streaming CSV input with positions and encodings.
 *
 * The pipeline, one chunk of raw bytes at a time:
 *
 *   fread → drop BOM → split into physical-line pieces → (carry an
 *   incomplete character to the next piece) → validate UTF-8 or convert
 *   from GB18030 → replace NUL → libcsv → on_field / on_record
 *
 * A plain line (a whole UTF-8 line beginning a record, with no quote, no
 * NUL and no more bytes than a cell may hold: nearly every line of a
 * real file) skips the last three steps: split_plain cuts it at its
 * commas itself, as libcsv would, for about a tenth of libcsv's
 * instructions.  Every other line goes through libcsv.
 *
 * A piece is a run of bytes of one physical line, ending with its CR or LF
 * or at the end of the chunk.  CR and LF occur only at the end of a piece,
 * and libcsv ends a record only at one of them, so every piece belongs to
 * one record: a problem found in a piece (set when the feed reaches it, so
 * the first in the record wins whatever the chunk size) is reported by the
 * record that ends with or after the piece.  When libcsv is between
 * records (pstate ROW_NOT_BEGUN) before a piece, a record that begins in
 * the piece begins on its line.  A line of spaces begins no record.  An LF
 * right after a CR ends no line: it is fed alone, as part of the line the
 * CR ended.
 *
 * Long cells: libcsv's entry buffer is public; after every feed, a cell
 * longer than max_cell is cut back (entry_pos), so the buffer holds at
 * most max_cell plus one piece.  The cell delivered is the first max_cell
 * bytes of the one libcsv would have given, cut on a character boundary.
 *
 * Memory: the chunk, a piece (twice, converted), libcsv's entry, and the
 * record (at most RECORD_CELLS * max_cell bytes and max_fields fields);
 * all are reused from record to record.
 */
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "csvin.h"
#include "json.h"
#include "lookback.h"
#include "pages.h"
#include "strbuf.h"

/* libcsv's parser states (libcsv.c; csv.h gives only the field). */
#define ROW_NOT_BEGUN          0
#define FIELD_NOT_BEGUN        1
#define FIELD_BEGUN            2
#define FIELD_MIGHT_HAVE_ENDED 3

#define DEFAULT_CHUNK   ((size_t)64 << 10)
#define MAX_BLK         ((size_t)64 << 10)  /* libcsv growth step cap */
#define RECORD_CELLS    16   /* a record holds at most 16 * max_cell bytes */
_Static_assert(RECORD_CELLS == 16, "the record limit's message says 16 times the cell limit");
#define REPLACEMENT     "\xef\xbf\xbd"      /* U+FFFD in UTF-8 */

static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
/* U+FEFF in GB18030: the byte-order mark of a GB18030 or GBK file. */
static const unsigned char gb_bom[4] = { 0x84, 0x31, 0x95, 0x33 };

/* The encodings read (--encoding), and their names in messages. */
enum encoding { ENC_UTF8, ENC_GB18030, ENC_GBK };
static const char *const encoding_names[] = { "UTF-8", "GB18030", "GBK" };

struct reader {
	/* raw input and line splitting */
	FILE *f;
	size_t chunk;
	unsigned char *buf;
	long long base;          /* file offset of the bytes being split */
	long long raw_end;       /* file offset just past the current piece */
	size_t line;             /* physical line of the next byte */
	bool after_cr;           /* an LF now would end no line */
	unsigned char carry[4];  /* incomplete character for the next piece */
	size_t ncarry;
	struct strbuf joined;    /* carry + piece */
	bool gb;                 /* convert from GB18030 (or GBK) */
	enum encoding enc;
	iconv_t cd;
	struct strbuf conv;      /* the piece converted to UTF-8 */
	int stop;                /* non-zero: read no further */
	bool no_bom;             /* mid-stream: the first bytes are not a BOM */
	bool utf8_checked;       /* valid UTF-8 already: not validated again */
	bool libcsv_only;        /* every line through libcsv (tests) */
	const unsigned char *mem; /* csvin_read_mem: the input, memlen bytes */
	size_t memlen;            /* ... or csvin_read_range's bytes */
	int fd;                   /* csvin_read_range: the file (else -1), */
	long long fd_off;         /* from here */
	uint32_t *comma_at;      /* split_plain: where a line's commas are */
	size_t comma_room;

	/* parsing */
	struct csv_parser p;
	size_t max_cell, max_fields, max_record;
	size_t trunc;            /* the open cell was cut to this length */
	size_t tail_cut;         /* its tail was cut when it had this much */
	size_t quote_line;       /* line where the open quoted field began */
	long long quote_end;     /* just past the end of that line, once read */
	size_t piece_line;       /* the line of the piece being fed */
	bool piece_quoted;       /* it began inside a quoted field */
	bool stray;              /* the open quoted field met a stray quote */
	bool can_rewind;         /* the input can be read again from an offset */
	struct lookback *lb;     /* a stream's bytes kept to read again (else NULL) */
	long long rec_from;      /* with lb: where the record being read began */
	bool more_follows;       /* the bytes end before the input does */
	bool rewind;             /* read again from quote_end (set in parse) */
	bool seek_pending;       /* ... the record is cut: go to seek_to */
	long long seek_to;
	size_t seek_line;        /* the line read next from seek_to */
	size_t expect;           /* cells a record should have (the header's) */
	size_t span_line;        /* the first quoted field of the record that
				    went over a line end opened on this line, */
	long long span_end;      /* which ends here, */
	size_t span_field;       /* and was this field of the record */
	bool span_records;       /* a line inside a quoted field of the
				    record had a record's commas */
	size_t count_line;       /* the line whose commas are counted: */
	bool line_in_quote;      /* all of it so far inside a quoted field */
	size_t line_commas;      /* its commas */
	size_t piece_fields;     /* fields ended while feeding this piece */
	csvin_record_fn fn;
	void *ctx;

	/* the record being assembled (reused) */
	size_t row, rec_line;
	struct strbuf data;      /* the fields' bytes, each followed by NUL */
	size_t *offs, *lens;
	const char **ptrs;
	size_t alloc, nseen;     /* nseen counts fields dropped too */
	size_t rec_bytes;        /* the fields' lengths added up */
	char problem[256];
	bool has_problem;
};

static void out_of_memory(void)
{
	fputs("verdict: out of memory\n", stderr);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

/* The first problem of a record wins, unless forced. */
__attribute__((format(printf, 3, 4)))
static void set_problem(struct reader *r, bool force, const char *fmt, ...)
{
	va_list ap;

	if (r->has_problem && !force)
		return;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
	r->has_problem = true;
}

/* Length of s[0..len) without a UTF-8 sequence cut off at its end. */
static size_t utf8_trim_cut(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = len, tail, need;

	while (k > 0 && len - k < 3 && (u[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0 || u[k - 1] < 0xC0)
		return len;
	tail = len - k + 1;   /* lead byte and its continuation bytes */
	need = u[k - 1] >= 0xF0 ? 4 : u[k - 1] >= 0xE0 ? 3 : 2;
	return tail < need ? k - 1 : len;
}

/* Whether s[0..n) may be the start of a UTF-8 sequence cut by the chunk
 * end (a lead byte and fewer continuation bytes than it needs). */
static bool utf8_incomplete(const unsigned char *s, size_t n)
{
	size_t need, i;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		need = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		need = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		need = 4;
	else
		return false;
	if (n >= need)
		return false;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return false;
	return true;
}

/* Keep an incomplete character for the next piece of the line. */
static void hold(struct reader *r, const unsigned char *s, size_t n)
{
	memcpy(r->carry, s, n);
	r->ncarry = n;
}

/* The first max_cell bytes of a cell, cut on a character boundary. */
static size_t cut_cell(struct reader *r, const char *s, size_t len,
		       size_t field)
{
	set_problem(r, false, "cell %zu exceeds the cell limit of %zu bytes; "
		    "expected a shorter cell (or a larger --max-cell)",
		    field + 1, r->max_cell);
	return utf8_trim_cut(s, len < r->max_cell ? len : r->max_cell);
}

/* Room in the field arrays for field i (< max_fields). */
static void room_for_field(struct reader *r, size_t i)
{
	size_t n;

	if (i < r->alloc)
		return;
	n = r->alloc ? r->alloc * 2 : 16;
	if (n > r->max_fields)
		n = r->max_fields;
	r->offs = xrealloc(r->offs, n * sizeof(*r->offs));
	r->lens = xrealloc(r->lens, n * sizeof(*r->lens));
	r->ptrs = xrealloc(r->ptrs, n * sizeof(*r->ptrs));
	r->alloc = n;
}

static void too_many_fields(struct reader *r)
{
	set_problem(r, false, "record has more than %zu cells; expected at "
		    "most that many (a file that is not CSV, or a line of "
		    "commas?)", r->max_fields);
}

/* Store field i of the record. */
static void keep_field(struct reader *r, size_t i, const char *s, size_t len)
{
	room_for_field(r, i);
	r->offs[i] = r->data.len;
	r->lens[i] = len;
	r->rec_bytes += len;
	/* The bytes and their NUL, after one check for room (len + 1 and
	 * the strbuf's own NUL). */
	if (r->data.cap - r->data.len <= len + 1)
		strbuf_grow(&r->data, len + 1);
	if (len > 0)
		memcpy(r->data.buf + r->data.len, s, len);
	r->data.len += len + 1;
	r->data.buf[r->data.len - 1] = '\0';
	r->data.buf[r->data.len] = '\0';
}

/* libcsv field callback: keep the field, within the limits. */
static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	size_t i = r->nseen++;

	r->piece_fields++;
	r->stray = false;
	if (r->trunc != SIZE_MAX)
		len = len < r->trunc ? len : r->trunc;
	else if ((r->tail_cut != SIZE_MAX && len > r->tail_cut) ||
		 len > r->max_cell)
		len = cut_cell(r, s, len, i);
	r->trunc = r->tail_cut = SIZE_MAX;
	if (i >= r->max_fields) {
		too_many_fields(r);
		return;
	}
	if (len > r->max_record - r->rec_bytes) {
		set_problem(r, false, "record exceeds the limit of %zu bytes (16 times the cell "
			    "limit); expected a smaller record (or a larger --max-cell)",
			    r->max_record);
		len = 0;
	}
	keep_field(r, i, s, len);
}

/*
 * A record whose quoted field went over a line end, with a whole line
 * inside it that has a record's commas, and which then has more or fewer
 * cells than the header: most likely that field's opening quote was a
 * mistake and a later quote closed it, records on.  (Without such a line,
 * a multi-line cell in a record of the wrong length, the record is one,
 * INVALID for its count; with the right count, it is read as RFC 4180
 * says, however many commas its lines have.)  The
 * record is cut at the end of the line where the field opened (its
 * cells up to the field, and the field empty), and reading resumes on
 * the next line (see stray quotes, below).  Returns the cells kept.
 */
static size_t cut_at_span(struct reader *r)
{
	size_t keep = r->span_field < r->max_fields ? r->span_field : r->max_fields;

	set_problem(r, true, "quoted field in cell %zu opened on line %zu and "
		    "closed on a later line, leaving %zu cell%s where the "
		    "header has %zu: the quote is read as never closed, and "
		    "the record as ending with line %zu",
		    r->span_field + 1, r->span_line, r->nseen, r->nseen == 1 ? "" : "s",
		    r->expect, r->span_line);
	if (keep < r->max_fields) {
		r->data.len = keep ? r->offs[keep - 1] + r->lens[keep - 1] + 1 : 0;
		keep_field(r, keep, "", 0);
		keep++;
	}
	r->nseen = keep;
	r->raw_end = r->span_end;
	r->seek_to = r->span_end;
	r->seek_line = r->span_line + 1;
	r->seek_pending = true;
	return keep;
}

/* libcsv record callback: hand the record over, then reset it. */
static void on_record(int c, void *data)
{
	struct reader *r = data;
	struct csvin_record rec;
	size_t i, n = r->nseen < r->max_fields ? r->nseen : r->max_fields;

	(void)c;
	if (r->span_line && r->span_records && r->expect && r->nseen != r->expect &&
	    r->can_rewind)
		n = cut_at_span(r);
	if (!r->stop) {
		for (i = 0; i < n; i++)
			r->ptrs[i] = r->data.buf + r->offs[i];
		rec.row = r->row;
		rec.line = r->rec_line;
		rec.nfields = n;
		rec.fields = r->ptrs;
		rec.lens = r->lens;
		rec.problem = r->has_problem ? r->problem : NULL;
		rec.bytes_read = r->raw_end;
		r->stop = r->fn(r->ctx, &rec);
	}
	if (r->row == 0 && r->expect == 0)
		r->expect = r->nseen;   /* the header */
	r->row++;
	strbuf_reset(&r->data);
	r->nseen = 0;
	r->rec_bytes = 0;
	r->has_problem = false;
	r->span_line = 0;
	r->span_records = false;
}

/* Bytes at the end of libcsv's entry that are not yet content: trailing
 * spaces of an unquoted field, or a quote and the spaces after it.  libcsv
 * drops them if the field ends next, or keeps them as content. */
static size_t entry_tail(const struct csv_parser *p)
{
	if (p->pstate == FIELD_MIGHT_HAVE_ENDED)
		return p->spaces + 1;
	if (p->pstate == FIELD_BEGUN && !p->quoted)
		return p->spaces;
	return 0;
}

/* Keep libcsv's entry within max_cell (plus the bytes of one feed), so
 * that the cell delivered is the first max_cell bytes of what libcsv would
 * have given, whatever the chunk size.  Whether spaces follow a closing
 * quote changes how libcsv reads a next quote, so one space is kept. */
static void bound_cell(struct reader *r)
{
	struct csv_parser *p = &r->p;
	size_t quote = p->pstate == FIELD_MIGHT_HAVE_ENDED;
	size_t space = quote && p->spaces > 0;
	size_t firm = p->entry_pos - entry_tail(p), keep;

	if (r->trunc == SIZE_MAX && r->tail_cut != SIZE_MAX &&
	    firm > r->tail_cut) {
		/* A cut tail has become content: the cell is too long, and
		 * its first max_cell bytes are in the entry. */
		r->trunc = cut_cell(r, (char *)p->entry_buf, p->entry_pos,
				    r->nseen);
		r->tail_cut = SIZE_MAX;
	} else if (r->trunc == SIZE_MAX && p->entry_pos > r->max_cell) {
		if (firm <= r->max_cell) {
			/* Only the tail overflows: keep its first bytes, in
			 * case it becomes content, and forget the rest. */
			keep = firm + quote + space;
			if (keep < r->max_cell)
				keep = r->max_cell;
			p->spaces = keep - firm - quote;
			p->entry_pos = keep;
			if (r->tail_cut == SIZE_MAX)
				r->tail_cut = firm;
			return;
		}
		r->trunc = cut_cell(r, (char *)p->entry_buf, p->entry_pos,
				    r->nseen);
	}
	/* Past the cut keep only what libcsv will drop if the field ends
	 * now: the closing quote and one space. */
	if (r->trunc != SIZE_MAX && p->entry_pos > r->trunc + quote + space) {
		p->entry_pos = r->trunc + quote + space;
		p->spaces = space;
	}
}

/*
 * Stray quotes.  A quoted field ends at a quote followed by a comma, a
 * line end or spaces and then one of those; a quote followed by anything
 * else (or by spaces and another quote) is a stray, and libcsv, lenient,
 * goes on reading the field as quoted, over line ends and the records
 * after it.  So that no record is lost to a stray:
 *
 * - a field that met a stray and is still open at the end of its line is
 *   ended there, and its record is INVALID (`"ab"c,x` on one line);
 * - a stray in a field opened on an earlier line means the quote that
 *   opened it was never closed (`"unterminated` on line 3, `"x"` on line
 *   4): the record is cut at the end of the line where the field opened,
 *   INVALID, and reading resumes on the next line, read again (an input
 *   that cannot be read again, a pipe, gets the first treatment);
 * - the same when the input ends inside a field opened on an earlier
 *   line (a lone quote, then plain records).
 *
 * find_stray follows libcsv's lenient state machine (libcsv.c, csv_parse)
 * over bytes about to be fed, from its state now.
 */
static size_t find_stray(const struct csv_parser *p, const char *s, size_t n,
			 bool *opened_before)
{
	int st = p->pstate;
	bool quoted = p->quoted, spaces = p->spaces > 0;
	bool before = quoted && (st == FIELD_BEGUN || st == FIELD_MIGHT_HAVE_ENDED);

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool end = c == '\r' || c == '\n', blank = c == ' ' || c == '\t';

		if (st == FIELD_BEGUN && quoted) {
			if (c == '"') {
				st = FIELD_MIGHT_HAVE_ENDED;
				spaces = false;
			}
		} else if (st == FIELD_MIGHT_HAVE_ENDED) {
			if (c == ',' || end) {
				st = end ? ROW_NOT_BEGUN : FIELD_NOT_BEGUN;
				before = quoted = false;
			} else if (blank) {
				spaces = true;
			} else if (c == '"' && !spaces) {
				st = FIELD_BEGUN;   /* a doubled quote */
			} else {
				*opened_before = before;
				return i;
			}
		} else if (st == FIELD_BEGUN) {   /* unquoted: a quote is content */
			if (c == ',' || end)
				st = end ? ROW_NOT_BEGUN : FIELD_NOT_BEGUN;
		} else if (!blank) {              /* between fields */
			if (end)
				st = ROW_NOT_BEGUN;
			else if (c == ',')
				st = FIELD_NOT_BEGUN;
			else {
				st = FIELD_BEGUN;
				quoted = c == '"';
				before = false;
			}
		}
	}
	return n;
}

static void libcsv_feed(struct reader *r, const char *s, size_t n)
{
	size_t size = r->p.entry_size;

	/* Grow the entry buffer geometrically, by at most MAX_BLK. */
	csv_set_blk_size(&r->p, size < 128 ? 128 : size < MAX_BLK ? size : MAX_BLK);
	if (csv_parse(&r->p, s, n, on_field, on_record, r) != n)
		out_of_memory();
	bound_cell(r);
}

/* Feed libcsv, then bound the open cell; note stray quotes (above). */
static void parse(struct reader *r, const char *s, size_t n)
{
	while (n > 0 && (r->p.quoted || memchr(s, '"', n))) {
		bool before = false;
		size_t k = find_stray(&r->p, s, n, &before);
		if (k == n)
			break;
		if (before && r->piece_quoted && r->piece_fields == 0 &&
		    r->quote_line < r->piece_line && r->can_rewind) {
			r->rewind = true;   /* nothing of this field is kept */
			return;
		}
		/* The quote before s[k] and s[k] itself are content. */
		libcsv_feed(r, s, k + 1);
		r->stray = true;
		s += k + 1;
		n -= k + 1;
	}
	if (n > 0)
		libcsv_feed(r, s, n);
}

/* Feed UTF-8 bytes, each NUL replaced by U+FFFD. */
static void feed(struct reader *r, const char *s, size_t n)
{
	const char *nul;
	size_t k;

	while (n > 0 && !r->rewind) {
		nul = memchr(s, '\0', n);
		k = nul ? (size_t)(nul - s) : n;
		parse(r, s, k);
		if (nul == NULL)
			break;
		set_problem(r, false, "NUL byte in cell %zu; expected text, "
			    "which holds no NUL (a file that is not CSV?)",
			    r->nseen + 1);
		parse(r, REPLACEMENT, 3);
		s += k + 1;
		n -= k + 1;
	}
}

/* Validate a UTF-8 piece and feed it as it is. */
static void decode_utf8(struct reader *r, const unsigned char *s, size_t n,
			bool final)
{
	size_t k = r->utf8_checked ? n : utf8_valid_prefix((const char *)s, n);

	if (k < n && !final && utf8_incomplete(s + k, n - k)) {
		hold(r, s + k, n - k);
		n = k;
	} else if (k < n) {
		/* Feed up to the bad byte first: the first problem wins. */
		feed(r, (const char *)s, k);
		set_problem(r, false, "invalid UTF-8 in cell %zu (byte 0x%02X); "
			    "if the file was saved by Excel on Chinese "
			    "Windows, use --encoding gb18030", r->nseen + 1,
			    s[k]);
		s += k;
		n -= k;
	}
	feed(r, (const char *)s, n);
}

/* How many bytes to show for an invalid GB18030 sequence at s: the lead
 * and the bytes that still fit a sequence, then the one that broke it. */
static size_t gb_shown(const unsigned char *s, size_t n)
{
	size_t k = 1;

	if (s[0] < 0x81 || s[0] > 0xFE)
		return 1;
	if (n > 1)
		k = 2;
	if (n > 2 && s[1] >= 0x30 && s[1] <= 0x39)
		k = 3;
	if (k == 3 && n > 3 && s[2] >= 0x81 && s[2] <= 0xFE)
		k = 4;
	return k;
}

static void gb_problem(struct reader *r, const unsigned char *s, size_t n)
{
	char hex[32];
	size_t i, len = 0;

	for (i = 0; i < n && i < 4; i++)
		len += (size_t)snprintf(hex + len, sizeof(hex) - len, "%s0x%02X",
					i ? " " : "", s[i]);
	set_problem(r, false, "invalid %s byte sequence in cell %zu (%s); expected %s text, as --encoding says",
		    encoding_names[r->enc], r->nseen + 1, hex, encoding_names[r->enc]);
}

/* GBK as Windows writes it (code page 936, what Excel calls GBK) has one
 * character GB18030 has not: the single byte 0x80, the euro sign (GB18030
 * has it as A2 E3).  Whether the byte at s is that one. */
static bool gbk_euro(const struct reader *r, const char *s)
{
	return r->enc == ENC_GBK && (unsigned char)s[0] == 0x80;
}

/* Convert a GB18030 piece to UTF-8 and feed it.  An invalid byte becomes
 * U+FFFD and conversion resumes at the next byte; an incomplete character
 * at the end waits for the next piece unless the piece is final. */
static void decode_gb(struct reader *r, const unsigned char *s, size_t n,
		      bool final)
{
	char *in = (char *)s, *out;
	size_t inleft = n, outleft, rc, skip;
	int e;

	strbuf_reset(&r->conv);
	while (inleft > 0) {
		strbuf_grow(&r->conv, inleft * 2 + 8);
		out = r->conv.buf + r->conv.len;
		outleft = r->conv.cap - r->conv.len - 1;
		rc = iconv(r->cd, &in, &inleft, &out, &outleft);
		e = errno;
		r->conv.len = (size_t)(out - r->conv.buf);
		if (rc != (size_t)-1 || e == E2BIG)
			continue;
		if (e == EINVAL && !final && inleft < sizeof(r->carry)) {
			hold(r, (unsigned char *)in, inleft);
			break;
		}
		if (e == EILSEQ && gbk_euro(r, in)) {
			strbuf_add(&r->conv, "\xE2\x82\xAC", 3);   /* U+20AC */
			in++;
			inleft--;
			continue;
		}
		/* Feed what came before first: the first problem wins. */
		feed(r, r->conv.buf, r->conv.len);
		strbuf_reset(&r->conv);
		skip = e == EINVAL ? inleft : 1;
		gb_problem(r, (unsigned char *)in,
			   e == EINVAL ? inleft : gb_shown((unsigned char *)in, inleft));
		strbuf_add(&r->conv, REPLACEMENT, 3);
		in += skip;
		inleft -= skip;
	}
	feed(r, r->conv.buf, r->conv.len);
}

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The common line, split without libcsv: a whole line (ending with its CR
 * or LF) that begins a record and has no quote, no NUL, only valid UTF-8
 * and no more bytes than a cell may hold.  For such a line libcsv's lenient
 * parse is simply this: a line of spaces and tabs is blank; otherwise the
 * fields are the runs between commas, spaces and tabs at either end
 * dropped.  Returns false, having done nothing, when the line is not of
 * that kind; libcsv then reads it.  (tests/unit/test_csvin.c compares the
 * two on every kind of line.)
 */
/*
 * Where the commas of p[0..n) are, into at[] (room for n); the count, or
 * -1 at a quote or a NUL.  Sixteen bytes at a time where SSE2 is there
 * (every x86-64): one pass instead of a memchr for the quote, one for NUL
 * and one for each comma.
 */
static long find_commas(const char *p, size_t n, uint32_t *at)
{
	size_t i = 0, count = 0;
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'),
		      zero = _mm_setzero_si128();
	for (; i + 16 <= n; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(p + i));
		if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, quote),
						   _mm_cmpeq_epi8(b, zero))))
			return -1;
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, comma));
		while (m) {
			at[count++] = (uint32_t)(i + (size_t)__builtin_ctz(m));
			m &= m - 1;
		}
	}
#endif
	for (; i < n; i++) {
		if (p[i] == '"' || p[i] == '\0')
			return -1;
		if (p[i] == ',')
			at[count++] = (uint32_t)i;
	}
	return (long)count;
}

static bool split_plain(struct reader *r, const unsigned char *s, size_t n)
{
	const char *line = (const char *)s, *end = line + n - 1;
	long commas;

	if (n - 1 > r->max_cell || n > UINT32_MAX)
		return false;
	if (n > r->comma_room) {
		r->comma_at = xrealloc(r->comma_at, n * sizeof *r->comma_at);
		r->comma_room = n;
	}
	commas = find_commas(line, n - 1, r->comma_at);
	if (commas < 0 ||
	    (!r->utf8_checked && utf8_valid_prefix(line, n - 1) != n - 1))
		return false;
	const char *p = line;
	while (p < end && is_blank((unsigned char)*p))
		p++;
	if (p == end)
		return true;   /* blank: no record */
	/* The line is copied once; each cell is a run of the copy, ended by
	 * a NUL written over the comma, blank or line end that follows it. */
	strbuf_grow(&r->data, n);
	char *copy = r->data.buf;
	memcpy(copy, line, n);
	r->data.len = n;
	/* Room for the line's fields at once, not one check a field. */
	size_t last = r->nseen + (size_t)commas;
	if (last >= r->max_fields)
		last = r->max_fields ? r->max_fields - 1 : 0;
	while (r->alloc <= last && r->alloc < r->max_fields)
		room_for_field(r, r->alloc);
	size_t *offs = r->offs, *lens = r->lens;
	for (long k = 0; k <= commas; k++) {
		const char *stop = k < commas ? line + r->comma_at[k] : end, *q = stop;
		while (p < q && is_blank((unsigned char)*p))
			p++;
		while (q > p && is_blank((unsigned char)q[-1]))
			q--;
		size_t i = r->nseen, len = (size_t)(q - p);
		r->nseen++;
		if (i < r->max_fields) {
			offs[i] = (size_t)(p - line);
			lens[i] = len;
			r->rec_bytes += len;
			copy[q - line] = '\0';
		} else {
			too_many_fields(r);
		}
		p = stop + 1;
	}
	r->piece_fields += (size_t)commas + 1;
	r->data.buf[r->data.len] = '\0';
	on_record(end[0], r);
	return true;
}

static size_t count_commas(const unsigned char *s, size_t n)
{
	size_t k = 0;
	const unsigned char *end = s + n;
	while ((s = memchr(s, ',', (size_t)(end - s))) != NULL) {
		k++;
		s++;
	}
	return k;
}

/* Inside a quoted field not yet closed (a quote just read may close it:
 * that is in_quote, below, but not this). */
static bool quote_open(const struct reader *r)
{
	return r->p.quoted && r->p.pstate == FIELD_BEGUN;
}

static bool in_quote(const struct reader *r)
{
	return r->p.quoted && (r->p.pstate == FIELD_BEGUN ||
			       r->p.pstate == FIELD_MIGHT_HAVE_ENDED);
}

/* End the record now (see stray quotes, above), its open field as read
 * so far if keep, else empty. */
static void end_record_here(struct reader *r, bool keep)
{
	if (!keep) {
		r->p.entry_pos = 0;
		r->p.spaces = 0;
		r->p.pstate = FIELD_BEGUN;
		r->trunc = r->tail_cut = SIZE_MAX;
	}
	r->stray = false;
	csv_fini(&r->p, on_field, on_record, r);
}

/* A quoted field opened on quote_line was never closed: the record ends
 * with that line, and reading resumes after it. */
static void cut_at_quote_line(struct reader *r)
{
	set_problem(r, true, "unterminated quoted field in cell %zu: the "
		    "quote opened on line %zu is never closed; the record is "
		    "read as ending with that line", r->nseen + 1,
		    r->quote_line);
	r->rewind = false;
	r->raw_end = r->quote_end;
	r->span_line = 0;
	r->span_records = false;
	end_record_here(r, false);
	r->seek_to = r->quote_end;
	r->seek_line = r->quote_line + 1;
	r->seek_pending = true;
}

/* After a piece that ends line `line`, inside a quoted field. */
static void line_end_in_quote(struct reader *r, size_t line)
{
	if (line == r->quote_line)
		r->quote_end = r->raw_end;
	if (r->stray) {
		set_problem(r, true, "stray quote in cell %zu: a quote inside "
			    "a quoted cell must be doubled (\"\"); the record "
			    "is read as ending with line %zu", r->nseen + 1,
			    line);
		r->span_line = 0;
	r->span_records = false;
		end_record_here(r, true);
		return;
	}
	/* A whole line inside the field with as many commas as a record has
	 * between its cells: a record taken in by a quote never closed, or
	 * a note of many commas (valid CSV, to be read as it is).  Which,
	 * the record's end tells: see on_record. */
	bool evidence = r->line_in_quote && r->expect > 1 && r->line_commas + 1 >= r->expect &&
			r->quote_line < line;
	/* Or the line the quote opened on: its cells before the quote, and
	 * its commas after it taken as separators, make a record's cells (the
	 * rest of a record taken into the cell by a quote never closed). */
	if (line == r->quote_line && r->expect > 1 &&
	    r->nseen + 1 + count_commas((const unsigned char *)r->p.entry_buf, r->p.entry_pos) >= r->expect)
		evidence = true;
	if (r->span_line == 0 || r->span_line == line || (evidence && !r->span_records)) {
		/* the field cut, should the record be: the first to go over a
		 * line end, or the one that holds the evidence */
		r->span_line = r->quote_line;
		r->span_end = r->quote_end;
		r->span_field = r->nseen;
	}
	if (evidence)
		r->span_records = true;
}

/* One piece of physical line `line`; final if it ends the line (or the
 * input), so no character may wait for the next piece. */
static void piece(struct reader *r, const unsigned char *s, size_t n,
		  size_t line, bool final)
{
	bool was_quoted;
	bool carried = r->ncarry > 0;

	if (carried) {
		strbuf_reset(&r->joined);
		strbuf_add(&r->joined, r->carry, r->ncarry);
		strbuf_add(&r->joined, s, n);
		s = (const unsigned char *)r->joined.buf;
		n = r->joined.len;
		r->ncarry = 0;
	}
	if (n == 0)
		return;
	if (r->p.pstate == ROW_NOT_BEGUN) {
		r->rec_line = line;
		if (r->lb && !carried) {
			/* a stream: what it keeps to read again from here on (no
			 * carry joined: n is the piece's own bytes) */
			r->rec_from = r->raw_end - (long long)n;
			r->can_rewind = r->rec_from >= lookback_kept_from(r->lb);
		}
		if (final && !r->gb && !r->libcsv_only &&
		    (s[n - 1] == '\n' || s[n - 1] == '\r') &&
		    split_plain(r, s, n))
			return;
	}
	was_quoted = in_quote(r);
	r->piece_fields = 0;
	r->piece_line = line;
	r->piece_quoted = was_quoted;
	if (line != r->count_line) {
		r->count_line = line;
		r->line_in_quote = was_quoted;
		r->line_commas = 0;
	}
	if (r->gb)
		decode_gb(r, s, n, final);
	else
		decode_utf8(r, s, n, final);
	if (r->rewind) {
		r->ncarry = 0;
		cut_at_quote_line(r);
		return;
	}
	if (!in_quote(r) || r->piece_fields > 0)
		r->line_in_quote = false;
	if (!in_quote(r))
		return;
	if (r->line_in_quote)
		r->line_commas += count_commas(s, n);
	/* A quoted field open now began here unless it was open before and
	 * no field has ended since. */
	if (!was_quoted || r->piece_fields > 0) {
		r->quote_line = line;
		r->quote_end = LLONG_MAX;   /* not yet known */
	}
	if (final)
		line_end_in_quote(r, line);
}

/* Index of the first byte c in b[from..n), or n.  *next remembers the
 * answer (SIZE_MAX: none yet): it holds while from has not passed it, so
 * each byte of a chunk is searched once per c, whatever the line ends. */
static size_t find_byte(const unsigned char *b, size_t from, size_t n, int c,
			size_t *next)
{
	const unsigned char *p;

	if (*next == SIZE_MAX || *next < from) {
		p = memchr(b + from, c, n - from);
		*next = p ? (size_t)(p - b) : n;
	}
	return *next;
}

/* Split raw bytes (starting at file offset r->base) into pieces. */
static void split(struct reader *r, const unsigned char *b, size_t n)
{
	size_t i = 0, j, lf = SIZE_MAX, cr = SIZE_MAX;

	while (i < n && !r->stop && !r->seek_pending) {
		if (r->after_cr) {
			r->after_cr = false;
			if (b[i] == '\n') {
				/* The LF of a CRLF split by the chunk end. */
				r->raw_end = r->base + (long long)i + 1;
				piece(r, b + i, 1, r->line - 1, true);
				i++;
				continue;
			}
		}
		j = find_byte(b, i, n, '\n', &lf);
		if (find_byte(b, i, n, '\r', &cr) < j)
			j = cr;
		if (j == n) {
			r->raw_end = r->base + (long long)n;
			piece(r, b + i, n - i, r->line, false);
			break;
		}
		r->raw_end = r->base + (long long)j + 1;
		piece(r, b + i, j + 1 - i, r->line, true);
		r->line++;
		r->after_cr = b[j] == '\r';
		i = j + 1;
	}
}

static void reader_init(struct reader *r, FILE *f, size_t chunk)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->chunk = chunk ? chunk : DEFAULT_CHUNK;
	r->buf = xrealloc(NULL, r->chunk);
	r->line = 1;
	r->cd = (iconv_t)-1;
	r->trunc = r->tail_cut = SIZE_MAX;
	strbuf_init(&r->joined);
	strbuf_init(&r->conv);
	strbuf_init(&r->data);
}

static void reader_release(struct reader *r)
{
	free(r->buf);
	strbuf_release(&r->joined);
	strbuf_release(&r->conv);
	strbuf_release(&r->data);
	free(r->offs);
	free(r->lens);
	free(r->ptrs);
	free(r->comma_at);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
}

/* The length of the byte-order mark p starts with (n bytes, the first of
 * the input): UTF-8's, or with gb GB18030's too; 0 if none. */
static size_t bom_length(const unsigned char *p, size_t n, bool gb)
{
	if (gb && n >= sizeof(gb_bom) && memcmp(p, gb_bom, sizeof(gb_bom)) == 0)
		return sizeof(gb_bom);
	return n >= sizeof(bom) && memcmp(p, bom, sizeof(bom)) == 0 ? sizeof(bom) : 0;
}

/* A byte-order mark at the start of the input (p, n of its first bytes),
 * unless mid-stream: taken off (raw_end past it); returns its length,
 * or 0. */
static size_t skip_bom(struct reader *r, const unsigned char *p, size_t n)
{
	size_t k = r->no_bom ? 0 : bom_length(p, n, r->gb);

	if (k)
		r->raw_end = (long long)k;
	return k;
}

/* The end of the input, `at` bytes in: a character still waiting is cut
 * off by it. */
static void end_of_input(struct reader *r, long long at)
{
	r->base = at;
	if (!r->stop) {
		r->raw_end = r->base;
		piece(r, NULL, 0, r->line, true);
		if (r->stop || r->more_follows || !r->can_rewind || r->seek_pending)
			return;
		bool open = quote_open(r);
		/* A field opened on an earlier line, never closed: the lines
		 * after the one it opened on are read again as records.  (A
		 * quote just closed, FIELD_MIGHT_HAVE_ENDED, is closed: a last
		 * multi-line cell with no line end after it was taken for one
		 * never closed.) */
		if (open && r->quote_end < at)
			cut_at_quote_line(r);
		/* The last record, with no line end after it: ended here, where
		 * it may still be cut (on_record) and the lines after its quote
		 * read again, as with a line end. */
		else if (!open && r->p.pstate != ROW_NOT_BEGUN)
			csv_fini(&r->p, on_field, on_record, r);
	}
}

/* After a record cut at quote_end (cut_at_quote_line): true, and *pos is
 * where reading resumes, on the line after the cut. */
static bool resume(struct reader *r, long long *pos)
{
	if (!r->seek_pending || r->stop)
		return false;
	r->seek_pending = false;
	r->line = r->seek_line;
	r->after_cr = false;
	r->ncarry = 0;
	r->count_line = 0;   /* the lines read again start a count of their own */
	*pos = r->seek_to;
	return true;
}

/* Up to n bytes of f, as fread; a stream's through its lookback, which
 * then keeps nothing from before the record being read. */
static size_t read_bytes(struct reader *r, unsigned char *dst, size_t n)
{
	if (!r->lb)
		return fread(dst, 1, n, r->f);
	lookback_forget_before(r->lb, r->rec_from);
	size_t k = lookback_read(r->lb, r->f, dst, n);
	/* a record over the limit is no longer kept whole: it is read on as
	 * from a pipe that cannot be read again */
	if (r->rec_from < lookback_kept_from(r->lb))
		r->can_rewind = false;
	return k;
}

static int read_stream(struct reader *r, off_t start);

/* A stream whose quoted field, opened on an earlier line, has gone on for
 * more than a record may hold, and would next outgrow what is kept: read
 * as a quote never closed, now, while the lines after its own are still
 * kept to be read again (a file reads on to the end or to a closing
 * quote, then reads them again from the file: the same records unless a
 * quote closes it that far on).  True when so cut. */
static bool stream_quote_too_long(struct reader *r)
{
	if (!r->lb || !quote_open(r) || r->quote_end == LLONG_MAX ||
	    r->quote_end < lookback_kept_from(r->lb) || !r->can_rewind ||
	    r->lb->len <= r->max_record || r->lb->len + r->chunk <= r->lb->limit)
		return false;
	r->ncarry = 0;
	cut_at_quote_line(r);
	return true;
}

/* Read f to the end (or until stopped), splitting it into pieces.  Returns
 * 0, or the errno of a read error.  A regular file can be read again from
 * an offset (quotes never closed, stray quotes): it is sought; a stream
 * (a pipe read as it comes) is read again from the bytes it keeps of the
 * record being read (lookback.h), at most a record's limit of them. */
static int read_all(struct reader *r)
{
	struct stat st;
	off_t start = ftello(r->f);
	r->can_rewind = start >= 0 && fstat(fileno(r->f), &st) == 0 && S_ISREG(st.st_mode);
	if (r->can_rewind)
		return read_stream(r, start);
	struct lookback lb;
	/* the record limit, and the chunk being read and the one before */
	size_t room = r->max_record <= SIZE_MAX - 2 * r->chunk ? r->max_record + 2 * r->chunk : SIZE_MAX;
	lookback_init(&lb, room);
	r->lb = &lb;
	r->rec_from = 0;
	r->can_rewind = true;
	int e = read_stream(r, start);
	r->lb = NULL;
	lookback_release(&lb);
	return e;
}

static int read_stream(struct reader *r, off_t start)
{
	unsigned char head[CSVIN_BOM_MAX];
	size_t n, k;
	bool more;
	long long pos;

	/* The first bytes decide on the byte-order mark. */
	errno = 0;
	n = read_bytes(r, head, sizeof(head));
	if (n < sizeof(head) && ferror(r->f))
		return errno ? errno : EIO;
	r->base = 0;
	k = skip_bom(r, head, n);
	split(r, head + k, n - k);
	r->base = (long long)n;
	more = n == sizeof(head);
	for (;;) {
		while (more && !r->stop && !r->seek_pending) {
			if (stream_quote_too_long(r))
				break;
			errno = 0;
			n = read_bytes(r, r->buf, r->chunk);
			split(r, r->buf, n);
			if (r->seek_pending)
				break;
			r->base += (long long)n;
			if (n < r->chunk) {
				if (ferror(r->f))
					return errno ? errno : EIO;
				more = false;
			}
		}
		if (!r->seek_pending)
			end_of_input(r, r->base);
		if (!resume(r, &pos))
			return 0;
		errno = 0;
		if (r->lb ? !lookback_seek(r->lb, pos) : fseeko(r->f, start + (off_t)pos, SEEK_SET) != 0)
			return errno ? errno : EIO;
		r->base = pos;
		more = true;
	}
}

/* The same over bytes in memory (a chunk of a mapped file), split in
 * steps of the chunk size as read_all does. */
static void read_mem(struct reader *r)
{
	long long pos = (long long)skip_bom(r, r->mem, r->memlen);

	r->can_rewind = true;
	do {
		while ((size_t)pos < r->memlen && !r->stop && !r->seek_pending) {
			size_t left = r->memlen - (size_t)pos;
			size_t n = left < r->chunk ? left : r->chunk;
			r->base = pos;
			split(r, r->mem + pos, n);
			if (!r->seek_pending)
				pos += (long long)n;
		}
		if (!r->seek_pending)
			end_of_input(r, pos);
	} while (resume(r, &pos));
}

/* n bytes of the file fd from off into buf: 0, or the errno of a read
 * error (EIO for a file that ends first). */
static int pread_exactly(int fd, unsigned char *buf, size_t n, long long off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, buf + got, n - got, (off_t)(off + (long long)got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		got += (size_t)k;
	}
	return 0;
}

/* The same over memlen bytes of a file from fd_off, read a chunk at a
 * time with pread (the buffer stays in the cache however long the
 * range), the first bytes first, as read_all does.  Returns 0, or
 * the errno of a read error (EIO for a file that ends before the range). */
static int read_range(struct reader *r)
{
	unsigned char head[CSVIN_BOM_MAX];
	size_t n = r->memlen < sizeof(head) ? r->memlen : sizeof(head);
	long long pos;
	int e = pread_exactly(r->fd, head, n, r->fd_off);

	if (e)
		return e;
	r->can_rewind = true;
	r->base = 0;
	pos = (long long)skip_bom(r, head, n);
	split(r, head + pos, n - (size_t)pos);
	pos = (long long)n;
	do {
		while ((size_t)pos < r->memlen && !r->stop && !r->seek_pending) {
			size_t left = r->memlen - (size_t)pos;
			n = left < r->chunk ? left : r->chunk;
			if ((e = pread_exactly(r->fd, r->buf, n, r->fd_off + pos)) != 0)
				return e;
			r->base = pos;
			split(r, r->buf, n);
			if (!r->seek_pending)
				pos += (long long)n;
		}
		if (!r->seek_pending)
			end_of_input(r, pos);
	} while (resume(r, &pos));
	return 0;
}

/* An enum encoding, or -1 for an unknown name. */
static int encoding_kind(const char *enc)
{
	if (enc == NULL || strcasecmp(enc, "utf-8") == 0 ||
	    strcasecmp(enc, "utf8") == 0)
		return ENC_UTF8;
	if (strcasecmp(enc, "gb18030") == 0)
		return ENC_GB18030;
	if (strcasecmp(enc, "gbk") == 0)
		return ENC_GBK;
	return -1;
}

size_t csvin_bom_length(const void *head, size_t n, const char *encoding)
{
	return bom_length(head, n, encoding_kind(encoding) > ENC_UTF8);
}

static int read_any(FILE *f, const unsigned char *mem, size_t memlen, int fd, long long fd_off,
		    const char *name, const struct csvin_options *opt, csvin_record_fn fn, void *ctx,
		    char *err, size_t errlen)
{
	static const struct csvin_options defaults;
	struct reader r;
	int kind, e, ret;

	if (opt == NULL)
		opt = &defaults;
	if (name == NULL)
		name = "input";
	kind = encoding_kind(opt->encoding);
	if (kind < 0) {
		snprintf(err, errlen, "%s: unknown encoding '%s' (use utf-8, "
			 "gb18030 or gbk)", name, opt->encoding);
		return -1;
	}
	reader_init(&r, f, opt->chunk);
	r.enc = (enum encoding)kind;
	r.gb = r.enc != ENC_UTF8;
	/* GBK is read as GB18030, its superset but for one byte (gbk_euro). */
	if (r.gb && (r.cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		snprintf(err, errlen, "%s: cannot convert from %s: %s",
			 name, encoding_names[r.enc], strerror(errno));
		reader_release(&r);
		return -1;
	}
	r.max_cell = opt->max_cell ? opt->max_cell : CSVIN_DEFAULT_MAX_CELL;
	r.max_fields = opt->max_fields ? opt->max_fields
				       : CSVIN_DEFAULT_MAX_FIELDS;
	r.max_record = r.max_cell <= SIZE_MAX / RECORD_CELLS
		       ? r.max_cell * RECORD_CELLS : SIZE_MAX;
	r.fn = fn;
	r.ctx = ctx;
	r.row = opt->first_row;
	if (opt->first_line)
		r.line = opt->first_line;
	r.no_bom = opt->mid_stream;
	r.utf8_checked = opt->utf8_checked && !r.gb;
	r.libcsv_only = opt->libcsv_only;
	r.more_follows = opt->more_follows;
	r.expect = opt->expect_fields;
	r.mem = mem;
	r.memlen = memlen;
	r.fd = fd;
	r.fd_off = fd_off;
	csv_init(&r.p, 0);   /* lenient: no CSV_STRICT */

	e = fd >= 0 ? read_range(&r) : mem ? (read_mem(&r), 0) : read_all(&r);
	if (e != 0) {
		snprintf(err, errlen, "%s: cannot read: %s", name, strerror(e));
		ret = -1;
	} else if (r.stop) {
		ret = r.stop;
	} else {
		if (opt->open_at_end)
			*opt->open_at_end = r.p.pstate != ROW_NOT_BEGUN;
		r.can_rewind = false;   /* nothing is read after this */
		if (quote_open(&r))
			set_problem(&r, true, "unterminated quoted field in "
				    "cell %zu: the quote opened on line %zu is "
				    "never closed", r.nseen + 1, r.quote_line);
		csv_fini(&r.p, on_field, on_record, &r);
		ret = r.stop;
	}
	csv_free(&r.p);
	reader_release(&r);
	return ret;
}

int csvin_read(FILE *f, const char *name, const struct csvin_options *opt,
	       csvin_record_fn fn, void *ctx, char *err, size_t errlen)
{
	return read_any(f, NULL, 0, -1, 0, name, opt, fn, ctx, err, errlen);
}

int csvin_read_mem(const char *buf, size_t len, const char *name, const struct csvin_options *opt,
		   csvin_record_fn fn, void *ctx, char *err, size_t errlen)
{
	static const unsigned char none[1];
	return read_any(NULL, len ? (const unsigned char *)buf : none, len, -1, 0, name, opt, fn, ctx,
			err, errlen);
}

int csvin_read_range(int fd, long long offset, size_t len, const char *name,
		     const struct csvin_options *opt, csvin_record_fn fn, void *ctx, char *err,
		     size_t errlen)
{
	return read_any(NULL, NULL, len, fd, offset, name, opt, fn, ctx, err, errlen);
}

/* Line ends in b[0..n): each LF, CR and CRLF once, as split() counts
 * them; *cr says whether the byte before b[0] was a CR. */
static size_t line_ends(const unsigned char *b, size_t n, bool *cr)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		count += b[i] == '\r' || (b[i] == '\n' && !*cr);
		*cr = b[i] == '\r';
	}
	return count;
}

/* The physical line of the byte at offset off of f, counted from the
 * start again (only when a bad byte was found); 0 if f cannot be read. */
static size_t line_at(FILE *f, long long off, unsigned char *buf, size_t size)
{
	size_t line = 1, n;
	bool cr = false;

	if (fseek(f, 0, SEEK_SET) != 0)
		return 0;
	while (off > 0) {
		n = fread(buf, 1, off < (long long)size ? (size_t)off : size, f);
		if (n == 0)
			return 0;
		line += line_ends(buf, n, &cr);
		off -= (long long)n;
	}
	return line;
}

/*
 * The check reads whole chunks, not lines: a line end is ASCII, so it
 * cannot be part of a character, and UTF-8 across line ends is invalid
 * exactly where it is invalid line by line.  A character cut by the end
 * of a chunk is moved to the front of the buffer and read with the next
 * one.  Lines are counted only once a bad byte is found.
 */
/* 256 KiB a read: the buffer stays in the core's own cache, and is a
 * quarter of the pages to fault in (each fault costs some 10 us on a
 * paravirtualized machine: a MiB of them was 3 ms). */
#define CHECK_STEP ((size_t)256 << 10)
#define SPLIT_MIN ((size_t)8 << 20)   /* a smaller file: one process */

/* Bytes [from, to) of fd valid UTF-8?  Then to; else where the first bad
 * byte is; (size_t)-1 if they cannot be read.  Read a MiB at a time (read
 * is cheaper than a page fault for each folio of a mapping), a character
 * cut by a step's end carried to the next. */
size_t csvin_utf8_valid_upto(int fd, size_t from, size_t to)
{
	return csvin_utf8_valid_each(fd, from, to, NULL, NULL);
}

size_t csvin_utf8_valid_each(int fd, size_t from, size_t to, csvin_bytes_fn each, void *ctx)
{
	/* Mapped at once, not 64 faults; and not passed on to the --jobs
	 * workers, forked while the early check's thread reads on into it
	 * (each page would then be copied on its next write). */
	const size_t size = CHECK_STEP + 4096;   /* a step and a cut character's 3 bytes, in whole pages */
	unsigned char *buf = pages_unshared(size);
	size_t pos = from, carry = 0, ret = to;

	while (pos < to) {
		size_t want = to - pos < CHECK_STEP ? to - pos : CHECK_STEP;
		ssize_t got = pread(fd, buf + carry, want, (off_t)pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			ret = (size_t)-1;
			break;
		}
		if (each && !each(ctx, (const char *)buf + carry, (size_t)got)) {
			ret = (size_t)-1;
			break;
		}
		pos += (size_t)got;
		size_t n = carry + (size_t)got, e = n, k = n;
		if (pos < to) {
			/* A lead and up to three continuations at the end may
			 * be a character the next step completes. */
			while (k > 0 && n - k < 3 && (buf[k - 1] & 0xC0) == 0x80)
				k--;
			if (k > 0 && buf[k - 1] >= 0xC0)
				e = k - 1;
		}
		size_t v = utf8_valid_prefix((const char *)buf, e);
		if (v < e) {
			ret = pos - n + v;
			break;
		}
		memmove(buf, buf + e, n - e);
		carry = n - e;
	}
	munmap(buf, size);
	return ret;
}

int csvin_utf8_child_start(int file, size_t from, size_t to, pid_t *pid, int *fd)
{
	int pfd[2];

	if (pipe(pfd) != 0)
		return -1;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (*pid == 0) {
		size_t at = csvin_utf8_valid_upto(file, from, to);
		ssize_t w = write(pfd[1], &at, sizeof at);
		_exit(w == (ssize_t)sizeof at ? 0 : 1);
	}
	close(pfd[1]);
	*fd = pfd[0];
	return 0;
}

size_t csvin_utf8_child_answer(pid_t pid, int fd)
{
	size_t at = (size_t)-1;
	ssize_t r;
	do
		r = read(fd, &at, sizeof at);
	while (r < 0 && errno == EINTR);
	close(fd);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r == (ssize_t)sizeof at ? at : (size_t)-1;
}

size_t csvin_utf8_start(int file)
{
	unsigned char head[sizeof(bom)];
	return pread(file, head, sizeof(bom), 0) == (ssize_t)sizeof(bom) &&
	       memcmp(head, bom, sizeof(bom)) == 0 ? sizeof(bom) : 0;
}

/*
 * The same check read with pread, a MiB at a time, each step in one call
 * (utf8_valid_prefix checks sixteen bytes at a time where it can); with
 * ways >= 2 and a large file, its second half in a child process at the
 * same time.  1 if valid, 0 if not (*bad_off: where), -1 if the file is
 * not a regular file or cannot be read.
 */
static int check_fd(FILE *f, int ways, long long *bad_off)
{
	struct stat sb;
	unsigned char head[1];
	size_t size, start, mid, at;
	pid_t pid = -1;
	int fd = -1, file = fileno(f);

	if (fstat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0)
		return -1;
	size = (size_t)sb.st_size;
	start = csvin_utf8_start(file);
	mid = size;
	if (ways >= 2 && size >= SPLIT_MIN) {
		mid = start + (size - start) / 2;
		/* The second half starts a character. */
		while (mid < size && pread(file, head, 1, (off_t)mid) == 1 && (head[0] & 0xC0) == 0x80 &&
		       mid < start + (size - start) / 2 + 3)
			mid++;
		if (csvin_utf8_child_start(file, mid, size, &pid, &fd) != 0)
			mid = size;
	}
	at = csvin_utf8_valid_upto(file, start, mid);
	if (pid > 0) {
		size_t there = csvin_utf8_child_answer(pid, fd);
		if (there > size)
			there = csvin_utf8_valid_upto(file, mid, size);   /* the child failed: here */
		if (at == mid)
			at = there;
	}
	if (at == (size_t)-1)
		return -1;
	if (at < size) {
		*bad_off = (long long)at;
		return 0;
	}
	return 1;
}

int csvin_check_utf8(FILE *f, size_t *bad_line, unsigned *bad_byte)
{
	return csvin_check_utf8_ways(f, 1, bad_line, bad_byte);
}

int csvin_check_utf8_ways(FILE *f, int ways, size_t *bad_line, unsigned *bad_byte)
{
	unsigned char *buf;
	size_t keep = 0, n, len, k, skip;
	long long off = 0;     /* file offset of buf[0] */
	int ret = 1;

	if (fseek(f, 0, SEEK_SET) != 0)
		return -1;
	/* Valid (check_fd, the fast way): done.  Not valid: the reading
	 * below finds the byte again and counts its line. */
	if (check_fd(f, ways, &off) == 1)
		return 1;
	off = 0;
	buf = xrealloc(NULL, sizeof(bom) + DEFAULT_CHUNK);
	for (;;) {
		n = fread(buf + keep, 1, DEFAULT_CHUNK, f);
		if (n < DEFAULT_CHUNK && ferror(f)) {
			ret = -1;
			break;
		}
		len = keep + n;
		/* The first three bytes may be a byte-order mark. */
		skip = off == 0 && len >= sizeof(bom) &&
		       memcmp(buf, bom, sizeof(bom)) == 0 ? sizeof(bom) : 0;
		k = skip + utf8_valid_prefix((const char *)buf + skip, len - skip);
		if (k < len && n == DEFAULT_CHUNK && utf8_incomplete(buf + k, len - k)) {
			memmove(buf, buf + k, len - k);
			off += (long long)k;
			keep = len - k;
			continue;
		}
		if (k < len) {
			*bad_byte = buf[k];
			*bad_line = line_at(f, off + (long long)k, buf, DEFAULT_CHUNK);
			ret = *bad_line ? 0 : -1;
			break;
		}
		if (n < DEFAULT_CHUNK)
			break;
		off += (long long)len;
		keep = 0;
	}
	free(buf);
	clearerr(f);
	if (fseek(f, 0, SEEK_SET) != 0)
		ret = -1;
	return ret;
}
