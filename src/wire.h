/*
 * wire — numbers, byte strings and CSV records as bytes, for the jobs and
 * results that pass between the parent and its workers (batch.c).
 *
 * Native byte order: both ends are the same program on the same machine.
 * A reader never runs past its end: a short message reads as zeros and
 * empty strings.
 */
#ifndef VERDICT_WIRE_H
#define VERDICT_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "csvin.h"
#include "strbuf.h"

/* The numbers and strings of a record's metadata go through these a few
 * times a record (the parent reads them for every record of a chunk):
 * inline, not a call each. */
static inline void wire_put_u64(struct strbuf *sb, uint64_t v)
{
	strbuf_add(sb, &v, sizeof v);
}

static inline void wire_put_bytes(struct strbuf *sb, const void *s, size_t len)
{
	wire_put_u64(sb, len);
	strbuf_add(sb, s, len);
}

/* row, line, bytes_read, problem, fields */
void wire_put_record(struct strbuf *sb, const struct csvin_record *rec);

struct wire_reader {
	const char *p, *end;
	/* for wire_get_record: the fields, copied and NUL-terminated */
	struct strbuf hold;
	const char **fields;
	size_t *lens, *offs;
	size_t cap;
};

void wire_reader_init(struct wire_reader *rd, const char *buf, size_t len);
void wire_reader_release(struct wire_reader *rd);
int wire_more(const struct wire_reader *rd);
static inline uint64_t wire_get_u64(struct wire_reader *rd)
{
	uint64_t v = 0;
	if (rd->end - rd->p >= (ptrdiff_t)sizeof v) {
		memcpy(&v, rd->p, sizeof v);
		rd->p += sizeof v;
	} else {
		rd->p = rd->end;
	}
	return v;
}

/* A byte string, in place (not NUL-terminated). */
static inline const char *wire_get_bytes(struct wire_reader *rd, size_t *len)
{
	uint64_t n = wire_get_u64(rd);
	if (n > (uint64_t)(rd->end - rd->p))
		n = (uint64_t)(rd->end - rd->p);
	const char *s = rd->p;
	rd->p += n;
	*len = (size_t)n;
	return s;
}
/* The next record; valid until the next call. */
void wire_get_record(struct wire_reader *rd, struct csvin_record *rec);

#endif
