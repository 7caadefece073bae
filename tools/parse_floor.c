/*
 * parse_floor — the parse-only floor for `make bench`.
 *
 *   parse_floor FILE
 *
 * Reads FILE with libcsv exactly as a CSV reader has to (csv_parse over
 * 64 KiB chunks, the lenient options verdict uses) and does nothing else:
 * the field and record callbacks only count.  No decoding, no typing, no
 * rules, no output per record.  Its speed is the floor `verdict check` is
 * measured against (issue 7: check within 3x of it).
 *
 * Prints one line:  rows R fields F bytes B
 * where R counts records after the header (the header is the first record).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#define CHUNK ((size_t)64 << 10)

struct counts {
	unsigned long long records;
	unsigned long long fields;
};

static void on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void on_record(int c, void *data)
{
	(void)c;
	((struct counts *)data)->records++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: parse_floor FILE\n", stderr);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "parse_floor: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	static char buf[CHUNK];
	struct csv_parser p;
	struct counts n = { 0, 0 };
	unsigned long long bytes = 0;
	if (csv_init(&p, 0) != 0) {
		fputs("parse_floor: csv_init failed\n", stderr);
		return 2;
	}
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		bytes += got;
		if (csv_parse(&p, buf, got, on_field, on_record, &n) != got) {
			fprintf(stderr, "parse_floor: %s: %s\n", argv[1],
			        csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "parse_floor: %s: read error\n", argv[1]);
		return 1;
	}
	csv_fini(&p, on_field, on_record, &n);
	csv_free(&p);
	fclose(f);
	printf("rows %llu fields %llu bytes %llu\n",
	       n.records ? n.records - 1 : 0, n.fields, bytes);
	return 0;
}
