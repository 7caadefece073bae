/*
 * diag — every message to stderr goes through here: "verdict: " and the
 * text.  Results never go to stderr; messages never go to stdout.
 * Callers put the place first ("apps.csv: row 3 (line 4): ...").
 */
#ifndef VERDICT_DIAG_H
#define VERDICT_DIAG_H

#include <stdbool.h>

void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same in the language --lang chose: en_fmt, or zh_fmt under
 * --lang zh; both take the same arguments in the same order. */
void diag_error2(const char *en_fmt, const char *zh_fmt, ...);
void diag_warn2(const char *en_fmt, const char *zh_fmt, ...);
/* --lang zh: the messages that have a Chinese form use it. */
void diag_set_zh(bool zh);
bool diag_zh(void);
/* strerror(e) in the language --lang chose: the errors a person meets
 * opening a file (ENOENT, EACCES, EISDIR, ENOTDIR) in Chinese under
 * --lang zh; any other, and every one in English, as the C library
 * words it. */
const char *diag_strerror(int e);
/* When err is EPIPE (output whose reader went away: `| head`, a FIFO's),
 * end the process by SIGPIPE, silently, as a filter ends; also where
 * --jobs had SIGPIPE ignored for its workers' pipes.  Else return. */
void diag_end_if_reader_gone(int err);
/* Plain line to stderr, no prefix (summaries, progress). */
void diag_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether stderr is a terminal (for the progress line). */
bool diag_is_tty(void);

#endif
