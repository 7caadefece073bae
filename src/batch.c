/* batch — the shared read / type / evaluate loop; see batch.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "batch.h"
#include "cell.h"
#include "csvin.h"
#include "diag.h"
#include "idset.h"
#include "strbuf.h"
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
	struct evaluator *ev[2];
	struct value *vals;
	struct idset ids;
	size_t id_col;
	long as_of_field;              /* field giving a per-record as_of, or -1 */
	struct strbuf why_en, why_zh;
	int status;
	struct timespec start, last_progress;
	bool progress_shown;
	struct batch_stats *count;     /* where evaluated records are counted */
	struct batch_stats batch_st;   /* a worker batch's own counts */
	FILE *saved_out;               /* the sink's output while a batch runs */
	struct workers *workers;
	struct workers_ops ops;
	size_t seen;                   /* records read (for the progress line) */
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void count_verdict(struct batch_stats *st, const char *v)
{
	for (size_t i = 0; i < st->ntokens; i++) {
		if (strcmp(st->tokens[i], v) == 0) {
			st->counts[i]++;
			return;
		}
	}
	if (st->ntokens < BATCH_MAX_TOKENS) {
		snprintf(st->tokens[st->ntokens], sizeof st->tokens[0], "%s", v);
		st->counts[st->ntokens++] = 1;
	}
}

int batch_choose_decision(struct ruleset *rs, const char *wanted, const struct csvin_record *hdr,
			  const char *input_name)
{
	if (wanted) {
		int i = ruleset_find(rs, wanted);
		if (i < 0) {
			struct strbuf names = STRBUF_INIT;
			for (size_t k = 0; k < rs->ndecisions; k++)
				strbuf_addf(&names, "%s%s", k ? ", " : "", rs->decisions[k].name);
			diag_error("unknown decision '%s'; the rule set '%s' has: %s", wanted, rs->dir, names.buf);
			strbuf_release(&names);
		}
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
		long matched = (long)rs->decisions[k].ncols - (long)absent;
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
		diag_error("%s: the header fits several decisions (%s); choose one with -d", input_name, fits.buf);
	else if (rs->ndecisions == 0)
		diag_error("%s: the rule set declares no decision", input_name);
	else {
		struct header_map hm;
		struct strbuf err = STRBUF_INIT;
		header_map_build(&hm, &rs->decisions[closest], hdr, &err, NULL);
		diag_error("%s: line 1: the header fits no decision of the rule set; closest is '%s', for which %s",
			   input_name, rs->decisions[closest].name, err.buf);
		header_map_release(&hm);
		strbuf_release(&err);
	}
	strbuf_release(&fits);
	return -1;
}

static void start_workers(struct run *r);

/* The header: choose the decision, map columns, prepare evaluators. */
static int on_header(struct run *r, const struct csvin_record *rec)
{
	if (rec->problem) {
		diag_error("%s: line %zu: the header cannot be read: %s", r->name, rec->line, rec->problem);
		return 2;
	}
	r->decision = batch_choose_decision(r->rs[0], r->o->decision, rec, r->name);
	if (r->decision < 0)
		return 2;
	r->d = &r->rs[0]->decisions[r->decision];
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;
	if (header_map_build(&r->hm, r->d, rec, &err, &warn) != 0) {
		diag_error("%s: line %zu: %s", r->name, rec->line, err.buf);
		strbuf_release(&err);
		strbuf_release(&warn);
		return 2;
	}
	if (warn.len)
		diag_warn("%s: line %zu: %s", r->name, rec->line, warn.buf);
	strbuf_release(&err);
	strbuf_release(&warn);
	for (size_t k = 0; k < r->nsets; k++) {
		int di = ruleset_find(r->rs[k], r->d->name);
		char msg[512];
		if (di < 0) {
			diag_error("rule set '%s' has no decision '%s'", r->rs[k]->dir, r->d->name);
			return 2;
		}
		r->ev[k] = evaluator_new(r->rs[k], (size_t)di, &r->hm, msg, sizeof msg);
		if (!r->ev[k]) {
			diag_error("%s", msg);
			return 2;
		}
		evaluator_use_native(r->ev[k], r->o->engine != ENGINE_LUA);
		if (r->o->engine == ENGINE_NATIVE && !evaluator_has_native(r->ev[k])) {
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
	if (r->sink->begin) {
		int st = r->sink->begin(r->sink->ctx, r->d);
		if (st)
			return st;
	}
	start_workers(r);
	return 0;
}

static void progress(struct run *r, const struct csvin_record *rec)
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
			  r->seen / (s > 0 ? s : 1), rec->bytes_read / 1e6, r->size / 1e6);
	else
		diag_note("\r%zu records, %.0f records/s, %.1f MB ", r->seen,
			  r->seen / (s > 0 ? s : 1), rec->bytes_read / 1e6);
	r->progress_shown = true;
}

/* The id cell of a record as given (trimmed), even when it is unreadable. */
static void record_id(struct run *r, const struct csvin_record *rec, const char **id, size_t *len)
{
	long f = r->hm.field_of_col[r->id_col];
	*id = "";
	*len = 0;
	if (f >= 0 && (size_t)f < rec->nfields) {
		*id = rec->fields[f];
		*len = cell_trim(id, rec->lens[f]);
	}
}

/* csvin counts cells; a person thinks in columns: "cell 3" becomes
 * "cell 3 (column 'org_form')". */
static void name_the_column(struct run *r, const char *problem, struct strbuf *out)
{
	const char *p = strstr(problem, "cell ");
	size_t n;
	int used;
	if (!p || sscanf(p + 5, "%zu%n", &n, &used) != 1 || n == 0 || n > r->hm.nfields) {
		strbuf_addstr(out, problem);
		return;
	}
	const char *after = p + 5 + used;
	strbuf_add(out, problem, (size_t)(after - problem));
	strbuf_addf(out, " (column '%s')", r->hm.field_names[n - 1]);
	strbuf_addstr(out, after);
}

static int evaluate_record(struct run *r, const struct csvin_record *rec)
{
	struct batch_result res;
	memset(&res, 0, sizeof res);
	res.row = rec->row + (size_t)r->o->row_offset + (r->o->header_from ? 1 : 0);
	/* With --row-offset (a chunk of a larger file), lines move with the
	 * rows: exact while records do not span lines. */
	res.line = rec->line + (size_t)r->o->row_offset + (r->o->header_from ? 1 : 0);
	res.nsets = r->nsets;
	res.d = r->d;
	res.vals = r->vals;
	res.rec = rec;
	res.hm = &r->hm;
	record_id(r, rec, &res.id, &res.id_len);
	strbuf_reset(&r->why_en);
	strbuf_reset(&r->why_zh);
	size_t problems = 0;
	if (rec->problem) {
		name_the_column(r, rec->problem, &r->why_en);
		name_the_column(r, rec->problem, &r->why_zh);
		problems = 1;
	} else {
		problems = record_read(r->d, &r->hm, rec, r->vals, &r->why_en, &r->why_zh);
	}
	bool zh = r->o->lang && strcmp(r->o->lang, "zh") == 0;
	for (size_t k = 0; k < r->nsets; k++)
		res.evaluator[k] = r->ev[k];
	if (problems) {
		res.invalid = true;
		for (size_t k = 0; k < r->nsets; k++) {
			res.ev[k].verdict = "INVALID";
			res.ev[k].failed = res.ev[k].missing = "";
			res.ev[k].reason = zh ? r->why_zh.buf : r->why_en.buf;
		}
		r->count->invalid++;
	} else {
		date_t as_of = r->o->as_of;
		if (r->as_of_field >= 0 && (size_t)r->as_of_field < rec->nfields) {
			const char *s = rec->fields[r->as_of_field];
			size_t len = cell_trim(&s, rec->lens[r->as_of_field]);
			date_t d;
			if (len && date_parse(s, len, &d))
				as_of = d;
		}
		for (size_t k = 0; k < r->nsets; k++) {
			evaluator_run(r->ev[k], r->vals, rec, as_of, r->o->want_trace, zh ? "zh" : "en", &res.ev[k]);
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

/* Warn about an id seen before (in the process that reads the input). */
static void check_id(struct run *r, const struct csvin_record *rec)
{
	const char *id;
	size_t len;
	if (!r->d->cols[r->id_col].unique)
		return;
	record_id(r, rec, &id, &len);
	if (!len)
		return;
	size_t row = rec->row + (size_t)r->o->row_offset + (r->o->header_from ? 1 : 0);
	size_t line = rec->line + (size_t)r->o->row_offset + (r->o->header_from ? 1 : 0);
	size_t first = idset_add(&r->ids, id, len, row);
	if (r->ids.full == 1) {
		r->ids.full = 2;
		diag_warn("%s: row %zu: more than %u ids; repeated ids are checked against the first %u only "
			  "(memory stays flat)", r->name, row, IDSET_MAX_SLOTS / 2, IDSET_MAX_SLOTS / 2);
	}
	if (first) {
		/* The id comes from the input: no control characters to the terminal. */
		struct strbuf shown = STRBUF_INIT;
		record_show_cell(&shown, id, len);
		for (size_t i = 0; i < shown.len; i++)
			if ((unsigned char)shown.buf[i] < 0x20 || shown.buf[i] == 0x7f)
				shown.buf[i] = '?';
		diag_warn("%s: row %zu (line %zu): %s '%s' repeats row %zu; both records are evaluated",
			  r->name, row, line, r->d->cols[r->id_col].name, shown.buf, first);
		strbuf_release(&shown);
	}
}

/* ---- Worker batches (--jobs) ---- */

static void batch_begin(void *ctx, FILE *out)
{
	struct run *r = ctx;
	r->saved_out = r->sink->output(r->sink->ctx, out);
	memset(&r->batch_st, 0, sizeof r->batch_st);
	r->count = &r->batch_st;
}

static int batch_process(void *ctx, const struct csvin_record *rec)
{
	return evaluate_record(ctx, rec);
}

static void batch_end(void *ctx, const void **counts, size_t *len)
{
	struct run *r = ctx;
	r->sink->output(r->sink->ctx, r->saved_out);
	r->count = r->st;
	*counts = &r->batch_st;
	*len = sizeof r->batch_st;
}

static void batch_merge(void *ctx, const char *out, size_t outlen, const void *counts, size_t len)
{
	struct run *r = ctx;
	struct batch_stats b;
	fwrite(out, 1, outlen, r->sink->output(r->sink->ctx, NULL));
	if (len != sizeof b)
		return;
	memcpy(&b, counts, sizeof b);
	r->st->records += b.records;
	r->st->invalid += b.invalid;
	r->st->errors += b.errors;
	for (size_t i = 0; i < b.ntokens; i++)
		for (size_t k = 0; k < b.counts[i]; k++)
			count_verdict(r->st, b.tokens[i]);
}

static void start_workers(struct run *r)
{
	int n = r->o->jobs == 0 ? workers_cpu_count() : r->o->jobs;
	if (n < 2 || !r->sink->output)
		return;
	r->ops = (struct workers_ops){ batch_begin, batch_process, batch_end, batch_merge, r };
	r->workers = workers_start(n, &r->ops);
}

static int on_record(struct run *r, const struct csvin_record *rec)
{
	check_id(r, rec);
	if (r->workers) {
		workers_add(r->workers, rec);
		progress(r, rec);
		return 0;
	}
	int st = evaluate_record(r, rec);
	progress(r, rec);
	return st;
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

static int refuse_non_utf8(struct run *r, FILE *f)
{
	struct stat sbuf;
	if (r->o->encoding || fstat(fileno(f), &sbuf) != 0 || !S_ISREG(sbuf.st_mode))
		return 0;
	size_t bad_line = 0;
	unsigned bad_byte = 0;
	int ok = csvin_check_utf8(f, &bad_line, &bad_byte);
	if (ok == 0) {
		diag_error("%s: line %zu: not valid UTF-8 (byte 0x%02X); a file saved by Excel on Chinese Windows "
			   "is GB18030: try --encoding gb18030", r->name, bad_line, bad_byte);
		return 2;
	}
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
	strbuf_init(&r.why_en);
	strbuf_init(&r.why_zh);
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last_progress = r.start;
	bool use_stdin = !o->input || strcmp(o->input, "-") == 0;
	r.name = use_stdin ? "<stdin>" : o->input;
	FILE *f = use_stdin ? stdin : fopen(o->input, "rb");
	int status = 0;
	char err[512] = "";
	struct csvin_options copt = { o->encoding, o->max_cell, 0, 0 };
	if (!f) {
		diag_error("cannot open '%s': %s", o->input, strerror(errno));
		status = 2;
		goto done;
	}
	struct stat sbuf;
	if (fstat(fileno(f), &sbuf) == 0 && S_ISREG(sbuf.st_mode))
		r.size = sbuf.st_size;
	if (fstat(fileno(f), &sbuf) == 0 && S_ISDIR(sbuf.st_mode)) {
		diag_error("cannot read '%s': it is a directory; expected a CSV file", r.name);
		status = 2;
		goto done;
	}
	if ((status = refuse_non_utf8(&r, f)) != 0)
		goto done;
	if (o->header_from) {
		FILE *h = fopen(o->header_from, "rb");
		if (!h) {
			diag_error("cannot open '%s': %s", o->header_from, strerror(errno));
			status = 2;
			goto done;
		}
		int hs = csvin_read(h, o->header_from, &copt, take_header, &r, err, sizeof err);
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
	int rc = csvin_read(f, r.name, &copt, on_csv_record, &r, err, sizeof err);
	if (rc < 0) {
		diag_error("%s", err);
		status = r.have_header && st->records ? 1 : 2;
	} else if (rc != 0) {
		status = rc;
	} else if (!r.have_header) {
		diag_error("%s: empty file; expected a header row naming the columns", r.name);
		status = 2;
	}
done:
	if (r.workers)
		workers_finish(r.workers);
	if (r.progress_shown)
		diag_note("\r\033[K");
	st->seconds = seconds_since(&r.start);
	if (f && !use_stdin)
		fclose(f);
	for (size_t k = 0; k < nsets; k++)
		evaluator_free(r.ev[k]);
	if (r.have_header)
		header_map_release(&r.hm);
	free(r.vals);
	idset_release(&r.ids);
	strbuf_release(&r.why_en);
	strbuf_release(&r.why_zh);
	return status;
}

void batch_print_summary(const struct batch_stats *st)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%zu record%s", st->records, st->records == 1 ? "" : "s");
	for (size_t i = 0; i < st->ntokens; i++)
		strbuf_addf(&sb, "%s %zu %s", i ? "," : ":", st->counts[i], st->tokens[i]);
	strbuf_addf(&sb, " in %.2f s", st->seconds);
	if (st->seconds > 0 && st->records > 1000)
		strbuf_addf(&sb, " (%.0f records/s)", st->records / st->seconds);
	diag_note("verdict: %s\n", sb.buf);
	strbuf_release(&sb);
}
