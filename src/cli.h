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

/* Load the rule set of -r / $VERDICT_RULES / ./rules / installed; print
 * each problem and return NULL when it cannot be used. */
struct ruleset *cli_load_rules(const struct options *o, const char *dir);

/* Open -o FILE for writing, or stdout; NULL with a message on failure. */
FILE *cli_open_output(const char *path);
/* Close an output opened by cli_open_output; non-zero if writing failed. */
int cli_close_output(FILE *f, const char *path);

int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_rulebook(int argc, char **argv);

#endif
