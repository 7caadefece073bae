/*
 * ruletests — the test cases that live inside a rule set: every
 * tests/NAME.csv of the rule set directory is a set of input records,
 * tests/NAME.expected.csv the expected result of each (columns row and
 * verdict, and any of id, score, grade, failed, missing).  An `as_of`
 * column in the input gives a case its evaluation date.
 *
 * Shared by `verdict test` (reports every difference) and `verdict lint`
 * (reports only rules that fail at run time).  Relies on batch, csvin.
 */
#ifndef VERDICT_RULETESTS_H
#define VERDICT_RULETESTS_H

#include <stdbool.h>
#include <stdio.h>
#include "options.h"
#include "ruleset.h"

struct ruletests_result {
	size_t files, passed, failed, invalid_cases;
	size_t not_run;           /* test files that could not be run (said on stderr) */
	size_t errors;            /* distinct run-time errors of rules */
	char *errored;            /* " ID1 ID2 ": rules that failed at run time */
};

void ruletests_release(struct ruletests_result *res);

/*
 * Run every test file of rs.  Differences (test) or run-time errors (lint,
 * when only_errors) are written to out.  Returns 0, or 2 when a test file
 * cannot be read at all (message printed).
 */
int ruletests_run(struct ruleset *rs, const struct options *o, bool only_errors, FILE *out,
		  struct ruletests_result *res);

#endif
