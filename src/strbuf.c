/*
 * strbuf — growable NUL-terminated byte buffer.
 *
 * An empty strbuf points at strbuf_slopbuf, a shared "" that is never
 * written, so buf is a valid C string from STRBUF_INIT on; cap == 0 means
 * nothing is allocated yet (a zeroed strbuf, buf NULL, works as well).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

char strbuf_slopbuf[1];

static void out_of_memory(void)
{
	fputs("verdict: out of memory\n", stderr);
	abort();
}

void strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_slopbuf;
	sb->len = 0;
	sb->cap = 0;
	sb->borrowed = false;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->cap > 0 && !sb->borrowed)
		free(sb->buf);
	strbuf_init(sb);
}

void strbuf_borrow(struct strbuf *sb, char *mem, size_t size)
{
	strbuf_release(sb);
	sb->buf = mem;
	sb->cap = size;
	sb->borrowed = true;
	mem[0] = '\0';
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->cap > 0)
		sb->buf[0] = '\0';
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;

	/* Room for len + extra bytes and the NUL, without wrapping. */
	if (extra > SIZE_MAX - 1 - sb->len)
		out_of_memory();
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	/* Grow by half again at least, so appends are amortised O(1). */
	cap = sb->cap < 16 ? 16 : sb->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 3 * 2 ? need : cap + cap / 2;
	if (sb->borrowed) {
		/* Outgrown: the bytes move out of the caller's memory. */
		p = malloc(cap);
		if (p == NULL)
			out_of_memory();
		memcpy(p, sb->buf, sb->len + 1);
		sb->borrowed = false;
	} else {
		p = realloc(sb->cap > 0 ? sb->buf : NULL, cap);
		if (p == NULL)
			out_of_memory();
	}
	if (sb->cap == 0)
		p[0] = '\0';
	sb->buf = p;
	sb->cap = cap;
}


/* strbuf_copy_'s long copies: a call, as memcpy was. */
void strbuf_copy_long_(char *d, const char *s, size_t len)
{
	memcpy(d, s, len);
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* First pass measures, the second writes into the grown buffer. */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fputs("verdict: strbuf_addf: cannot format\n", stderr);
		abort();
	}
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}
