/* verdict check — one verdict per record, in input order. */
#include <string.h>
#include "batch.h"
#include "cli.h"
#include "diag.h"
#include "cell.h"
#include "early_check.h"
#include "json.h"
#include "output.h"
#include "workers.h"

static const char usage[] =
"usage: verdict check [options] [FILE|-]\n"
"\n"
"Evaluate every record of a CSV file (or standard input) and write one\n"
"verdict per record, in input order.\n"
"\n"
"  -r, --rules DIR         rule set directory (default $VERDICT_RULES, else ./rules,\n"
"                          else the installed rule set)\n"
"  -d, --decision NAME     which decision (default: the one the header fits)\n"
"      --as-of YYYY-MM-DD  the date of the evaluation (default: today)\n"
"  -o, --output FILE       write here instead of standard output\n"
"      --format FMT        csv (default), jsonl (with the full trace), table, excel\n"
"      --bom               begin the output with a UTF-8 byte-order mark (for Excel;\n"
"                          csv and table only)\n"
"      --encoding ENC      utf-8 (default), gb18030 or gbk\n"
"      --lang en|zh        language of the reason column\n"
"      --max-instructions N  Lua instructions per record (default 2000000)\n"
"      --max-memory MIB    memory cap of the rule engine (default 64)\n"
"      --max-cell BYTES    longest cell read (default 1048576)\n"
"      --header-from FILE  take the header from FILE (for chunks without one)\n"
"      --row-offset N      number rows from N+1 (and lines with them; for chunks)\n"
"      --no-header         leave out the CSV header line and any byte-order mark\n"
"                          (for chunks after the first)\n"
"      --jobs N            evaluate in N processes (0 = one per core; default 1);\n"
"                          the output is the same, in input order\n"
"      --engine E          auto (default): declared rules run compiled, in C;\n"
"                          native: the same, and stop if the decision cannot;\n"
"                          lua: every record by the Lua evaluator (the reference)\n"
"  -q, --quiet             no summary line on stderr\n"
"  -h, --help              this help\n"
"      --version           the engine's version and the rule set's digest\n"
"\n"
"Exit status: 0 every record evaluated; 1 some record INVALID or ERROR;\n"
"2 nothing evaluated (usage, unreadable input, rule set or header problem).\n";

struct check {
	const struct options *o;
	struct output out;
	FILE *f;
	bool begun;
	char as_of[DATE_TEXT_MAX];
	struct strbuf cells;   /* cells_read's, reused */
};

static void prepare(void *ctx, const struct decision_def *d)
{
	struct check *c = ctx;
	c->out.decision = d->name;
	c->out.scored = d->scored;
	output_prepare(&c->out);
}

static int begin(void *ctx, const struct decision_def *d)
{
	struct check *c = ctx;
	c->f = cli_open_output(c->o->output);
	if (!c->f)
		return 2;
	c->out.f = c->f;
	prepare(ctx, d);
	output_begin(&c->out);
	c->begun = true;
	return 0;
}

static FILE *output(void *ctx)
{
	struct check *c = ctx;
	output_flush(&c->out);   /* what is held goes where it was meant to */
	return c->out.f;
}

static void into(void *ctx, struct strbuf *sb)
{
	struct check *c = ctx;
	output_into(&c->out, sb);
}

/* A jsonl record with no trace (INVALID: a cell could not be read; ERROR:
 * a rule failed) shows what was read instead, so that an auditor sees the
 * values the reason speaks of: ,"cells":{"column":"text",...}, each
 * declared column the header has, trimmed, as written. */
static void cells_read(struct strbuf *t, const struct batch_result *r)
{
	strbuf_reset(t);
	strbuf_addstr(t, ",\"cells\":{");
	bool first = true;
	for (size_t i = 0; i < r->d->ncols; i++) {
		long f = r->hm->field_of_col[i];
		if (f < 0 || (size_t)f >= r->rec->nfields)
			continue;
		const char *s = r->rec->fields[f];
		size_t n = cell_trim(&s, r->rec->lens[f]);
		if (!first)
			strbuf_addch(t, ',');
		first = false;
		json_quote(t, r->d->cols[i].name, strlen(r->d->cols[i].name));
		strbuf_addch(t, ':');
		json_quote(t, s, n);
	}
	strbuf_addch(t, '}');
}

static int record(void *ctx, const struct batch_result *r)
{
	struct check *c = ctx;
	const struct eval_result *e = &r->ev[0];
	struct out_record o = {
		.row = r->row, .line = r->line, .id = r->id, .id_len = r->id_len,
		.verdict = e->verdict, .has_score = e->has_score, .score = e->score,
		.grade = e->grade, .failed = e->failed, .missing = e->missing, .reason = e->reason,
		.trace = e->trace, .trace_len = e->trace_len, .trace_buf = e->trace_buf,
	};
	if (c->out.format == FMT_JSONL && !e->trace && r->rec && r->hm && r->d) {
		cells_read(&c->cells, r);
		o.cells = c->cells.buf;
		o.cells_len = c->cells.len;
	}
	output_record(&c->out, &o);
	return 0;
}

/* The rule set of a run with workers, kept till the process ends. */
static struct ruleset *left_to_exit __attribute__((used));

int cmd_check(int argc, char **argv)
{
	struct options o;
	int st = cli_options(&o, argc, argv, usage);
	if (st)
		return st == 1 ? 0 : 2;
	if (options_refuse_format(&o, 1u << FMT_CSV | 1u << FMT_JSONL | 1u << FMT_TABLE, true,
				  "csv, jsonl, table or excel") ||
	    options_refuse_output_stdin(&o, 0))
		return 2;
	if (o.bom && o.format == FMT_JSONL) {
		/* JSON forbids it: the run could not be read back (audit) */
		diag_error2("check: --bom with --format jsonl: JSON Lines readers refuse a byte-order mark; "
			    "expected --bom with --format csv or table (for Excel)",
			    "check：--bom不能与--format jsonl同用：JSON Lines的读取程序不接受字节顺序标记；"
			    "--bom应与--format csv或table同用（供Excel打开）");
		return 2;
	}
	/* With workers, the input's UTF-8 is checked while the rules load,
	 * and the places to cut it into chunks found on the way (a mark every
	 * quarter chunk: near the end, chunks are a quarter). */
	struct early_check early;
	bool early_started = false;
	int jobs = o.jobs == 0 ? workers_cpu_count() : o.jobs;
	if (jobs >= 2 && !o.encoding && o.nargs && strcmp(o.args[0], "-") != 0) {
		size_t chunk = batch_chunk_bytes(o.format == FMT_JSONL);
		early_started = early_check_start(&early, o.args[0], chunk >= 4 ? chunk / 4 : 1);
	}
	struct ruleset *rs = cli_load_rules(&o, NULL);
	if (!rs) {
		if (early_started)
			early_check_end(&early);
		return 2;
	}
	struct check c;
	memset(&c, 0, sizeof c);
	c.o = &o;
	date_format(o.as_of, c.as_of);
	c.out.format = o.format;
	c.out.bom = o.bom;
	c.out.no_header = o.no_header;
	c.out.as_of = c.as_of;
	c.out.digest = rs->digest;
	c.out.ruleset = rs->name;
	c.out.version = rs->version;
	/* Limits given on the command line decide which records are ERROR
	 * (or INVALID, a cell past --max-cell): recorded, for an auditor to
	 * run again with the same.  The defaults are not written. */
	char limits[160] = "";
	if (o.max_instructions || o.max_memory || o.max_cell) {
		int n = snprintf(limits, sizeof limits, ",\"limits\":{");
		const char *sep = "";
		if (o.max_instructions) {
			n += snprintf(limits + n, sizeof limits - (size_t)n, "%s\"max_instructions\":%ld", sep,
				      o.max_instructions);
			sep = ",";
		}
		if (o.max_memory) {
			n += snprintf(limits + n, sizeof limits - (size_t)n, "%s\"max_memory_mib\":%zu", sep,
				      o.max_memory >> 20);
			sep = ",";
		}
		if (o.max_cell)
			n += snprintf(limits + n, sizeof limits - (size_t)n, "%s\"max_cell\":%zu", sep, o.max_cell);
		snprintf(limits + n, sizeof limits - (size_t)n, "}");
		c.out.limits_json = limits;
	}
	struct batch_options bo = {
		.input = o.nargs ? o.args[0] : NULL, .encoding = o.encoding, .max_cell = o.max_cell,
		.decision = o.decision, .as_of = o.as_of, .want_trace = o.format == FMT_JSONL,
		.lang = o.lang, .header_from = o.header_from, .row_offset = o.row_offset,
		.progress = diag_is_tty() && !o.quiet, .jobs = o.jobs, .engine = o.engine,
		.early_utf8 = early_started ? &early : NULL,
	};
	/* Table widths come from the first rows: one process only. */
	bool table = o.format == FMT_TABLE;
	struct batch_sink sink = { begin, record, &c, table ? NULL : output, table ? NULL : into, prepare };
	struct batch_stats stats;
	st = batch_run(&rs, 1, &bo, &sink, &stats);
	if (early_started)
		early_check_end(&early);
	int write_failed = 0;
	if (c.begun && st == 2) {
		/* the run failed after its output began: -o FILE keeps what
		 * it held rather than part of the records */
		output_end(&c.out);
		cli_abandon_output(c.f);
	} else if (c.begun) {
		bool held_failed = output_end(&c.out) != 0;
		write_failed = cli_close_output(c.f, o.output);
		/* records written straight from their buffers (jsonl), which
		 * stdio did not see fail */
		if (held_failed && !write_failed) {
			cli_write_error(o.output, c.out.write_errno);
			write_failed = 1;
		}
	} else {
		output_release(&c.out);
	}
	strbuf_release(&c.cells);
	/* (not after a failed write: its message is the last word) */
	if (!o.quiet && st != 2 && !write_failed)
		batch_print_summary(&stats);
	/* After a run with workers, the parent's copy of the rule set is left
	 * for the process's end to take back: freeing it writes to every page
	 * of its Lua heap, each write-protected since the fork, and on a
	 * paravirtualized machine each such fault costs 10-20 us (5 ms in all,
	 * the last thing the run waits for).  It stays reachable
	 * (left_to_exit), so that leak checkers do not count it as lost. */
	if (stats.forked)
		left_to_exit = rs;
	else
		ruleset_free(rs);
	if (st == 2 || write_failed)
		return 2;
	if (st)
		return st;
	return (stats.invalid || stats.errors) ? 1 : 0;
}
