/*
 * cli — what the command front ends share: the command table, loading the
 * rule set named by the options (reporting every problem with file:line),
 * opening the output file.
 */
#ifndef VERDICT_CLI_H
#define VERDICT_CLI_H

#include <stdio.h>
#include "options.h"
#include "ruleset.h"

/*
 * options_parse, and --version answered: returns 0 to go on, 1 when help
 * or the version was printed (exit 0), 2 on a usage error or a rule set
 * --version cannot read (message printed).
 */
int cli_options(struct options *o, int argc, char **argv, const char *usage);

/*
 * --version: the engine's version, then the rule set's directory and
 * digest (of -r DIR, $VERDICT_RULES, ./rules or the installed one).  A
 * rule set that cannot be read has no digest: the message says why;
 * 2 when -r or $VERDICT_RULES named it, else (none found where the
 * default is looked for) 0.
 */
int cli_version(const char *rules_option);

/* Load the rule set of -r / $VERDICT_RULES / ./rules / installed; print
 * each problem and return NULL when it cannot be used (or has no decision
 * -d names: see cli_check_decision). */
struct ruleset *cli_load_rules(struct options *o, const char *dir);

/* 0 when -d is not given or names a decision of rs (in any case, or by
 * its Chinese title: o->decision is then set to the name as declared);
 * else 2, with "COMMAND: unknown decision 'NAME'; the rule set 'DIR'
 * has: ...". */
int cli_check_decision(struct options *o, const struct ruleset *rs);

/* Open -o FILE for writing, or stdout; NULL with a message on failure. */
FILE *cli_open_output(const char *path);
/* Close an output opened by cli_open_output; non-zero if writing failed.
 * A file written under a name of its own (cli.c) takes the name -o gave
 * only here, when it is complete. */
int cli_close_output(FILE *f, const char *path);

/* The message for output that could not be written (path as -o gave
 * it; NULL or "-": standard output), for err; a reader gone away (EPIPE:
 * `| head`, a FIFO's) ends the process by SIGPIPE instead, as a filter
 * ends. */
void cli_write_error(const char *path, int err);

/* Close it and let go of what was written, for a run that failed: a file
 * -o named keeps what it held where it was written under a name of its
 * own (cli.c); one written in place (a FIFO, a symbolic link, a file with
 * other hard links, another's) holds what was written. */
void cli_abandon_output(FILE *f);

int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_rulebook(int argc, char **argv);

#endif
