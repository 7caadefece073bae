/*
 * csvin_zh — the CSV reader's problems (csvin.h: a record's `problem`) in
 * Chinese, for --lang zh.  The reader writes them in English; this turns
 * each of its forms into the Chinese one, with the same numbers.
 */
#ifndef VERDICT_CSVIN_ZH_H
#define VERDICT_CSVIN_ZH_H

#include "strbuf.h"

/* Append the Chinese of problem `en` to out; a problem of no known form
 * is appended as it is.  A cell is named "第N个单元格", which batch.c's
 * column naming looks for as it looks for "cell N" in English. */
void csvin_problem_zh(const char *en, struct strbuf *out);

#endif
