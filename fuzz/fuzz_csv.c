/*
 * fuzz_csv — libFuzzer harness for the CSV reader with typed cells.
 *
 * The input's first byte chooses how to read (encoding, chunk size or
 * from memory, cell limit, output format); the rest is the CSV file.  It goes the way
 * `verdict check` takes it, without Lua: csvin reads it, the header is
 * matched to a fixed decision built here (a column of every type), each
 * record's cells are typed by record.c, ids go into an idset, and one
 * output record per input record is written (to /dev/null) in the chosen
 * format.  Besides the sanitizers, it checks what csvin promises: rows
 * counted from 0 without gaps, lines never going back, fields
 * NUL-terminated at their length, within the limits.
 *
 *   make fuzz                  (both harnesses, FUZZ_SECONDS each)
 *   fuzz/out/fuzz_csv fuzz/out/corpus-csv
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csvin.h"
#include "idset.h"
#include "json.h"
#include "output.h"
#include "record.h"
#include "strbuf.h"

#define check(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_csv: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static char *tok_form[] = { "ent", "non" };
static char *lab_form[] = { "企业", "非企业" };

static struct column_def cols[] = {
	{ .name = "id", .zh = "编号", .type = "string", .base = COL_STRING, .required = true, .unique = true },
	{ .name = "form", .zh = "形式", .type = "enum", .base = COL_ENUM, .ntokens = 2,
	  .tokens = tok_form, .labels = lab_form },
	{ .name = "date", .zh = "日期", .type = "date", .base = COL_DATE },
	{ .name = "members", .zh = "成员数", .type = "count", .base = COL_INT, .has_min = true, .min = 0 },
	{ .name = "amount", .zh = "金额", .type = "money", .base = COL_NUMBER, .has_min = true, .min = 0 },
	{ .name = "share", .zh = "比例", .type = "ratio", .base = COL_NUMBER, .has_min = true, .min = 0,
	  .has_max = true, .max = 1 },
	{ .name = "linked", .zh = "关联", .type = "bool", .base = COL_BOOL },
	{ .name = "delta", .zh = "差", .type = "int", .base = COL_INT },
	{ .name = "note", .zh = "备注", .type = "string", .base = COL_STRING, .optional = true },
};
#define NCOLS (sizeof cols / sizeof cols[0])

static struct decision_def decision = {
	.name = "fuzz", .title_en = "Fuzz", .title_zh = "模糊", .id_col = 0,
	.ncols = NCOLS, .cols = cols,
};

struct run {
	const struct csvin_options *opt;
	bool have_header;
	struct header_map hm;
	struct value vals[NCOLS];
	struct idset ids;
	struct strbuf why_en, why_zh, quoted;
	struct output out;
	size_t next_row, last_line;
};

static void check_record(struct run *r, const struct csvin_record *rec)
{
	size_t max_cell = r->opt->max_cell ? r->opt->max_cell : CSVIN_DEFAULT_MAX_CELL;

	check(rec->row == r->next_row);
	check(rec->line >= 1 && rec->line >= r->last_line);
	check(rec->nfields >= 1 && rec->nfields <= CSVIN_DEFAULT_MAX_FIELDS);
	for (size_t i = 0; i < rec->nfields; i++) {
		check(rec->fields[i][rec->lens[i]] == '\0');
		check(rec->lens[i] <= max_cell);
		/* Valid UTF-8 unless the record says why not. */
		if (!rec->problem)
			check(utf8_valid_prefix(rec->fields[i], rec->lens[i]) == rec->lens[i]);
		strbuf_reset(&r->quoted);
		json_quote(&r->quoted, rec->fields[i], rec->lens[i]);
	}
	r->next_row++;
	r->last_line = rec->line;
}

static int on_record(void *ctx, const struct csvin_record *rec)
{
	struct run *r = ctx;
	struct strbuf err = STRBUF_INIT, warn = STRBUF_INIT;

	check_record(r, rec);
	if (!r->have_header) {
		int rc = rec->problem ? -1 : header_map_build(&r->hm, &decision, rec, &err, &warn);
		strbuf_release(&err);
		strbuf_release(&warn);
		if (rc != 0) {
			if (!rec->problem)
				header_map_release(&r->hm);
			return 2;   /* as batch: nothing can be evaluated */
		}
		r->have_header = true;
		output_begin(&r->out);
		return 0;
	}
	strbuf_reset(&r->why_en);
	strbuf_reset(&r->why_zh);
	size_t problems = 1;
	if (rec->problem)
		strbuf_addstr(&r->why_en, rec->problem);
	else
		problems = record_read(&decision, &r->hm, rec, r->vals, &r->why_en, &r->why_zh);
	const char *id = "";
	size_t id_len = 0;
	long f = r->hm.field_of_col[0];
	if (f >= 0 && (size_t)f < rec->nfields) {
		id = rec->fields[f];
		id_len = rec->lens[f];
	}
	if (id_len)
		idset_add(&r->ids, id, id_len, rec->row);
	struct out_record o = {
		.row = rec->row, .line = rec->line, .id = id, .id_len = id_len,
		.verdict = problems ? "INVALID" : "OK", .failed = "", .missing = "",
		.reason = problems ? r->why_en.buf : "fine",
	};
	output_record(&r->out, &o);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	static const size_t chunks[] = { 0, 1, 2, 3, 7, 64 };
	static const size_t cells[] = { 0, 16, 17, 100 };
	static const enum out_format formats[] = { FMT_CSV, FMT_JSONL, FMT_TABLE, FMT_CSV };

	if (size < 1)
		return 0;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	uint8_t sel = data[0];
	struct csvin_options opt = {
		.encoding = (sel & 1) ? "gb18030" : NULL,
		.chunk = ((sel >> 1) & 7) >= 6 ? 0 : chunks[(sel >> 1) & 7],
		.max_cell = cells[(sel >> 4) & 3],
	};
	data++;
	size--;
	/* fmemopen refuses size 0: read an empty file then. */
	FILE *f = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
	if (!f)
		abort();
	struct run r;
	memset(&r, 0, sizeof r);
	r.opt = &opt;
	idset_init(&r.ids);
	strbuf_init(&r.why_en);
	strbuf_init(&r.why_zh);
	strbuf_init(&r.quoted);
	r.out.f = devnull;
	r.out.format = formats[(sel >> 6) & 3];
	r.out.decision = "fuzz";
	r.out.as_of = "2025-06-30";
	r.out.digest = "0";
	r.out.ruleset = "fuzz";
	r.out.version = "1";
	char err[256];
	/* Selector value 6 of the chunk size: read from memory; 7: from a
	 * range of a file, as --jobs workers read their chunks (the bytes
	 * after one other byte, in a memfd). */
	int how = (sel >> 1) & 7, rc, fd = -1;
	if (how == 7 && (fd = memfd_create("fuzz", 0)) >= 0 &&
	    (write(fd, "\n", 1) != 1 || (size && write(fd, data, size) != (ssize_t)size))) {
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		rc = csvin_read_range(fd, 1, size, "fuzz.csv", &opt, on_record, &r, err, sizeof err);
	else if (how >= 6)
		rc = csvin_read_mem((const char *)data, size, "fuzz.csv", &opt, on_record, &r, err, sizeof err);
	else
		rc = csvin_read(f, "fuzz.csv", &opt, on_record, &r, err, sizeof err);
	if (fd >= 0)
		close(fd);
	check(rc == 0 || rc == 2);
	fclose(f);
	if (r.have_header) {
		output_end(&r.out);
		header_map_release(&r.hm);
	}
	idset_release(&r.ids);
	strbuf_release(&r.why_en);
	strbuf_release(&r.why_zh);
	strbuf_release(&r.quoted);
	return 0;
}
