/* lookback — the latest bytes of a stream kept; see lookback.h. */
#include <stdlib.h>
#include <string.h>
#include "lookback.h"

void lookback_init(struct lookback *lb, size_t limit)
{
	memset(lb, 0, sizeof *lb);
	lb->limit = limit;
}

void lookback_release(struct lookback *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof *lb);
}

/* Keep the n bytes just read from the stream at pos, after those kept;
 * over the limit, let those go first (and these too, over it alone). */
static void keep(struct lookback *lb, const unsigned char *s, size_t n)
{
	if (n == 0)
		return;
	if (n > lb->limit - lb->len) {
		lb->len = 0;
		lb->base = lb->pos;
		if (n > lb->limit) {
			lb->base += (long long)n;
			return;
		}
	}
	if (lb->len + n > lb->cap) {
		size_t cap = lb->cap ? lb->cap : 65536;
		while (cap < lb->len + n)
			cap *= 2;
		if (cap > lb->limit)
			cap = lb->limit;
		unsigned char *b = realloc(lb->buf, cap);
		if (!b)
			abort();
		lb->buf = b;
		lb->cap = cap;
	}
	memcpy(lb->buf + lb->len, s, n);
	lb->len += n;
}

size_t lookback_read(struct lookback *lb, FILE *f, unsigned char *dst, size_t n)
{
	size_t got = 0;
	long long end = lb->base + (long long)lb->len;
	if (lb->pos < end) {
		size_t k = (size_t)(end - lb->pos);
		if (k > n)
			k = n;
		memcpy(dst, lb->buf + (lb->pos - lb->base), k);
		got = k;
		lb->pos += (long long)k;
	}
	if (got < n) {
		size_t k = fread(dst + got, 1, n - got, f);
		keep(lb, dst + got, k);
		got += k;
		lb->pos += (long long)k;
	}
	return got;
}

void lookback_forget_before(struct lookback *lb, long long off)
{
	long long end = lb->base + (long long)lb->len;
	if (off <= lb->base)
		return;
	if (off >= end) {
		lb->len = 0;
		lb->base = end;
		return;
	}
	size_t drop = (size_t)(off - lb->base);
	memmove(lb->buf, lb->buf + drop, lb->len - drop);
	lb->len -= drop;
	lb->base = off;
}

bool lookback_seek(struct lookback *lb, long long pos)
{
	if (pos < lb->base || pos > lb->base + (long long)lb->len)
		return false;
	lb->pos = pos;
	return true;
}

long long lookback_kept_from(const struct lookback *lb)
{
	return lb->base;
}
