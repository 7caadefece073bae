/* wire — values and records as bytes between processes; see wire.h. */
#include <stdlib.h>
#include <string.h>
#include "wire.h"

void wire_put_record(struct strbuf *sb, const struct csvin_record *rec)
{
	wire_put_u64(sb, rec->row);
	wire_put_u64(sb, rec->line);
	wire_put_u64(sb, (uint64_t)rec->bytes_read);
	wire_put_u64(sb, rec->problem ? 1 : 0);
	if (rec->problem)
		wire_put_bytes(sb, rec->problem, strlen(rec->problem));
	wire_put_u64(sb, rec->nfields);
	for (size_t i = 0; i < rec->nfields; i++)
		wire_put_bytes(sb, rec->fields[i], rec->lens[i]);
}

void wire_reader_init(struct wire_reader *rd, const char *buf, size_t len)
{
	memset(rd, 0, sizeof *rd);
	rd->p = buf;
	rd->end = buf + len;
	strbuf_init(&rd->hold);
}

void wire_reader_release(struct wire_reader *rd)
{
	strbuf_release(&rd->hold);
	free(rd->fields);
	free(rd->lens);
	free(rd->offs);
	memset(rd, 0, sizeof *rd);
}

int wire_more(const struct wire_reader *rd)
{
	return rd->p < rd->end;
}

void wire_get_record(struct wire_reader *rd, struct csvin_record *rec)
{
	memset(rec, 0, sizeof *rec);
	rec->row = (size_t)wire_get_u64(rd);
	rec->line = (size_t)wire_get_u64(rd);
	rec->bytes_read = (long long)wire_get_u64(rd);
	const char *problem = NULL;
	size_t plen = 0;
	if (wire_get_u64(rd))
		problem = wire_get_bytes(rd, &plen);
	size_t n = (size_t)wire_get_u64(rd);
	if (n > (size_t)(rd->end - rd->p) / sizeof(uint64_t))
		n = (size_t)(rd->end - rd->p) / sizeof(uint64_t);   /* each field takes 8 bytes at least */
	if (n + 1 > rd->cap) {
		rd->cap = n + 1;
		rd->fields = realloc(rd->fields, rd->cap * sizeof *rd->fields);
		rd->lens = realloc(rd->lens, rd->cap * sizeof *rd->lens);
		rd->offs = realloc(rd->offs, rd->cap * sizeof *rd->offs);
		if (!rd->fields || !rd->lens || !rd->offs)
			abort();
	}
	/* Each field is copied so that it ends with a NUL, as csvin's do. */
	strbuf_reset(&rd->hold);
	for (size_t i = 0; i < n; i++) {
		size_t flen;
		const char *f = wire_get_bytes(rd, &flen);
		rd->offs[i] = rd->hold.len;
		strbuf_add(&rd->hold, f, flen);
		strbuf_addch(&rd->hold, '\0');
		rd->lens[i] = flen;
	}
	size_t poff = rd->hold.len;
	if (problem) {
		strbuf_add(&rd->hold, problem, plen);
		strbuf_addch(&rd->hold, '\0');
	}
	for (size_t i = 0; i < n; i++)
		rd->fields[i] = rd->hold.buf + rd->offs[i];
	rec->problem = problem ? rd->hold.buf + poff : NULL;
	rec->nfields = n;
	rec->fields = rd->fields;
	rec->lens = rd->lens;
}
