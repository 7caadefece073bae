/*
 * options — the command line shared by every command (contract section 1)
 * and the few that belong to one command.  Parsing only: no file is opened
 * here.  Strings point into argv.
 */
#ifndef VERDICT_OPTIONS_H
#define VERDICT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include "date.h"

enum out_format { FMT_CSV, FMT_JSONL, FMT_TABLE, FMT_MD, FMT_HTML };

/* Which evaluator runs the records (--engine). */
enum engine {
	ENGINE_AUTO,              /* the native plan where the decision has one, else Lua */
	ENGINE_LUA,               /* the Lua evaluator for every record (the reference) */
	ENGINE_NATIVE,            /* the native plan, or stop if the decision has none */
};

struct options {
	const char *command;      /* argv[0]: the command's name, for messages */
	const char *rules;        /* -r/--rules */
	const char *decision;     /* -d/--decision */
	const char *output;       /* -o */
	const char *encoding;     /* --encoding */
	const char *lang;         /* "en" or "zh" */
	enum out_format format;
	bool format_given;
	const char *format_name;  /* as given (excel stays excel), for messages */
	bool as_of_given;
	date_t as_of;
	bool bom;                 /* --bom: a UTF-8 byte-order mark for Excel */
	bool template_;           /* schema --template */
	const char *id;           /* explain --id */
	long row;                 /* explain --row (0 = none) */
	const char *old_dir, *new_dir;   /* diff */
	const char *header_from;  /* --header-from FILE */
	long row_offset;          /* --row-offset N */
	int jobs;                 /* --jobs N */
	long max_instructions;    /* --max-instructions */
	size_t max_memory;        /* --max-memory (MiB on the command line) */
	size_t max_cell;          /* --max-cell (bytes) */
	bool quiet;               /* -q: no summary line */
	bool no_header;           /* --no-header: no CSV header line in the output */
	enum engine engine;       /* --engine auto|native|lua */
	int nargs;                /* positional arguments */
	char **args;
};

/* options_parse's answer when --version (or -V) was given. */
#define OPTIONS_VERSION 3

/*
 * Parse argv (argv[0] is the command name).  An option the command does
 * not take, and file arguments more or fewer than it takes, are usage
 * errors (options.c's table of commands says which).  Returns 0 to go
 * on, 1 when help was printed (exit 0), 2 on a usage error (message
 * printed),
 * OPTIONS_VERSION when --version was asked for (every option read: -r
 * says which rule set's digest to print; cli_options prints it).
 * usage is the command's help text.
 */
int options_parse(struct options *o, int argc, char **argv, const char *usage);

/*
 * --lang wherever it stands in argv (argv[0] a command or the program):
 * diag_set_zh before any option is read, so that a message about an
 * option given before --lang zh is in Chinese too.
 */
void options_lang_early(int argc, char **argv);

/* Whether --lang zh was given: what the command writes is in Chinese. */
bool options_zh(const struct options *o);

/*
 * For a command that reads standard input when its positional argument
 * number input_arg is absent or "-": refuse -o naming the file standard
 * input comes from (writing would empty it before it is read).  Returns
 * 0 to go on, 2 with a message.
 */
int options_refuse_output_stdin(const struct options *o, int input_arg);

/*
 * --format and --bom where the command writes only some forms: allowed is
 * a mask of (1 << FMT_...) the command takes (0: it takes no --format),
 * bom whether it takes --bom; forms names them in the message (in
 * Chinese under --lang zh where options.c knows the words).  0
 * to go on, 2 with a message (they were taken silently and ignored).
 */
int options_refuse_format(const struct options *o, unsigned allowed, bool bom, const char *forms);

#endif
