/*
 * fuzz_jsonscan — libFuzzer harness for the reader of past runs (audit).
 *
 * The input is one line of a past run, as damaged as the fuzzer likes.
 * jsonscan_check says whether it is one complete JSON object; either way
 * the members audit reads are then looked up as audit does, which must
 * not read past the line.  Besides the sanitizers, it checks what the
 * check promises: a place within the line, and, for a complete object,
 * no problem to report.
 *
 *   make fuzz                  (every harness, FUZZ_SECONDS each)
 *   fuzz/out/fuzz_jsonscan fuzz/out/corpus-jsonscan
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"
#include "strbuf.h"

#define check(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_jsonscan: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "row", "id", "verdict", "as_of", "rules_digest", NULL };
	/* a copy of exactly the line's bytes, so that ASan sees a read past it */
	char *s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	struct jsonscan_problem p;
	bool ok = jsonscan_check(s, size, keys, &p);
	check(ok == (p.want == JSONSCAN_COMPLETE));
	check(ok || p.at <= size);
	struct strbuf out = STRBUF_INIT;
	double row;
	for (const char *const *k = keys; *k; k++)
		(void)jsonscan_string(s, size, *k, &out);
	(void)jsonscan_number(s, size, "row", &row);
	strbuf_release(&out);
	free(s);
	return 0;
}
