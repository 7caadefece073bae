/*
 * strbuf — a growable byte buffer, always NUL-terminated.
 *
 * The strbuf owns buf; strbuf_release frees it.  Reuse one buffer across
 * records with strbuf_reset (keeps the allocation).  Allocation failure
 * aborts the program with a message (there is no sensible recovery).
 */
#ifndef VERDICT_STRBUF_H
#define VERDICT_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
	bool borrowed;   /* buf is the caller's memory (strbuf_borrow) */
};

/* An empty strbuf points at this shared, never written "" (as in git), so
 * buf is a C string even before anything is added; cap 0 = not owned. */
extern char strbuf_slopbuf[];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0, false }

void strbuf_init(struct strbuf *sb);
/* Use mem[0..size) (size >= 1) as the buffer, empty: bytes added go there
 * until they outgrow it; then they move to memory of the strbuf's own,
 * and mem is not touched again.  A borrowed buffer is never freed here.
 * Memory the strbuf owned before is freed.  (A --jobs worker writes its
 * result straight into the memory it shares with the parent this way.) */
void strbuf_borrow(struct strbuf *sb, char *mem, size_t size);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_addstr(struct strbuf *sb, const char *s);

/* Not for callers: strbuf_add's copy of more than 32 bytes. */
void strbuf_copy_long_(char *d, const char *s, size_t len);

/* memcpy, with the short copies a trace is made of (most under 32 bytes)
 * done inline, by two overlapping loads and stores, rather than by a call. */
static inline void strbuf_copy_(char *d, const void *src, size_t len)
{
	const char *s = src;
	if (len <= 32) {
		if (len >= 16) {
			char a[16], b[16];
			memcpy(a, s, 16);
			memcpy(b, s + len - 16, 16);
			memcpy(d, a, 16);
			memcpy(d + len - 16, b, 16);
		} else if (len >= 8) {
			uint64_t a, b;
			memcpy(&a, s, 8);
			memcpy(&b, s + len - 8, 8);
			memcpy(d, &a, 8);
			memcpy(d + len - 8, &b, 8);
		} else if (len >= 4) {
			uint32_t a, b;
			memcpy(&a, s, 4);
			memcpy(&b, s + len - 4, 4);
			memcpy(d, &a, 4);
			memcpy(d + len - 4, &b, 4);
		} else if (len) {
			char a = s[0], b = s[len / 2], c = s[len - 1];
			d[0] = a;
			d[len / 2] = b;
			d[len - 1] = c;
		}
		return;
	}
	strbuf_copy_long_(d, s, len);
}

/* strbuf_add and strbuf_addch are inline: they call strbuf_grow only when
 * the room left (cap - len, 0 while nothing is allocated) is too small for
 * the bytes and the NUL. */
static inline void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (len == 0)
		return;
	if (sb->cap - sb->len <= len)
		strbuf_grow(sb, len);
	strbuf_copy_(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->cap - sb->len < 2)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
