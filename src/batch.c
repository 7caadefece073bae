/* batch — the shared read / type / evaluate loop; see batch.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "batch.h"
#include "cell.h"
#include "chunks.h"
#include "csvin.h"
#include "csvin_zh.h"
#include "diag.h"
#include "early_check.h"
#include "idset.h"
#include "json.h"
#include "pages.h"
#include "spool.h"
#include "strbuf.h"
#include "wire.h"
#include "workers.h"

struct run {
	struct ruleset **rs;
	size_t nsets;
	const struct batch_options *o;
	const struct batch_sink *sink;
	struct batch_stats *st;
	const char *name;              /* input name for messages */
	long long size;                /* input size, for progress (0 = unknown) */
	int decision;
	const struct decision_def *d;
	struct header_map hm;
	bool have_header;
	bool hm_built;                 /* hm holds a map to release (have_header, or a failure after it) */
	struct evaluator *ev[2];
	struct value *vals;
	/* diff: the second rule set reads the header by its own declarations
	 * (its columns may be declared in another order, with other types, or
	 * newly required), into its own values. */
	struct {
		const struct decision_def *d;
		struct header_map hm;
		bool mapped;
		struct value *vals;
		struct strbuf why_en, why_zh;
	} other;
	struct idset ids;
	bool ids_warned;   /* the 'more than N ids' warning was given */
	size_t repeats;    /* records whose id repeats an earlier one's */
	bool ids_reserved; /* the id memory sized from the first records */
	bool utf8_checked; /* the whole input was found valid UTF-8 before parsing */
	/* --jobs on a large file: the early check's answer is taken only
	 * before the first output, so that the workers start evaluating
	 * while it works (utf8_checked is set meanwhile; a "not valid"
	 * throws their work away and refuses the file as always). */
	bool utf8_pending;
	bool begin_pending;            /* sink->begin waits for that answer */
	int stop;                      /* non-zero: refused, or begin failed, amid chunks */
	FILE *input;
	size_t id_col;
	long as_of_field;              /* field giving a per-record as_of, or -1 */
	struct strbuf why_en, why_zh;
	struct strbuf problem_zh;      /* a reader problem in Chinese, before its column is named */
	struct strbuf id_text;         /* an id made valid UTF-8 (--encoding utf-8 lets bad bytes in) */
	struct strbuf shifted;         /* a reader problem, its lines shifted for a chunk */
	int status;
	struct timespec start, last_progress;
	bool progress_shown;
	struct batch_stats *count;     /* where evaluated records are counted */
	struct batch_stats batch_st;   /* a worker batch's own counts */
	struct workers *workers;
	struct workers_ops ops;
	size_t seen;                   /* records read (for the progress line) */
	/* --jobs: parsed records gathered into a job (input that cannot seek) */
	struct strbuf job;
	size_t job_records;
	/* --jobs on a file: raw chunks (the parent's side) */
	bool chunked;
	size_t chunk_bytes;            /* the size a raw chunk aims at */
	long long raw_start;           /* where the records begin in the file */
	size_t raw_line;               /* and on which line */
	size_t rows_done;              /* records merged so far */
	bool redo;                     /* a chunk was cut inside a record: read on here */
	long long redo_offset;
	size_t redo_line;
	bool raw_quotes_odd;           /* an odd number of '"' before raw_start */
	int input_fd;                  /* the input file, which workers read too */
	const char *map;               /* the input file mapped (the parent,
					  only when it cuts chunks itself) */
	size_t map_len;
	/* ... and a worker's */
	struct strbuf *text;   /* in a worker: the job's result, the output text */
	size_t text_at;        /* going in from here */
	struct strbuf chunk_meta;      /* per record: output offset, line, id */
	uint64_t chunk_records;
};

/* A job for a worker: records already parsed, or a raw chunk of the file. */
enum { JOB_RECORDS = 1, JOB_CHUNK = 2 };
#define JOB_MAX_RECORDS 512
#define JOB_MAX_BYTES   ((size_t)256 << 10)
#define CHUNK_BYTES     ((size_t)512 << 10)  /* a raw chunk is about 512 KiB */
#define TRACE_CHUNK_BYTES ((size_t)64 << 10) /* ... with a trace to write */
/* Result slots a worker (workers.h): how far a worker may run ahead of
 * the oldest chunk out.  The two vCPUs of a virtual machine often run at
 * different speeds for a while (the host's other tenants); with two slots
 * a worker, the faster worker then waited for a job 17 to 28 times a run
 * at 200,000 rows (32-45 ms in all), with four never more than once.  A
 * worker touches its third and fourth slots only when it is ahead; with
 * a trace a result is some 3 MiB, and two more slots would add 10 MiB or
 * more to the workers' memory. */
#define SLOTS_A_WORKER       4
#define TRACE_SLOTS_A_WORKER 2
#define CHUNK_MAX       ((size_t)16 << 20)   /* no record boundary within: read on here */
#define SWITCH_TO_CHUNKS 100                 /* csvin stopped after the header */
#define ID_AHEAD        16                   /* ids' slots fetched this many records ahead */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* n more records with verdict v. */
static void count_verdicts(struct batch_stats *st, const char *v, size_t n)
{
	for (size_t i = 0; i < st->ntokens; i++) {
		if (strcmp(st->tokens[i], v) == 0) {
			st->counts[i] += n;
			return;
		}
	}
	if (st->ntokens < BATCH_MAX_TOKENS) {
		snprintf(st->tokens[st->ntokens], sizeof st->tokens[0], "%s", v);
		st->counts[st->ntokens++] = n;
	}
}

static void count_verdict(struct batch_stats *st, const char *v)
{
	count_verdicts(st, v, 1);
}

/* Header cell i, quoted, as a message shows it: at most 40 bytes, cut
 * between characters ('id;name;opened_on;…'). */
static void add_cell_start(struct strbuf *sb, const struct csvin_record *hdr, size_t i)
{
	size_t n = hdr->lens[i] < 40 ? hdr->lens[i] : 40;
	while (n > 0 && n < hdr->lens[i] && ((unsigned char)hdr->fields[i][n] & 0xC0) == 0x80)
		n--;
	strbuf_addf(sb, diag_zh() ? "“%.*s%s”" : "'%.*s%s'", (int)n, hdr->fields[i], n < hdr->lens[i] ? "…" : "");
}

/* A header of one cell that holds semicolons or tabs: a file separated by
 * them (a European or "Text" export), said so with what to do; true if
 * said. */
static bool said_other_separator(const char *input_name, const struct csvin_record *hdr)
{
	const char *sep = NULL;
	if (hdr->nfields == 1 && memchr(hdr->fields[0], ';', hdr->lens[0]))
		sep = diag_zh() ? "分号（;）" : "semicolons (;)";
	else if (hdr->nfields == 1 && memchr(hdr->fields[0], '\t', hdr->lens[0]))
		sep = diag_zh() ? "制表符" : "tabs";
	if (!sep)
		return false;
	struct strbuf cell = STRBUF_INIT;
	add_cell_start(&cell, hdr, 0);
	diag_error2("%s: line 1: the header is one cell, its names separated by %s (it begins %s); "
		    "expected a CSV file, separated by commas: in Excel, save it as 'CSV UTF-8 (Comma "
		    "delimited)'",
		    "%s：第1行：表头只有一个单元格，列名以%s分隔（开头为%s）；应为以逗号分隔的CSV文件："
		    "请在Excel中另存为“CSV UTF-8（逗号分隔）”", input_name, sep, cell.buf);
	strbuf_release(&cell);
	return true;
}

int batch_choose_decision(struct ruleset *rs, const char *wanted, const struct csvin_record *hdr,
			  const char *input_name)
{
	if (wanted) {
		struct strbuf why = STRBUF_INIT;
		int i = ruleset_decision(rs, wanted, &why);
		if (i < 0)
			diag_error("%s", why.buf);
		strbuf_release(&why);
		return i;
	}
	int found = -1, nfit = 0;
	long best = -1;
	int closest = 0;
	struct strbuf fits = STRBUF_INIT;
	for (size_t k = 0; k < rs->ndecisions; k++) {
		size_t absent = header_absent_count(&rs->decisions[k], hdr);
		if (absent == 0) {
			strbuf_addf(&fits, "%s%s", nfit ? ", " : "", rs->decisions[k].name);
			found = (int)k;
			nfit++;
		}
		/* The closest decision is the one the header names most columns of. */
		long matched = (long)header_named_count(&rs->decisions[k], hdr);
		if (matched > best) {
			best = matched;
			closest = (int)k;
		}
	}
	if (nfit == 1) {
		strbuf_release(&fits);
		return found;
	}
	if (nfit > 1)
		diag_error2("%s: line 1: the header fits several decisions (%s); choose one with -d",
			    "%s：第1行：表头符合多个决策（%s）；请用 -d 选择其一", input_name, fits.buf);
	else if (rs->ndecisions == 0)
		diag_error2("%s: the rule set declares no decision", "%s：规则集未声明任何决策", input_name);
	else if (best == 0) {
		/* Not a header at all: a title row above it, most likely. */
		struct strbuf cells = STRBUF_INIT;
		for (size_t i = 0; i < hdr->nfields && i < 3; i++) {
			strbuf_addstr(&cells, i ? (diag_zh() ? "、" : ", ") : "");
			add_cell_start(&cells, hdr, i);
		}
		if (!said_other_separator(input_name, hdr))
			diag_error2("%s: line 1: the header names no column of any decision of the rule set (it begins %s); "
				    "expected the header row first: a title row above it? ('verdict schema' lists the columns)",
				    "%s：第1行：表头没有规则集任何决策的列（开头为%s）；第1行应为表头：其上方是否有标题行？"
				    "（列名见“verdict schema”）", input_name, cells.buf);
		strbuf_release(&cells);
	} else {
		struct header_map hm;
		struct strbuf err = STRBUF_INIT;
		header_map_build(&hm, &rs->decisions[closest], hdr, &err, NULL);
		diag_error2("%s: line 1: the header fits no decision of the rule set; closest is '%s', for which %s",
			    "%s：第1行：表头不符合规则集的任何决策；最接近的是“%s”，对它而言%s",
			    input_name, rs->decisions[closest].name, err.buf);
		header_map_release(&hm);
		strbuf_release(&err);
	}
	strbuf_release(&fits);
	return -1;
}

static void start_workers(struct run *r);
static bool first_line_refused(void *ctx, const char *line, size_t len);
/* An input that is not a regular file (a pipe, a FIFO) cannot be read
 * twice: when its UTF-8 is to be checked before any output (no
 * --encoding), it is copied to a temporary file first and read from
 * there as a file is (spool.h).  *owned: f is batch_run's to close.
 * 0, or 2 with a message. */
static int spool_input(struct run *r, FILE **f, bool *owned)
{
	struct stat sb;
	if (r->o->encoding || fstat(fileno(*f), &sb) != 0 || S_ISREG(sb.st_mode))
		return 0;
	char err[512];
	FILE *copy = r->o->header_from ? spool_copy(*f, err, sizeof err)
					: spool_copy_csv(*f, first_line_refused, r, err, sizeof err);
	if (!copy) {
		diag_error("%s: %s", r->name, err);
		return 2;
	}
	if (*owned)
		fclose(*f);
	*f = copy;
	*owned = true;
	return 0;
}

/* A byte-order mark that contradicts the reading asked for, at the start
 * of a regular file: UTF-16 (Excel's "Unicode Text"), which no encoding
 * reads; or UTF-8's with --encoding gb18030 or gbk, whose bytes would be
 * read as two Chinese characters.  Refused (2) with what to do. */
static int refuse_wrong_mark(struct run *r, FILE *f)
{
	struct stat sbuf;
	unsigned char b[4] = { 0, 0, 0, 0 };
	ssize_t n;
	if (fstat(fileno(f), &sbuf) != 0 || !S_ISREG(sbuf.st_mode) ||
	    (n = pread(fileno(f), b, sizeof b, 0)) < 2)
		return 0;
	if ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
		/* FF FE 00 00 is UTF-32's (little-endian) */
		bool utf32 = b[0] == 0xFF && n == 4 && b[2] == 0 && b[3] == 0;
		diag_error2("%s: line 1: the file is %s (it begins with the byte-order mark 0x%02X 0x%02X, "
			    "as Excel's 'Unicode Text' does); expected a CSV file in UTF-8 or GB18030: in Excel, "
			    "save it as 'CSV UTF-8 (Comma delimited)'",
			    "%s：第1行：文件为%s编码（以字节顺序标记0x%02X 0x%02X开头，Excel的“Unicode文本”即如此）；"
			    "应为UTF-8或GB18030编码的CSV文件：请在Excel中另存为“CSV UTF-8（逗号分隔）”",
			    r->name, utf32 ? "UTF-32" : "UTF-16", b[0], b[1]);
		return 2;
	}
	if (r->o->encoding && (strcasecmp(r->o->encoding, "gb18030") == 0 ||
				strcasecmp(r->o->encoding, "gbk") == 0) &&
	    b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		diag_error2("%s: line 1: the file begins with UTF-8's byte-order mark (0xEF 0xBB 0xBF): it is "
			    "UTF-8, not %s as --encoding says; expected no --encoding (or --encoding utf-8)",
			    "%s：第1行：文件以UTF-8的字节顺序标记（0xEF 0xBB 0xBF）开头，是UTF-8编码，"
			    "而非--encoding所说的%s；应不用--encoding（或用--encoding utf-8）",
			    r->name, r->o->encoding);
		return 2;
	}
	return 0;
}

static int settle_utf8(struct run *r);

/* How on_header takes this header under the first rule set. */
enum header_take { HEADER_REFUSED, HEADER_WARNED, HEADER_CLEAN };

static enum header_take header_take(const struct run *r, const struct csvin_record *rec)
{
	const struct ruleset *rs = r->rs[0];
	int di = -1, fits = 0;
	if (rec->problem)
		return HEADER_REFUSED;
	if (r->o->decision) {
		di = ruleset_find(rs, r->o->decision);
		fits = di >= 0;
	}
	for (size_t k = 0; !r->o->decision && k < rs->ndecisions; k++)
		if (header_absent_count(&rs->decisions[k], rec) == 0) {
			di = (int)k;
			fits++;
		}
	if (fits != 1)
		return HEADER_REFUSED;
	struct header_map hm;
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	enum header_take take = header_map_build(&hm, &rs->decisions[di], rec, &err, &warn) != 0 ? HEADER_REFUSED
				: warn.len ? HEADER_WARNED : HEADER_CLEAN;
	header_map_release(&hm);
	strbuf_release(&err);
	strbuf_release(&warn);
	return take;
}

/* Whether on_header takes this header without a word (no error, no
 * warning): only then may the early UTF-8 answer wait, since a message
 * about a header that is not UTF-8 must not come before the refusal. */
static bool header_clean(const struct run *r, const struct csvin_record *rec)
{
	return header_take(r, rec) == HEADER_CLEAN;
}

/* The first line of a pipe being copied (spool_copy_csv): whether it is
 * a header on_header refuses, so that the rest need not be copied.  Not
 * when the line is not UTF-8 (the refusal of the encoding comes first,
 * and is found in the copy's first line), nor when it does not parse as
 * a whole record (a quoted header cell that goes on to the next line). */
struct first_header {
	const struct run *r;
	bool refused;
};

static int judge_first_header(void *ctx, const struct csvin_record *rec)
{
	struct first_header *fh = ctx;
	fh->refused = rec->row == 0 && !(rec->problem && strstr(rec->problem, "unterminated")) &&
		      header_take(fh->r, rec) == HEADER_REFUSED;
	return 1;   /* the header is all it is given */
}

static bool first_line_refused(void *ctx, const char *line, size_t len)
{
	const struct run *r = ctx;
	struct first_header fh = { .r = r };
	size_t bom = csvin_bom_length(line, len, NULL);
	if (utf8_valid_prefix(line + bom, len - bom) != len - bom)
		return false;
	struct csvin_options copt = { .max_cell = r->o->max_cell };
	char err[256];
	(void)csvin_read_mem(line, len, r->name, &copt, judge_first_header, &fh, err, sizeof err);
	return fh.refused;
}

/* The early UTF-8 answer (refusing the file when it is not), then the
 * sink's begin, each once; non-zero: the run stops, the message given. */
static int settle(struct run *r)
{
	int st = settle_utf8(r);
	if (!st && r->begin_pending) {
		r->begin_pending = false;
		st = r->sink->begin ? r->sink->begin(r->sink->ctx, r->d) : 0;
	}
	if (st)
		r->stop = st;
	return st;
}

/* diff: the header as the second rule set declares the decision's
 * columns.  0, or 2 with a message (a column it requires is absent). */
static int map_other_set(struct run *r, size_t k, size_t di, const struct csvin_record *rec)
{
	int st;
	struct strbuf err = STRBUF_INIT;
	r->other.d = &r->rs[k]->decisions[di];
	if (header_map_build(&r->other.hm, r->other.d, rec, &err, NULL) != 0) {
		if ((st = settle_utf8(r)) == 0) {
			diag_error2("%s: line %zu: under rule set '%s': %s", "%s：第%zu行：按规则集“%s”：%s",
				    r->name, rec->line, r->rs[k]->dir, err.buf);
			st = 2;
		}
		strbuf_release(&err);
		return st;
	}
	strbuf_release(&err);
	r->other.mapped = true;
	r->other.vals = calloc(r->other.d->ncols ? r->other.d->ncols : 1, sizeof *r->other.vals);
	if (!r->other.vals)
		abort();
	return 0;
}

/* The header: choose the decision, map columns, prepare evaluators. */
static int on_header(struct run *r, const struct csvin_record *rec)
{
	int st;
	if (r->utf8_pending && !header_clean(r, rec) && (st = settle_utf8(r)) != 0)
		return st;
	if (rec->problem) {
		if (diag_zh()) {
			struct strbuf zh = STRBUF_INIT;
			csvin_problem_zh(rec->problem, &zh);
			diag_error("%s：第%zu行：无法读取表头：%s", r->name, rec->line, zh.buf);
			strbuf_release(&zh);
		} else {
			diag_error("%s: line %zu: the header cannot be read: %s", r->name, rec->line, rec->problem);
		}
		return 2;
	}
	r->decision = batch_choose_decision(r->rs[0], r->o->decision, rec, r->name);
	if (r->decision < 0)
		return 2;
	r->d = &r->rs[0]->decisions[r->decision];
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	if (header_map_build(&r->hm, r->d, rec, &err, &warn) != 0) {
		if (!said_other_separator(r->name, rec))
			diag_error2("%s: line %zu: %s", "%s：第%zu行：%s", r->name, rec->line, err.buf);
		strbuf_release(&err);
		strbuf_release(&warn);
		return 2;
	}
	r->hm_built = true;
	if (warn.len)
		diag_warn2("%s: line %zu: %s", "%s：第%zu行：%s", r->name, rec->line, warn.buf);
	strbuf_release(&err);
	strbuf_release(&warn);
	for (size_t k = 0; k < r->nsets; k++) {
		int di = ruleset_find(r->rs[k], r->d->name);
		char msg[512];
		if (di < 0) {
			if ((st = settle_utf8(r)) != 0)
				return st;
			diag_error("rule set '%s' has no decision '%s'", r->rs[k]->dir, r->d->name);
			return 2;
		}
		const struct header_map *hm = &r->hm;
		if (k > 0) {
			if ((st = map_other_set(r, k, (size_t)di, rec)) != 0)
				return st;
			hm = &r->other.hm;
		}
		r->ev[k] = evaluator_new(r->rs[k], (size_t)di, hm, msg, sizeof msg);
		if (!r->ev[k]) {
			if ((st = settle_utf8(r)) != 0)
				return st;
			diag_error("%s", msg);
			return 2;
		}
		evaluator_use_native(r->ev[k], r->o->engine != ENGINE_LUA);
		if (r->o->engine == ENGINE_NATIVE && !evaluator_has_native(r->ev[k])) {
			if ((st = settle_utf8(r)) != 0)
				return st;
			diag_error("--engine native: decision '%s' of rule set '%s' has no native plan: %s",
				   r->d->name, r->rs[k]->dir, evaluator_native_why(r->ev[k]));
			return 2;
		}
	}
	r->vals = calloc(r->d->ncols ? r->d->ncols : 1, sizeof *r->vals);
	if (!r->vals)
		abort();
	r->id_col = r->d->id_col;
	r->as_of_field = -1;
	for (size_t f = 0; r->o->as_of_column && f < r->hm.nfields; f++)
		if (r->hm.col_of_field[f] < 0 && strcmp(r->hm.field_names[f], r->o->as_of_column) == 0)
			r->as_of_field = (long)f;
	r->have_header = true;
	if (r->sink->prepare)
		r->sink->prepare(r->sink->ctx, r->d);
	if (r->utf8_pending)
		r->begin_pending = true;
	else if (r->sink->begin && (st = r->sink->begin(r->sink->ctx, r->d)) != 0)
		return st;
	start_workers(r);
	bool chunks = r->workers && r->chunked && rec->row == 0 && !r->o->header_from;
	/* Raw chunks: the workers start on them, the answer is taken before
	 * the first output (job_merge).  Otherwise, now. */
	if (!chunks && (st = settle(r)) != 0)
		return st;
	if (chunks) {
		r->raw_start = rec->bytes_read;
		return SWITCH_TO_CHUNKS;
	}
	return 0;
}

static void progress(struct run *r, long long bytes_read)
{
	r->seen++;
	if (!r->o->progress || (r->seen & 0x3FFF) != 0)
		return;
	if (seconds_since(&r->last_progress) < 0.5)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->last_progress);
	double s = seconds_since(&r->start);
	if (r->size > 0)
		diag_note("\r%zu records, %.0f records/s, %.1f of %.1f MB ", r->seen,
			  r->seen / (s > 0 ? s : 1), bytes_read / 1e6, r->size / 1e6);
	else
		diag_note("\r%zu records, %.0f records/s, %.1f MB ", r->seen,
			  r->seen / (s > 0 ? s : 1), bytes_read / 1e6);
	r->progress_shown = true;
}

/* The id cell of a record as given (trimmed), even when it is unreadable. */
/* How far a record's row and line numbers move: a chunk's (--row-offset),
 * and the header line another file holds (--header-from). */
static size_t shift_of(const struct run *r)
{
	return (size_t)r->o->row_offset + (r->o->header_from ? 1 : 0);
}

static unsigned long long id_hash(const struct run *r, const char *id, size_t len);

/* The record's id as written out, and (hash not NULL) the hash of its
 * bytes as read for the id set: two ids that differ only in bytes that
 * are not UTF-8 are two ids, though both are shown with U+FFFD. */
static void record_id(struct run *r, const struct csvin_record *rec, const char **id, size_t *len,
		      unsigned long long *hash)
{
	long f = r->hm.field_of_col[r->id_col];
	*id = "";
	*len = 0;
	if (f >= 0 && (size_t)f < rec->nfields) {
		*id = rec->fields[f];
		*len = cell_trim(id, rec->lens[f]);
	}
	if (hash)
		*hash = id_hash(r, *id, *len);
	/* Only --encoding utf-8 lets invalid bytes through (the record is
	 * INVALID): the id is written with U+FFFD for them, as jsonl writes
	 * it, so that csv stays UTF-8 and audit matches it. */
	if (r->o->encoding && *len && utf8_valid_prefix(*id, *len) != *len) {
		strbuf_reset(&r->id_text);
		utf8_replace_invalid(&r->id_text, *id, *len);
		*id = r->id_text.buf;
		*len = r->id_text.len;
	}
}

/* csvin counts cells; a person thinks in columns: "cell 3" becomes
 * "cell 3 (column 'org_form')", and in Chinese "第3个单元格" becomes
 * "第3个单元格（列“org_form”）". */
static void name_the_column(struct run *r, const char *problem, bool zh, struct strbuf *out)
{
	const char *word = zh ? "第" : "cell ";
	const char *p = strstr(problem, word);
	size_t n;
	int used;
	if (!p || sscanf(p + strlen(word), "%zu%n", &n, &used) != 1 || n == 0 || n > r->hm.nfields ||
	    (zh && strncmp(p + strlen(word) + used, "个单元格", strlen("个单元格")) != 0)) {
		strbuf_addstr(out, problem);
		return;
	}
	const char *after = p + strlen(word) + used + (zh ? strlen("个单元格") : 0);
	strbuf_add(out, problem, (size_t)(after - problem));
	/* A declared column by its name in the language, as the messages
	 * about its value name it; another by the header's text. */
	const char *name = r->hm.field_names[n - 1];
	long c = r->hm.col_of_field[n - 1];
	if (r->d && c >= 0 && (size_t)c < r->d->ncols) {
		const struct column_def *col = &r->d->cols[c];
		name = zh && col->zh ? col->zh : col->name;
	}
	if (zh)
		strbuf_addf(out, "（列“%s”）", name);
	else
		strbuf_addf(out, " (column '%s')", name);
	strbuf_addstr(out, after);
}

/* A record that cannot be read (under one rule set): INVALID, why. */
static void set_invalid(struct eval_result *ev, const char *why)
{
	memset(ev, 0, sizeof *ev);
	ev->verdict = "INVALID";
	ev->failed = ev->missing = "";
	ev->reason = why;
}

/* diff: the record's cells as the second rule set declares them; true
 * (and *ev INVALID, with the reason) when they cannot be read so. */
static bool read_other(struct run *r, const struct csvin_record *rec, bool zh, struct eval_result *ev)
{
	strbuf_reset(&r->other.why_en);
	strbuf_reset(&r->other.why_zh);
	if (record_read(r->other.d, &r->other.hm, rec, r->other.vals, &r->other.why_en, &r->other.why_zh) == 0)
		return false;
	set_invalid(ev, zh ? r->other.why_zh.buf : r->other.why_en.buf);
	return true;
}

/* A record's own evaluation date (the as_of column of a rule set's test
 * cases), when it has one, into *as_of: 0; 1 with the problem written
 * when the cell is not a date (it was taken as no date at all, and the
 * case ran on today). */
static size_t record_as_of(struct run *r, const struct csvin_record *rec, date_t *as_of)
{
	if (r->as_of_field < 0 || (size_t)r->as_of_field >= rec->nfields)
		return 0;
	const char *s = rec->fields[r->as_of_field];
	size_t len = cell_trim(&s, rec->lens[r->as_of_field]);
	if (!len || date_parse(s, len, as_of))
		return 0;
	strbuf_addf(&r->why_en, "%scolumn '%s': '%.*s' is not a date; expected YYYY-MM-DD, the day to evaluate "
		    "this case on", r->why_en.len ? "; " : "", r->o->as_of_column, (int)len, s);
	strbuf_addf(&r->why_zh, "%s列“%s”：“%.*s”不是日期；应为YYYY-MM-DD，即评估此用例的日期",
		    r->why_zh.len ? "；" : "", r->o->as_of_column, (int)len, s);
	return 1;
}

/* A reader problem's "line N" counted in the file as read; a chunk's
 * lines continue from the --row-offset and --header-from shift, as the
 * record's `line` does (scaling.md: a chunk's output is the same lines
 * of a single run's). */
static const char *problem_lines_shifted(struct run *r, const char *problem, size_t shift)
{
	if (!shift || !strstr(problem, "line "))
		return problem;
	strbuf_reset(&r->shifted);
	const char *p = problem;
	for (const char *at; (at = strstr(p, "line ")) != NULL;) {
		at += 5;
		strbuf_add(&r->shifted, p, (size_t)(at - p));
		p = at;
		if (*at < '0' || *at > '9')
			continue;
		char *end;
		unsigned long long n = strtoull(at, &end, 10);
		strbuf_addf(&r->shifted, "%llu", n + (unsigned long long)shift);
		p = end;
	}
	strbuf_addstr(&r->shifted, p);
	return r->shifted.buf;
}

static int evaluate_record(struct run *r, const struct csvin_record *rec)
{
	struct batch_result res;
	memset(&res, 0, sizeof res);
	res.row = rec->row + shift_of(r);
	/* With --row-offset (a chunk of a larger file), lines move with the
	 * rows: exact while records do not span lines. */
	res.line = rec->line + shift_of(r);
	res.nsets = r->nsets;
	res.d = r->d;
	res.vals = r->vals;
	res.rec = rec;
	res.hm = &r->hm;
	record_id(r, rec, &res.id, &res.id_len, NULL);
	strbuf_reset(&r->why_en);
	strbuf_reset(&r->why_zh);
	size_t problems = 0;
	if (rec->problem) {
		const char *problem = problem_lines_shifted(r, rec->problem, shift_of(r));
		name_the_column(r, problem, false, &r->why_en);
		strbuf_reset(&r->problem_zh);
		csvin_problem_zh(problem, &r->problem_zh);
		name_the_column(r, r->problem_zh.buf, true, &r->why_zh);
		problems = 1;
	} else {
		problems = record_read(r->d, &r->hm, rec, r->vals, &r->why_en, &r->why_zh);
	}
	date_t as_of = r->o->as_of;
	problems += record_as_of(r, rec, &as_of);
	bool zh = r->o->lang && strcmp(r->o->lang, "zh") == 0;
	for (size_t k = 0; k < r->nsets; k++)
		res.evaluator[k] = r->ev[k];
	if (problems) {
		res.invalid = true;
		for (size_t k = 0; k < r->nsets; k++)
			set_invalid(&res.ev[k], zh ? r->why_zh.buf : r->why_en.buf);
		r->count->invalid++;
	} else {
		for (size_t k = 0; k < r->nsets; k++) {
			if (k > 0 && read_other(r, rec, zh, &res.ev[k]))
				continue;   /* INVALID under the second rule set only */
			evaluator_run(r->ev[k], k ? r->other.vals : r->vals, rec, as_of, r->o->want_trace,
				      zh ? "zh" : "en", &res.ev[k]);
		}
		if (strcmp(res.ev[0].verdict, "ERROR") == 0)
			r->count->errors++;
		else if (strcmp(res.ev[0].verdict, "INVALID") == 0)
			r->count->invalid++;
	}
	r->count->records++;
	count_verdict(r->count, res.ev[0].verdict);
	return r->sink->record(r->sink->ctx, &res);
}

/* Warn about an id seen before (in the parent, in input order); row and
 * line as the output shows them. */
/* Repeated ids named one by one, at most (a file of 100,000 repeats gave
 * 100,000 lines of warnings); the rest are counted. */
#define REPEATS_SHOWN 100

static void repeats_said(const struct run *r)
{
	if (r->repeats > REPEATS_SHOWN)
		diag_warn2("%s: %zu records repeat an earlier record's %s; the first %d are named above, the other "
			   "%zu not (every record is evaluated all the same)",
			   "%s：共%zu条记录的%s与之前的记录重复；上文列出前%d条，其余%zu条未列出（所有记录都已评估）",
			   r->name, r->repeats, r->d->cols[r->id_col].name, REPEATS_SHOWN, r->repeats - REPEATS_SHOWN);
}

static void check_id_at(struct run *r, const char *id, size_t len, unsigned long long hash, size_t row,
			size_t line)
{
	if (!r->d->cols[r->id_col].unique || !len)
		return;
	size_t first = idset_add_hash(&r->ids, hash, row);
	if (r->ids.full && !r->ids_warned) {
		r->ids_warned = true;
		diag_warn("%s: row %zu: more than %u ids; repeated ids are checked against the first %u only "
			  "(memory stays flat)", r->name, row, IDSET_MAX_SLOTS / 2, IDSET_MAX_SLOTS / 2);
	}
	if (first && ++r->repeats > REPEATS_SHOWN)
		return;   /* counted: said in all at the end (repeats_said) */
	if (first) {
		struct strbuf shown = STRBUF_INIT;
		record_show_id(&shown, id, len);   /* from the input: no control characters */
		diag_warn2("%s: row %zu (line %zu): %s '%s' repeats row %zu; both records are evaluated",
			   "%s：第%zu条记录（第%zu行）：%s“%s”与第%zu条记录重复；两条记录都已评估",
			   r->name, row, line, r->d->cols[r->id_col].name, shown.buf, first);
		strbuf_release(&shown);
	}
}

/* Size the id memory once for the whole file, from how many records the
 * first bytes held (records / bytes of them), instead of doubling it a
 * dozen times on the way (at 200,000 records, that placing again took
 * half the parent's time with --jobs). */
static void reserve_ids(struct run *r, size_t records, long long bytes)
{
	if (r->ids_reserved || r->size <= 0 || bytes <= 0 || !records || !r->d->cols[r->id_col].unique)
		return;
	r->ids_reserved = true;
	double est = (double)r->size * (double)records / (double)bytes;
	idset_reserve(&r->ids, (size_t)(est * 1.125) + 1);
}

/* The hash of id for the idset, if the id column is to be unique. */
static unsigned long long id_hash(const struct run *r, const char *id, size_t len)
{
	return r->d->cols[r->id_col].unique && len ? idset_hash(id, len) : 0;
}

static void check_id(struct run *r, const struct csvin_record *rec, const char *id, size_t len,
		     unsigned long long hash)
{
	size_t shift = shift_of(r);
	check_id_at(r, id, len, hash, rec->row + shift, rec->line + shift);
}

/* ---- Worker jobs (--jobs) ---- */

static void merge_counts(struct run *r, const char *counts, size_t len)
{
	struct batch_stats b;
	if (len != sizeof b)
		return;
	memcpy(&b, counts, sizeof b);
	r->st->records += b.records;
	r->st->invalid += b.invalid;
	r->st->errors += b.errors;
	for (size_t i = 0; i < b.ntokens; i++)
		if (b.counts[i])
			count_verdicts(r->st, b.tokens[i], b.counts[i]);
}

/* In a worker: one record of a raw chunk, noted for the parent. */
static int chunk_record(void *ctx, const struct csvin_record *rec)
{
	struct run *r = ctx;
	const char *id;
	size_t len;
	unsigned long long hash;
	record_id(r, rec, &id, &len, &hash);
	wire_put_u64(&r->chunk_meta, r->text->len - r->text_at);   /* where its output starts */
	wire_put_u64(&r->chunk_meta, rec->line);
	wire_put_bytes(&r->chunk_meta, id, len);
	wire_put_u64(&r->chunk_meta, hash);   /* the parent need not hash it */
	r->chunk_records++;
	return evaluate_record(r, rec);
}

/* After a run with workers, the parent's evaluators and header map are
 * left to the process's end, as cmd_check leaves its rule set: freeing
 * them writes to heap pages write-protected since the fork (about a
 * hundred page faults, 1-2 ms, the last thing the run waits for).  Kept
 * reachable here, so that leak checkers do not count them as lost; one
 * run's worth (a later run in the same process frees its own). */
static struct {
	bool used;
	struct evaluator *ev[2];
	struct header_map hm;
} left_to_exit __attribute__((used));

/* The whole input file, mapped read-only (once; the parent, when it cuts
 * chunks by reading the file). */
static bool map_input(struct run *r)
{
	struct stat sb;
	if (r->map)
		return true;
	if (fstat(r->input_fd, &sb) != 0 || sb.st_size <= 0)
		return false;
	void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, r->input_fd, 0);
	if (p == MAP_FAILED)
		return false;
	madvise(p, (size_t)sb.st_size, MADV_SEQUENTIAL);
	r->map = p;
	r->map_len = (size_t)sb.st_size;
	return true;
}

/* Let go of every mapped page before `to` (the parent is done with them
 * as it moves forward): memory stays flat however long the file, and the
 * pages are read again from the page cache if ever needed.  Not only the
 * chunk's own pages: the page cache keeps a file in large folios (up to 2
 * MiB), and a fault in one chunk maps the whole folio, pages of the chunk
 * before included. */
static void unmap_pages(struct run *r, size_t to)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), b = to / page * page;
	if (r->map && b > 0 && b <= r->map_len)
		madvise((char *)r->map, b, MADV_DONTNEED);
}

/* fwrite; when this write found the reader gone (`verdict check --jobs
 * 2 big.csv | head`), the end one job comes to, not the rest evaluated
 * for no one and a broken pipe reported. */
static void write_or_end(FILE *out, const char *s, size_t len)
{
	errno = 0;
	if (fwrite(s, 1, len, out) < len)
		diag_end_if_reader_gone(errno);
}

/* A chunk's output (half a MiB or so) straight to the output's file
 * descriptor when it has one, not copied through its buffer first. */
static void write_text(FILE *out, const char *s, size_t len)
{
	int fd = len >= ((size_t)64 << 10) ? fileno(out) : -1;
	if (fd < 0 || fflush(out) != 0) {
		write_or_end(out, s, len);
		return;
	}
	while (len > 0) {
		ssize_t k = write(fd, s, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			diag_end_if_reader_gone(errno);
			fwrite(s, 1, len, out);   /* let stdio see and report the error */
			return;
		}
		s += k;
		len -= (size_t)k;
	}
}

/* csvin's row of the first record: 1 after a header, 0 in a file without
 * one (--header-from; batch adds 1 to every row then). */
static size_t first_row(const struct run *r)
{
	return r->o->header_from ? 0 : 1;
}

/* In a worker (or the parent, should the worker be gone): run a job. */
static void job_run(void *ctx, const char *job, size_t len, struct strbuf *out)
{
	struct run *r = ctx;
	struct wire_reader rd;
	wire_reader_init(&rd, job, len);
	uint64_t kind = wire_get_u64(&rd), offset = 0, line = 0, guess = 0, final = 0;
	bool open = false;
	/* The output text goes straight into the result, after the job's
	 * kind and a place for its length: no copy on the way. */
	wire_put_u64(out, kind);
	size_t len_at = out->len;
	wire_put_u64(out, 0);
	r->text = out;
	r->text_at = out->len;
	r->sink->output_into(r->sink->ctx, out);   /* chunk_record sees where each record's text starts */
	memset(&r->batch_st, 0, sizeof r->batch_st);
	r->count = &r->batch_st;
	if (kind == JOB_CHUNK) {
		offset = wire_get_u64(&rd);
		line = wire_get_u64(&rd);
		guess = wire_get_u64(&rd);
		final = wire_get_u64(&rd);
		size_t clen = (size_t)wire_get_u64(&rd);
		strbuf_reset(&r->chunk_meta);
		if (r->chunk_meta.cap < clen / 4 + 1) {
			/* about 45 bytes a record of 230 or so; mapped at once */
			strbuf_grow(&r->chunk_meta, clen / 4 + 1);
			pages_populate(r->chunk_meta.buf, r->chunk_meta.cap);
		}
		r->chunk_records = 0;
		/* The chunk begins a record.  Its rows are numbered as if every
		 * record before it took one line, which is most often so; the
		 * parent renumbers them when it is not. */
		struct csvin_options copt = { .encoding = r->o->encoding, .max_cell = r->o->max_cell,
					      .first_row = (size_t)guess + first_row(r), .first_line = (size_t)line, .mid_stream = true,
					      .open_at_end = &open, .utf8_checked = r->utf8_checked,
					      .more_follows = !final, .expect_fields = r->hm.nfields };
		char err[256];
		if (clen && csvin_read_range(r->input_fd, (long long)offset, clen, r->name, &copt, chunk_record, r,
					     err, sizeof err) < 0) {
			/* Cannot happen (the file shrank?): what was written is
			 * dropped, and the parent reads on from this chunk itself,
			 * with its own messages. */
			out->len = r->text_at;
			strbuf_reset(&r->chunk_meta);
			r->chunk_records = 0;
			open = true;
			final = 0;
		}
	} else {
		while (wire_more(&rd)) {
			struct csvin_record rec;
			wire_get_record(&rd, &rec);
			evaluate_record(r, &rec);
		}
	}
	r->sink->output_into(r->sink->ctx, NULL);
	r->count = r->st;
	uint64_t textlen = out->len - r->text_at;
	memcpy(out->buf + len_at, &textlen, sizeof textlen);
	if (kind == JOB_CHUNK) {
		wire_put_u64(out, offset);
		wire_put_u64(out, line);
		wire_put_u64(out, guess);
		wire_put_u64(out, final);
		wire_put_u64(out, open);
		wire_put_u64(out, r->chunk_records);
	}
	wire_put_bytes(out, &r->batch_st, sizeof r->batch_st);
	if (kind == JOB_CHUNK)
		strbuf_add(out, r->chunk_meta.buf, r->chunk_meta.len);
	wire_reader_release(&rd);
}

/* One record's output with its row number (the first number in it) made
 * absolute. */
static void write_renumbered(FILE *out, const char *s, size_t len, size_t row)
{
	size_t i = 0;
	while (i < len && i < 8 && (s[i] < '0' || s[i] > '9'))
		i++;
	size_t j = i;
	while (j < len && s[j] >= '0' && s[j] <= '9')
		j++;
	if (i == j) {
		fwrite(s, 1, len, out);
		return;
	}
	char digits[24];
	size_t k = sizeof digits;
	do {
		digits[--k] = (char)('0' + row % 10);
		row /= 10;
	} while (row);
	fwrite(s, 1, i, out);
	fwrite(digits + k, 1, sizeof digits - k, out);
	fwrite(s + j, 1, len - j, out);
}


/* In the parent: a chunk's output, renumbered, and its ids checked. */
static void merge_chunk(struct run *r, struct wire_reader *rd, const char *text, size_t tlen, size_t nrec,
			long long end_offset, bool numbered)
{
	FILE *out = r->sink->output(r->sink->ctx);
	/* The worker's row numbers are right (every record so far took one
	 * line): the text goes out as it is, in one piece. */
	if (numbered)
		write_text(out, text, tlen);
	size_t shift = shift_of(r);
	uint64_t off = nrec ? wire_get_u64(rd) : 0;
	/* Each id's slot is fetched from memory ID_AHEAD records before its
	 * turn, rather than waited for; all of a chunk's at once (4,500 or
	 * so) had the first evicted before their turn came, and took a fifth
	 * more of the parent's time.  The reader `ahead` runs on in front
	 * (only the plain pointers of the reader are copied: get_u64 and
	 * get_bytes use nothing else). */
	bool unique = r->d->cols[r->id_col].unique;
	struct wire_reader ahead = { .p = rd->p, .end = rd->end };
	size_t fetched = 0;
	for (size_t i = 0; i < nrec; i++) {
		while (unique && fetched < nrec && fetched < i + ID_AHEAD) {
			size_t idlen;
			(void)wire_get_u64(&ahead);
			(void)wire_get_bytes(&ahead, &idlen);
			idset_prefetch_hash(&r->ids, wire_get_u64(&ahead));
			if (++fetched < nrec)
				(void)wire_get_u64(&ahead);
		}
		uint64_t line = wire_get_u64(rd);
		size_t idlen;
		const char *id = wire_get_bytes(rd, &idlen);
		unsigned long long hash = wire_get_u64(rd);
		uint64_t next = i + 1 < nrec ? wire_get_u64(rd) : tlen;
		if (off > tlen || next > tlen || next < off)
			off = next = tlen;   /* cannot happen; never read past the text */
		size_t row = r->rows_done + i + first_row(r) + shift;
		if (!numbered)
			write_renumbered(out, text + off, (size_t)(next - off), row);
		check_id_at(r, id, idlen, hash, row, (size_t)line + shift);
		progress(r, end_offset);
		off = next;
	}
	r->rows_done += nrec;
}

static void job_merge(void *ctx, const char *result, size_t len)
{
	struct run *r = ctx;
	if (r->stop || settle(r) != 0)
		return;   /* refused (or no output): the workers' work is thrown away */
	struct wire_reader rd;
	wire_reader_init(&rd, result, len);
	uint64_t kind = wire_get_u64(&rd), offset = 0, line = 0, guess = 0, final = 0, open = 0, nrec = 0;
	size_t tlen;
	const char *text = wire_get_bytes(&rd, &tlen);
	if (kind == JOB_CHUNK) {
		offset = wire_get_u64(&rd);
		line = wire_get_u64(&rd);
		guess = wire_get_u64(&rd);
		final = wire_get_u64(&rd);
		open = wire_get_u64(&rd);
		nrec = wire_get_u64(&rd);
	}
	size_t clen;
	const char *counts = wire_get_bytes(&rd, &clen);
	if (kind == JOB_CHUNK) {
		if (r->redo && (long long)offset >= r->redo_offset) {
			wire_reader_release(&rd);
			return;   /* at or after where it is read again here */
		}
		if (open && !final) {
			r->redo = true;
			r->redo_offset = (long long)offset;
			r->redo_line = (size_t)line;
			wire_reader_release(&rd);
			return;
		}
		merge_chunk(r, &rd, text, tlen, (size_t)nrec, (long long)offset, r->rows_done == guess);
	} else {
		write_or_end(r->sink->output(r->sink->ctx), text, tlen);
	}
	merge_counts(r, counts, clen);
	wire_reader_release(&rd);
}

static void start_workers(struct run *r)
{
	int n = r->o->jobs == 0 ? workers_cpu_count() : r->o->jobs;
	if (n < 2 || !r->sink->output || !r->sink->output_into)
		return;
	r->ops = (struct workers_ops){ job_run, job_merge, r };
	r->chunk_bytes = batch_chunk_bytes(r->o->want_trace);
	r->workers = workers_start(n, r->o->want_trace ? TRACE_SLOTS_A_WORKER : SLOTS_A_WORKER, &r->ops);
	r->st->forked = r->workers != NULL;
}

size_t batch_chunk_bytes(bool want_trace)
{
	/* VERDICT_CHUNK_BYTES: smaller chunks, so that tests cut small files
	 * into many. */
	const char *cb = getenv("VERDICT_CHUNK_BYTES");
	if (cb && atol(cb) > 0)
		return (size_t)atol(cb);
	/* A trace is some forty times the input: a chunk's output, held by
	 * its worker and then by the parent, stays a few MiB.  Without one, a
	 * chunk's output (some 400 KB) and the slots it cycles through stay
	 * within the caches better than at 1 MiB: 200,000 rows took 5-15
	 * ms less CPU (medians, measured in turn). */
	return want_trace ? TRACE_CHUNK_BYTES : CHUNK_BYTES;
}

/* Send the records gathered so far. */
static void submit_records(struct run *r)
{
	if (!r->job_records)
		return;
	workers_submit(r->workers, r->job.buf, r->job.len);
	strbuf_reset(&r->job);
	r->job_records = 0;
}

static int on_record(struct run *r, const struct csvin_record *rec)
{
	const char *id;
	size_t len;
	unsigned long long hash;
	record_id(r, rec, &id, &len, &hash);
	if (r->workers) {
		check_id(r, rec, id, len, hash);
		if (!r->job_records)
			wire_put_u64(&r->job, JOB_RECORDS);
		wire_put_record(&r->job, rec);
		if (++r->job_records >= JOB_MAX_RECORDS || r->job.len >= JOB_MAX_BYTES)
			submit_records(r);
		progress(r, rec->bytes_read);
		return 0;
	}
	if (rec->row == 1024)
		reserve_ids(r, 1024, rec->bytes_read);
	/* The id is looked up after the record is evaluated, its slot
	 * fetched from memory in the meantime. */
	idset_prefetch_hash(&r->ids, hash);
	int st = evaluate_record(r, rec);
	check_id(r, rec, id, len, hash);
	progress(r, rec->bytes_read);
	return st;
}

/* Where the records begin, for raw chunks: just after the header's line
 * (an LF after its CR included), and on which line. */
static void find_raw_start(struct run *r, FILE *f, long long after_header)
{
	char *head = malloc((size_t)after_header + 2);
	if (!head)
		abort();
	size_t n = after_header >= 0 && fseeko(f, 0, SEEK_SET) == 0
		   ? fread(head, 1, (size_t)after_header + 1, f) : 0;
	long long start = after_header;
	if (n == (size_t)after_header + 1 && after_header > 0 && head[after_header - 1] == '\r' &&
	    head[after_header] == '\n')
		start++;
	r->raw_start = start;
	size_t upto = n < (size_t)start ? n : (size_t)start, quotes = 0;
	r->raw_line = 1 + chunk_lines(head, upto);
	for (size_t i = 0; i < upto; i++)
		quotes += head[i] == '"';
	r->raw_quotes_odd = quotes % 2;
	free(head);
}

/* The next cut by the early check's marks: at the first mark at or past
 * offset + span.  1: *cut and *lines (the lines it spans) set; 0: no
 * record end within CHUNK_MAX (read on here); -1: no marks to go by
 * from here on (the caller reads the file to cut it). */
static int cut_at_mark(struct run *r, size_t offset, size_t line, size_t span, size_t left, size_t *cut,
		       size_t *lines)
{
	struct chunk_mark m;
	uint64_t end_line;
	while (early_check_next_mark(r->o->early_utf8, &m)) {
		if (m.offset < offset + span)
			continue;   /* before this chunk's end, or a mark the chunk before passed */
		if (m.offset - offset > CHUNK_MAX || m.offset - offset > left || m.line < line)
			return 0;
		*cut = (size_t)(m.offset - offset);
		*lines = (size_t)(m.line - line);
		return 1;
	}
	if (!early_check_marked_all(r->o->early_utf8, &end_line))
		return -1;
	/* No mark after: the rest of the file, when that is about a chunk
	 * (a mark is put at the first record end a quarter chunk past the one
	 * before, so what follows the last is less than that and a record).
	 * Much more, with no mark in it, is a quote never closed: not one
	 * chunk for a worker (its output, a GB with jsonl, held whole to be
	 * merged) but read on here. */
	if (left > 2 * span + r->chunk_bytes)
		return 0;
	*cut = left;
	*lines = end_line > line ? (size_t)(end_line - line) : 0;
	return 1;
}

/* --jobs on a file: the records go to the workers as raw chunks, cut at
 * record boundaries; each worker parses its own.  Returns a csvin_read
 * status for what is read here after a bad cut. */
static int on_csv_record(void *ctx, const struct csvin_record *rec);

static int run_chunks(struct run *r, FILE *f, char *err, size_t errlen)
{
	struct strbuf job = STRBUF_INIT;
	long long offset = r->raw_start;
	size_t line = r->raw_line;
	size_t first_lines = 0, first_cut = 0;   /* the first chunk's, to size the ids by */
	int rc = 0;
	/* The early check's marks, when it read this file and counted the
	 * quotes from its start as here (the header's are even, as they
	 * are in any CSV whose header is not broken). */
	const struct early_check *ec = r->o->early_utf8;
	bool marks = ec && ec->marks && ec->size == r->size && r->size > 0 && !r->raw_quotes_odd;
	if (!marks && !map_input(r)) {
		r->redo = true;   /* an empty file, or one that cannot be mapped */
		r->redo_offset = offset;
		r->redo_line = line;
	}
	size_t size = marks ? (size_t)r->size : r->map_len;
	while (!r->redo && !r->stop && offset >= 0 && (size_t)offset < size) {
		size_t left = size - (size_t)offset, cut = 0, span = r->chunk_bytes;
		/* Near the end, smaller chunks: the workers then finish
		 * together rather than one waiting on the other's last MiB. */
		if (left < 8 * span && span >= 4)
			span /= 4;
		size_t lines = 0;
		bool scan = !marks;
		if (marks && cut_at_mark(r, (size_t)offset, line, span, left, &cut, &lines) < 0) {
			marks = false;   /* the marks stop short: cut the rest by reading it here */
			scan = map_input(r) && r->map_len == size;
		}
		const char *p = scan ? r->map + offset : NULL;
		size_t span0 = span;
		while (p && cut == 0 && span < left && span <= CHUNK_MAX) {
			cut = chunk_cut_lines(p, span, &lines);
			span *= 2;   /* a long record: look further */
		}
		/* The rest of the file as the last chunk, when it is no more than
		 * a chunk.  More than that with no record boundary found in it is
		 * a quote never closed, most likely: a worker would read it all
		 * as one chunk, and its output (a GB with jsonl) would be held
		 * whole to be merged; read on here instead, streaming. */
		if (p && cut == 0 && span >= left && left <= span0) {
			cut = left;
			lines = chunk_lines(p, cut);
		}
		if (cut == 0) {
			r->redo = true;   /* no boundary found: read on here */
			r->redo_offset = offset;
			r->redo_line = line;
			break;
		}
		strbuf_reset(&job);
		wire_put_u64(&job, JOB_CHUNK);
		wire_put_u64(&job, (uint64_t)offset);
		wire_put_u64(&job, line);
		wire_put_u64(&job, line - r->raw_line);   /* records before, if one a line */
		wire_put_u64(&job, cut == left);
		wire_put_u64(&job, cut);
		workers_submit(r->workers, job.buf, job.len);
		/* The id memory is sized from the first chunk once every worker
		 * holds all the jobs it can: mapping it (0.6 ms, up to 29 ms when
		 * the host backs fresh huge pages) then overlaps their work
		 * rather than holding back their first jobs.  (A result merged
		 * before it: the id set grows as it goes.) */
		if (!first_cut) {   /* a chunk is never empty */
			first_lines = lines;
			first_cut = cut;
		}
		if (workers_full(r->workers) || cut == left)
			reserve_ids(r, first_lines, (long long)first_cut);
		line += lines;
		unmap_pages(r, (size_t)offset + cut);
		offset += (long long)cut;
	}
	strbuf_release(&job);
	workers_finish(r->workers);
	r->workers = NULL;
	if (r->stop || settle(r) != 0)   /* settle: when nothing was merged */
		return r->stop;
	if (r->redo && fseeko(f, r->redo_offset, SEEK_SET) == 0) {
		struct csvin_options copt = { .encoding = r->o->encoding, .max_cell = r->o->max_cell,
					      .first_row = r->rows_done + first_row(r), .first_line = r->redo_line,
					      .mid_stream = true, .utf8_checked = r->utf8_checked,
					      .expect_fields = r->hm.nfields };
		rc = csvin_read(f, r->name, &copt, on_csv_record, r, err, errlen);
	}
	return rc;
}

static int on_csv_record(void *ctx, const struct csvin_record *rec)
{
	struct run *r = ctx;
	if (!r->have_header)
		return on_header(r, rec);
	return on_record(r, rec);
}

/* Only the header of another file (for --header-from). */
static int take_header(void *ctx, const struct csvin_record *rec)
{
	struct run *r = ctx;
	int st = on_header(r, rec);
	return st ? st : 1;   /* stop after the header */
}

static int check_utf8_now(struct run *r, FILE *f);

static bool note_high_byte(void *ctx, const char *bytes, size_t n)
{
	bool *high = ctx;
	for (size_t i = 0; i < n && !*high; i++)
		if ((unsigned char)bytes[i] >= 0x80)
			*high = true;
	return true;
}

/* --encoding named on a file that is UTF-8 throughout, with Chinese in it
 * (a GB18030 file is all but never valid UTF-8): its INVALID records may
 * be only the encoding's doing.  Said once, after the run. */
static void hint_utf8_given_encoding(struct run *r, FILE *f)
{
	struct stat sb;
	int fd = fileno(f);
	if (!r->o->encoding || strcasecmp(r->o->encoding, "utf-8") == 0 || strcasecmp(r->o->encoding, "utf8") == 0 ||
	    fstat(fd, &sb) != 0 ||
	    !S_ISREG(sb.st_mode) || sb.st_size <= 0)
		return;
	bool high = false;
	size_t to = (size_t)sb.st_size;
	if (csvin_utf8_valid_each(fd, csvin_utf8_start(fd), to, note_high_byte, &high) != to || !high)
		return;
	diag_warn2("%s: the file is valid UTF-8 throughout, not %s as --encoding says: records INVALID for a "
		   "byte sequence may read correctly without --encoding",
		   "%s：该文件全部是有效的UTF-8，而非--encoding所说的%s：因字节序列无效而判为INVALID的记录，"
		   "去掉--encoding后可能可以正确读取", r->name, r->o->encoding);
}

static int refuse_non_utf8(struct run *r, FILE *f)
{
	struct stat sbuf;
	if (r->o->encoding || fstat(fileno(f), &sbuf) != 0 || !S_ISREG(sbuf.st_mode))
		return 0;
	/* Workers to come (only a sink with an output has them): the answer
	 * waits (see utf8_pending). */
	if (r->o->early_utf8 && r->o->early_utf8->running && r->sink->output) {
		r->utf8_pending = true;
		r->utf8_checked = true;
		r->input = f;
		return 0;
	}
	return check_utf8_now(r, f);
}

static int settle_utf8(struct run *r)
{
	if (!r->utf8_pending)
		return 0;
	r->utf8_pending = false;
	r->utf8_checked = false;
	return check_utf8_now(r, r->input);
}

/* The last record that starts on or before a line (csvin_read's callback). */
struct record_at {
	size_t line;           /* the line sought */
	bool found;
	size_t row, row_line;  /* the record that holds it, and its first line */
};

static int record_at_line(void *ctx, const struct csvin_record *rec)
{
	struct record_at *at = ctx;
	if (rec->line > at->line)
		return 1;
	at->found = true;
	at->row = rec->row;
	at->row_line = rec->line;
	return 0;
}

/* Refuse the file (2) unless it is UTF-8 throughout: the early check's
 * answer when there is one, else a check here. */
static int check_utf8_now(struct run *r, FILE *f)
{
	if (r->o->early_utf8 && early_check_valid(r->o->early_utf8, f)) {
		r->utf8_checked = true;
		return 0;
	}
	size_t bad_line = 0;
	unsigned bad_byte = 0;
	int ways = r->o->jobs == 0 ? workers_cpu_count() : r->o->jobs;
	int ok = csvin_check_utf8_ways(f, ways, &bad_line, &bad_byte);
	if (ok == 0) {
		/* The record that holds the bad byte, by its row (as the output
		 * would number it) and the line it starts on. */
		struct record_at at = { .line = bad_line };
		/* (utf8_checked: the bytes are not looked at again, only the
		 * records counted; the bad one is not read past.) */
		struct csvin_options copt = { .max_cell = r->o->max_cell, .utf8_checked = true };
		char err[256];
		size_t shift = shift_of(r);
		if (fseeko(f, 0, SEEK_SET) == 0)
			(void)csvin_read(f, r->name, &copt, record_at_line, &at, err, sizeof err);
		char where[64] = "";
		if (at.found && at.row_line != bad_line)   /* a record of several lines */
			snprintf(where, sizeof where, diag_zh() ? "，位于第%zu行" : " on line %zu", bad_line + shift);
		if (at.found && at.row + shift > 0)
			diag_error2("%s: row %zu (line %zu): not valid UTF-8 (byte 0x%02X%s); a file saved by "
				    "Excel on Chinese Windows is GB18030: try --encoding gb18030",
				    "%s：第%zu条记录（第%zu行）：不是有效的UTF-8（字节0x%02X%s）；中文Windows上的"
				    "Excel保存的文件为GB18030编码：请用 --encoding gb18030", r->name,
				    at.row + shift, at.row_line + shift, bad_byte, where);
		else
			diag_error2("%s: line %zu%s: not valid UTF-8 (byte 0x%02X); a file saved by Excel on Chinese "
				    "Windows is GB18030: try --encoding gb18030",
				    "%s：第%zu行%s：不是有效的UTF-8（字节0x%02X）；中文Windows上的Excel保存的文件"
				    "为GB18030编码：请用 --encoding gb18030", r->name, bad_line + shift,
				    at.found ? (diag_zh() ? "（表头）" : " (the header)") : "", bad_byte);
		return 2;
	}
	/* The parse need not look at every byte again.  (A file rewritten
	 * while it is read could then pass bytes that are not UTF-8 on to
	 * the output; it would be damaged in other ways too.) */
	r->utf8_checked = ok == 1;
	return 0;
}

int batch_run(struct ruleset **rs, size_t nsets, const struct batch_options *o,
	      const struct batch_sink *sink, struct batch_stats *st)
{
	struct run r;
	memset(&r, 0, sizeof r);
	memset(st, 0, sizeof *st);
	r.rs = rs;
	r.nsets = nsets;
	r.o = o;
	r.sink = sink;
	r.st = st;
	r.count = st;
	idset_init(&r.ids);
	strbuf_init(&r.job);
	strbuf_init(&r.chunk_meta);
	strbuf_init(&r.why_en);
	strbuf_init(&r.why_zh);
	strbuf_init(&r.other.why_en);
	strbuf_init(&r.other.why_zh);
	strbuf_init(&r.problem_zh);
	strbuf_init(&r.id_text);
	strbuf_init(&r.shifted);
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last_progress = r.start;
	bool use_stdin = !o->input || strcmp(o->input, "-") == 0;
	r.name = use_stdin ? "<stdin>" : o->input;
	FILE *f = use_stdin ? stdin : fopen(o->input, "rb");
	bool owned = !use_stdin;   /* f is closed here at the end */
	int status = 0;
	char err[512] = "";
	struct csvin_options copt = { .encoding = o->encoding, .max_cell = o->max_cell };
	if (!f) {
		diag_error2("cannot open '%s': %s", "无法打开“%s”：%s", o->input, diag_strerror(errno));
		status = 2;
		goto done;
	}
	struct stat sbuf;
	if (fstat(fileno(f), &sbuf) == 0 && S_ISDIR(sbuf.st_mode)) {
		diag_error2("cannot read '%s': it is a directory; expected a CSV file",
			    "无法读取“%s”：它是一个目录；应为CSV文件", r.name);
		status = 2;
		goto done;
	}
	if ((status = spool_input(&r, &f, &owned)) != 0)
		goto done;
	if (fstat(fileno(f), &sbuf) == 0 && S_ISREG(sbuf.st_mode))
		r.size = sbuf.st_size;
	if ((status = refuse_wrong_mark(&r, f)) != 0 || (status = refuse_non_utf8(&r, f)) != 0)
		goto done;
	if (o->header_from) {
		FILE *h = fopen(o->header_from, "rb");
		if (!h) {
			diag_error2("--header-from: cannot open '%s': %s", "--header-from：无法打开“%s”：%s", o->header_from,
				    diag_strerror(errno));
			status = 2;
			goto done;
		}
		/* the header's problems are that file's: named so */
		const char *data_name = r.name;
		r.name = o->header_from;
		int hs = csvin_read(h, o->header_from, &copt, take_header, &r, err, sizeof err);
		r.name = data_name;
		fclose(h);
		if (hs < 0 || !r.have_header) {
			if (hs < 0)
				diag_error("%s", err);
			else if (hs != 2)
				diag_error("%s: empty file; expected a header row", o->header_from);
			status = 2;
			goto done;
		}
	}
	/* --jobs on a regular file read from its start (opened here, or a
	 * pipe's copy): raw chunks, parsed by the workers. */
	struct stat fst;
	r.chunked = owned && fstat(fileno(f), &fst) == 0 && S_ISREG(fst.st_mode);
	r.input_fd = fileno(f);
	int rc;
	if (o->header_from && r.workers && r.chunked) {
		unsigned char head[CSVIN_BOM_MAX];
		size_t n = fread(head, 1, sizeof head, f);
		r.raw_start = (long long)csvin_bom_length(head, n, o->encoding);
		r.raw_line = 1;
		rc = run_chunks(&r, f, err, sizeof err);
	} else {
		copt.utf8_checked = r.utf8_checked;
		if (o->header_from)
			copt.expect_fields = r.hm.nfields;
		rc = csvin_read(f, r.name, &copt, on_csv_record, &r, err, sizeof err);
		if (rc == SWITCH_TO_CHUNKS) {
			find_raw_start(&r, f, r.raw_start);
			rc = run_chunks(&r, f, err, sizeof err);
		}
	}
	if (r.utf8_pending && settle_utf8(&r) != 0) {
		status = 2;   /* stopped before the header was taken: refused all the same */
		goto done;
	}
	if (rc < 0) {
		diag_error("%s", err);
		status = r.have_header && st->records ? 1 : 2;
	} else if (rc != 0) {
		status = rc;
	} else if (!r.have_header) {
		diag_error2("%s: empty file; expected a header row naming the columns",
			    "%s：文件为空；应有一行表头列出各列名称", r.name);
		status = 2;
	}
done:
	if (r.workers) {
		submit_records(&r);
		workers_finish(r.workers);
	}
	if (status != 2 && r.have_header)
		repeats_said(&r);
	if (status != 2 && st->invalid && f && owned)
		hint_utf8_given_encoding(&r, f);
	if (r.progress_shown)
		diag_note("\r\033[K");
	st->seconds = seconds_since(&r.start);
	if (f && owned)
		fclose(f);
	if (st->forked && !left_to_exit.used) {
		left_to_exit.used = true;
		memcpy(left_to_exit.ev, r.ev, sizeof r.ev);
		if (r.hm_built)
			left_to_exit.hm = r.hm;
	} else {
		for (size_t k = 0; k < nsets; k++)
			evaluator_free(r.ev[k]);
		if (r.hm_built)
			header_map_release(&r.hm);
	}
	free(r.vals);
	free(r.other.vals);
	if (r.other.mapped)
		header_map_release(&r.other.hm);
	strbuf_release(&r.other.why_en);
	strbuf_release(&r.other.why_zh);
	idset_release(&r.ids);
	if (r.map)
		munmap((void *)r.map, r.map_len);
	strbuf_release(&r.job);
	strbuf_release(&r.chunk_meta);
	strbuf_release(&r.why_en);
	strbuf_release(&r.why_zh);
	strbuf_release(&r.problem_zh);
	strbuf_release(&r.id_text);
	strbuf_release(&r.shifted);
	return status;
}

void batch_print_summary(const struct batch_stats *st)
{
	struct strbuf sb = STRBUF_INIT;
	bool zh = diag_zh();
	if (zh)
		strbuf_addf(&sb, "%zu条记录", st->records);
	else
		strbuf_addf(&sb, "%zu record%s", st->records, st->records == 1 ? "" : "s");
	for (size_t i = 0; i < st->ntokens; i++)
		strbuf_addf(&sb, zh ? "%s%zu %s" : "%s %zu %s", i ? (zh ? "，" : ",") : (zh ? "：" : ":"),
			    st->counts[i], st->tokens[i]);
	strbuf_addf(&sb, zh ? "，用时%.2f秒" : " in %.2f s", st->seconds);
	if (st->seconds > 0 && st->records > 1000)
		strbuf_addf(&sb, zh ? "（每秒%.0f条）" : " (%.0f records/s)", st->records / st->seconds);
	diag_note("verdict: %s\n", sb.buf);
	strbuf_release(&sb);
}
