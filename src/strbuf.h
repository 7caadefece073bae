/*
 * strbuf — a growable byte buffer, always NUL-terminated.
 *
 * The strbuf owns buf; strbuf_release frees it.  Reuse one buffer across
 * records with strbuf_reset (keeps the allocation).  Allocation failure
 * aborts the program with a message (there is no sensible recovery).
 */
#ifndef VERDICT_STRBUF_H
#define VERDICT_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

/* An empty strbuf points at this shared, never written "" (as in git), so
 * buf is a C string even before anything is added; cap 0 = not owned. */
extern char strbuf_slopbuf[];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
