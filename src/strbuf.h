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
#include <string.h>

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
void strbuf_addstr(struct strbuf *sb, const char *s);

/* strbuf_add and strbuf_addch are inline: they call strbuf_grow only when
 * the room left (cap - len, 0 while nothing is allocated) is too small for
 * the bytes and the NUL.  strbuf.c holds their external definitions. */
inline void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (sb->cap - sb->len <= len)
		strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

inline void strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->cap - sb->len < 2)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
