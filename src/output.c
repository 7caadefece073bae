/* output — csv, jsonl and table writers; see output.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "json.h"
#include "numtext.h"
#include "output.h"
#include "strbuf.h"
#include "version.h"

#define TABLE_SAMPLE 200
/* jsonl: records held up to this many bytes (or OUTPUT_HELD records). */
#define JSONL_HELD_BYTES (256 << 10)
#define NCOLS 10

static const char *HEADER[NCOLS] = { "row", "line", "id", "decision", "verdict", "score", "grade",
				     "failed", "missing", "reason" };
static const int MAX_WIDTH[NCOLS] = { 8, 8, 24, 14, 19, 6, 11, 28, 40, 0 };

#define ONES 0x0101010101010101u

/* Non-zero when a byte of w is the byte that c holds in each of its eight:
 * the exact zero-byte test on w ^ c. */
static uint64_t has_byte(uint64_t w, uint64_t c)
{
	uint64_t x = w ^ c;

	return (x - ONES) & ~x & (ONES << 7);
}

/* Whether s[0..len) holds a comma, quote, CR or LF: sixteen bytes at a
 * time (SSE2), then eight (loaded with memcpy, so s need not be aligned),
 * then the rest. */
static bool has_special(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

#ifdef __SSE2__
	/* A reason is a hundred bytes or more: sixteen at a time first. */
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'),
		      cr = _mm_set1_epi8('\r');
	for (; len - i >= 16; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, comma), _mm_cmpeq_epi8(b, quote)),
					   _mm_or_si128(_mm_cmpeq_epi8(b, lf), _mm_cmpeq_epi8(b, cr)));
		if (_mm_movemask_epi8(hit))
			return true;
	}
#endif
	for (; len - i >= 8; i += 8) {
		memcpy(&w, s + i, sizeof(w));
		if (has_byte(w, ONES * ',') | has_byte(w, ONES * '"') |
		    has_byte(w, ONES * '\n') | has_byte(w, ONES * '\r'))
			return true;
	}
	for (; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return true;
	return false;
}

/* RFC 4180: quote a field that holds a comma, quote, CR, LF or edge space. */
void output_csv_field(struct strbuf *sb, const char *s, size_t len)
{
	const char *end = s + len, *q;

	if (!(len > 0 && (s[0] == ' ' || s[len - 1] == ' ')) &&
	    !has_special(s, len)) {
		strbuf_add(sb, s, len);
		return;
	}
	strbuf_addch(sb, '"');
	/* Each run up to a quote and the quote, then the quote again. */
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		strbuf_add(sb, s, (size_t)(q - s) + 1);
		strbuf_addch(sb, '"');
		s = q + 1;
	}
	strbuf_add(sb, s, (size_t)(end - s));
	strbuf_addch(sb, '"');
}

/* n in decimal into buf, as "%zu" writes it; returns its length. */
static size_t format_size(char buf[32], size_t n)
{
	size_t len = numtext_uint(buf, n);
	buf[len] = '\0';
	return len;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The ten fields of a record as text (score with one decimal). */
static void fields_of(const struct output *out, const struct out_record *r, char num[3][32],
		      const char *f[NCOLS], size_t len[NCOLS])
{
	size_t row_len = format_size(num[0], r->row);
	size_t line_len = format_size(num[1], r->line);

	if (r->has_score)
		snprintf(num[2], 32, "%.1f", r->score);
	else
		num[2][0] = '\0';
	f[0] = num[0]; f[1] = num[1]; f[2] = or_empty(r->id); f[3] = or_empty(out->decision);
	f[4] = or_empty(r->verdict); f[5] = num[2]; f[6] = or_empty(r->grade);
	f[7] = or_empty(r->failed); f[8] = or_empty(r->missing); f[9] = or_empty(r->reason);
	len[0] = row_len;
	len[1] = line_len;
	for (int i = 2; i < NCOLS; i++)
		len[i] = i == 2 && r->id ? r->id_len : strlen(f[i]);
}

static void write_csv(struct output *out, const struct out_record *r)
{
	char num[3][32];
	const char *f[NCOLS];
	size_t len[NCOLS];
	fields_of(out, r, num, f, len);
	struct strbuf *sb = out->into ? out->into : out->line;
	if (!out->into)
		strbuf_reset(sb);
	for (int i = 0; i < NCOLS; i++) {
		if (i)
			strbuf_addch(sb, ',');
		output_csv_field(sb, f[i], len[i]);
	}
	strbuf_addch(sb, '\n');
	if (!out->into)
		fwrite(sb->buf, 1, sb->len, out->f);
}

/* ,"key":"s" (key: a string literal), or ,"key":null for an empty s when
 * null_if_empty. */
#define json_member(sb, key, s, len, null_if_empty) \
	json_member_((sb), ",\"" key "\":", sizeof(",\"" key "\":") - 1, (s), (len), (null_if_empty))

static void json_member_(struct strbuf *sb, const char *head, size_t headlen, const char *s, size_t len,
			 bool null_if_empty)
{
	strbuf_add(sb, head, headlen);
	if (null_if_empty && (!s || len == 0))
		strbuf_add(sb, "null", 4);
	else
		json_quote(sb, s ? s : "", s ? len : 0);
}

/* A string literal, its length known when compiled. */
#define ADD_LIT(sb, lit) strbuf_add((sb), (lit), sizeof(lit) - 1)

/* The members every record of a run shares, quoted once (jsonl). */
static void jsonl_fixed(struct output *out)
{
	out->jsonl_decision = malloc(sizeof *out->jsonl_decision);
	out->jsonl_tail = malloc(sizeof *out->jsonl_tail);
	if (!out->jsonl_decision || !out->jsonl_tail)
		abort();
	strbuf_init(out->jsonl_decision);
	strbuf_init(out->jsonl_tail);
	json_member(out->jsonl_decision, "decision", out->decision, strlen(or_empty(out->decision)), false);
	struct strbuf *t = out->jsonl_tail;
	json_member(t, "as_of", out->as_of, strlen(or_empty(out->as_of)), false);
	json_member(t, "rules_digest", out->digest, strlen(or_empty(out->digest)), false);
	json_member(t, "ruleset", out->ruleset, strlen(or_empty(out->ruleset)), false);
	json_member(t, "ruleset_version", out->version, strlen(or_empty(out->version)), false);
	strbuf_addstr(t, ",\"engine\":\"verdict " VERDICT_VERSION "\"");
	if (out->limits_json)
		strbuf_addstr(t, out->limits_json);
}

/* The trace of a record INVALID or ERROR: no rule was evaluated to the end. */
static const char *no_rules(const struct output *out)
{
	return out->scored ? ",\"rules\":[],\"criteria\":[]" : ",\"rules\":[]";
}

static void write_jsonl(struct output *out, const struct out_record *r)
{
	struct held_jsonl *h = &out->jheld[out->njheld];
	struct strbuf *sb = out->into ? out->into : &h->head;
	char num[32];
	if (!out->jsonl_tail)
		jsonl_fixed(out);
	if (!out->into)
		strbuf_reset(sb);
	ADD_LIT(sb, "{\"row\":");
	strbuf_add(sb, num, format_size(num, r->row));
	ADD_LIT(sb, ",\"line\":");
	strbuf_add(sb, num, format_size(num, r->line));
	json_member(sb, "id", r->id, r->id ? r->id_len : 0, false);
	strbuf_add(sb, out->jsonl_decision->buf, out->jsonl_decision->len);
	json_member(sb, "verdict", r->verdict, strlen(or_empty(r->verdict)), false);
	if (r->has_score)
		strbuf_addf(sb, ",\"score\":%.1f", r->score);
	else
		strbuf_addstr(sb, ",\"score\":null");
	json_member(sb, "grade", r->grade, strlen(or_empty(r->grade)), true);
	json_member(sb, "failed", r->failed, strlen(or_empty(r->failed)), false);
	json_member(sb, "missing", r->missing, strlen(or_empty(r->missing)), false);
	json_member(sb, "reason", r->reason, strlen(or_empty(r->reason)), false);
	strbuf_add(sb, out->jsonl_tail->buf, out->jsonl_tail->len);
	if (out->into) {
		/* the record in one piece where the caller wants it */
		if (r->trace) {
			strbuf_add(sb, r->trace, r->trace_len);
		} else {
			strbuf_addstr(sb, no_rules(out));
			if (r->cells)
				strbuf_add(sb, r->cells, r->cells_len);
		}
		ADD_LIT(sb, "}\n");
		return;
	}
	struct strbuf *trace = &h->trace;
	strbuf_reset(trace);
	if (r->trace && r->trace_buf) {
		/* The trace (kilobytes) taken as it is: the evaluator's buffer
		 * and this one change places. */
		struct strbuf mine = *trace;
		*trace = *r->trace_buf;
		*r->trace_buf = mine;
		trace->len = r->trace_len;
	} else if (r->trace) {
		strbuf_add(trace, r->trace, r->trace_len);
	} else {
		strbuf_addstr(trace, no_rules(out));
		if (r->cells)
			strbuf_add(trace, r->cells, r->cells_len);
	}
	ADD_LIT(trace, "}\n");
	if (!out->hold_jsonl || fileno(out->f) < 0) {
		/* a terminal (a record shows as it comes), or a stream of
		 * memory: written at once */
		fwrite(sb->buf, 1, sb->len, out->f);
		fwrite(trace->buf, 1, trace->len, out->f);
		return;
	}
	out->njheld++;
	out->jheld_bytes += sb->len + trace->len;
	if (out->njheld == OUTPUT_HELD || out->jheld_bytes >= JSONL_HELD_BYTES)
		output_flush(out);
}

/* The held records by writev, straight from their buffers: a trace is
 * written from where the evaluator wrote it, never copied. */
static bool write_held(struct output *out, int fd)
{
	struct iovec iov[2 * OUTPUT_HELD];
	int n = 0;
	for (size_t i = 0; i < out->njheld; i++) {
		iov[n++] = (struct iovec){ out->jheld[i].head.buf, out->jheld[i].head.len };
		iov[n++] = (struct iovec){ out->jheld[i].trace.buf, out->jheld[i].trace.len };
	}
	struct iovec *v = iov;
	while (n > 0) {
		ssize_t k = writev(fd, v, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return false;
		while (n > 0 && (size_t)k >= v->iov_len) {
			k -= (ssize_t)v->iov_len;
			v++;
			n--;
		}
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + k;
			v->iov_len -= (size_t)k;
		}
	}
	return true;
}

void output_flush(struct output *out)
{
	if (!out->njheld)
		return;
	int fd = fileno(out->f);
	if (fd >= 0 && fflush(out->f) == 0) {
		if (!write_held(out, fd) && !out->write_failed) {
			out->write_failed = true;
			out->write_errno = errno;
		}
	} else {
		for (size_t i = 0; i < out->njheld; i++) {
			fwrite(out->jheld[i].head.buf, 1, out->jheld[i].head.len, out->f);
			fwrite(out->jheld[i].trace.buf, 1, out->jheld[i].trace.len, out->f);
		}
	}
	out->njheld = 0;
	out->jheld_bytes = 0;
}

size_t output_display_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			w++;
		else if (c >= 0xE0)
			w += 2;   /* three- and four-byte characters: CJK and wide */
		else if (c >= 0xC0)
			w++;
	}
	return w;
}

void output_add_visible(struct strbuf *sb, const char *s, size_t len, bool keep_lines)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool control = (c < 0x20 && !(keep_lines && c == '\n')) || c == 0x7F;
		strbuf_addch(sb, control ? '?' : (char)c);
	}
}

/* Append s cut to width columns (with "…"), padded with spaces to width. */
static void cell_fit(struct strbuf *sb, const char *s, size_t len, int width, bool pad)
{
	size_t w = output_display_width(s, len);
	if (width > 0 && w > (size_t)width) {
		size_t i = 0, used = 0;
		while (i < len) {
			unsigned char c = (unsigned char)s[i];
			size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			size_t cw = c < 0x80 ? 1 : c >= 0xE0 ? 2 : 1;
			if (n > len - i)
				n = len - i;   /* a character cut off (not UTF-8) */
			if (used + cw > (size_t)width - 1)
				break;
			output_add_visible(sb, s + i, n, false);
			used += cw;
			i += n;
		}
		strbuf_addstr(sb, "…");
		used++;
		w = used;
	} else {
		output_add_visible(sb, s, len, false);
	}
	while (pad && width > 0 && w < (size_t)width) {
		strbuf_addch(sb, ' ');
		w++;
	}
}

static void table_line(struct output *out, const char *f[NCOLS], const size_t len[NCOLS])
{
	struct strbuf *sb = out->line;
	strbuf_reset(sb);
	for (int i = 0; i < NCOLS; i++) {
		if (i == 3)
			continue;   /* the decision is the same on every line */
		cell_fit(sb, f[i], len[i], out->width[i], i != NCOLS - 1);
		if (i != NCOLS - 1)
			strbuf_addstr(sb, "  ");
	}
	strbuf_addch(sb, '\n');
	fwrite(sb->buf, 1, sb->len, out->f);
}

static void table_fix_widths(struct output *out)
{
	const char *f[NCOLS];
	size_t len[NCOLS];
	for (int i = 0; i < NCOLS; i++) {
		f[i] = HEADER[i];
		len[i] = strlen(HEADER[i]);
	}
	out->widths_fixed = true;
	for (int i = 0; i < NCOLS; i++) {
		if (out->width[i] < (int)len[i])
			out->width[i] = (int)len[i];
		if (MAX_WIDTH[i] && out->width[i] > MAX_WIDTH[i])
			out->width[i] = MAX_WIDTH[i];
	}
	out->width[NCOLS - 1] = 0;
	table_line(out, f, len);
	for (size_t k = 0; k < out->nbuffered; k++) {
		char num[3][32];
		fields_of(out, &out->held[k], num, f, len);
		table_line(out, f, len);
	}
	for (size_t k = 0; k < out->nbuffered; k++)
		free(out->held_text[k]);
	out->nbuffered = 0;
}

/* Hold the first rows (deep-copied) to size the columns. */
static void table_hold(struct output *out, const struct out_record *r)
{
	char num[3][32];
	const char *f[NCOLS];
	size_t len[NCOLS];
	fields_of(out, r, num, f, len);
	for (int i = 0; i < NCOLS; i++) {
		int w = (int)output_display_width(f[i], len[i]);
		if (w > out->width[i])
			out->width[i] = w;
	}
	struct out_record *h = &out->held[out->nbuffered];
	size_t total = len[2] + len[4] + len[6] + len[7] + len[8] + len[9] + 6;
	char *p = malloc(total);
	if (!p)
		abort();
	out->held_text[out->nbuffered++] = p;
	*h = *r;
	h->trace = NULL;
	const char **dst[6] = { &h->id, &h->verdict, &h->grade, &h->failed, &h->missing, &h->reason };
	int idx[6] = { 2, 4, 6, 7, 8, 9 };
	for (int k = 0; k < 6; k++) {
		memcpy(p, f[idx[k]], len[idx[k]]);
		p[len[idx[k]]] = '\0';
		*dst[k] = p;
		p += len[idx[k]] + 1;
	}
	h->id_len = len[2];
}

void output_prepare(struct output *out)
{
	if (out->line)
		return;
	out->line = malloc(sizeof *out->line);
	if (!out->line)
		abort();
	strbuf_init(out->line);
}

void output_begin(struct output *out)
{
	output_prepare(out);
	int fd = fileno(out->f);
	out->hold_jsonl = fd >= 0 && !isatty(fd);
	/* A chunk's output without its header is joined after another's: a
	 * mark there would become part of a cell in Excel.  The first
	 * chunk's run, with its header, writes the mark. */
	if (out->bom && !(out->format == FMT_CSV && out->no_header))
		fputs("\xEF\xBB\xBF", out->f);
	if (out->format == FMT_CSV && !out->no_header)
		fputs("row,line,id,decision,verdict,score,grade,failed,missing,reason\n", out->f);
	if (out->format == FMT_TABLE) {
		out->held = calloc(TABLE_SAMPLE, sizeof *out->held);
		out->held_text = calloc(TABLE_SAMPLE, sizeof *out->held_text);
		if (!out->held || !out->held_text)
			abort();
	}
}

void output_into(struct output *out, struct strbuf *sb)
{
	output_flush(out);
	out->into = sb;
}

void output_record(struct output *out, const struct out_record *r)
{
	switch (out->format) {
	case FMT_JSONL:
		write_jsonl(out, r);
		return;
	case FMT_TABLE:
		if (!out->widths_fixed) {
			table_hold(out, r);
			if (out->nbuffered == TABLE_SAMPLE)
				table_fix_widths(out);
			return;
		} else {
			char num[3][32];
			const char *f[NCOLS];
			size_t len[NCOLS];
			fields_of(out, r, num, f, len);
			table_line(out, f, len);
		}
		return;
	default:
		write_csv(out, r);
	}
}

void output_release(struct output *out)
{
	for (size_t i = 0; i < OUTPUT_HELD; i++) {
		strbuf_release(&out->jheld[i].head);
		strbuf_release(&out->jheld[i].trace);
	}
	out->njheld = out->jheld_bytes = 0;
	free(out->held);
	free(out->held_text);
	out->held = NULL;
	out->held_text = NULL;
	struct strbuf **owned[] = { &out->line, &out->jsonl_decision, &out->jsonl_tail };
	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) {
		if (*owned[i]) {
			strbuf_release(*owned[i]);
			free(*owned[i]);
			*owned[i] = NULL;
		}
	}
}

int output_end(struct output *out)
{
	if (out->format == FMT_TABLE && !out->widths_fixed)
		table_fix_widths(out);
	output_flush(out);
	output_release(out);
	if (fflush(out->f) != 0 || ferror(out->f) || out->write_failed)
		return -1;
	return 0;
}
