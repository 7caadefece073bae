/* workers: results come back in the order the jobs went out, whatever
 * worker ran them and however long each took; a result larger than a
 * slot comes through the pipe; a worker that dies loses nothing (the
 * parent runs the jobs it held); a worker far slower than the others
 * holds them back only as far as the slots reach; with more workers and
 * fewer slots, the same.  The jobs here are strings "k size": the result
 * is "k:" and size bytes, each the byte k % 26 + 'a'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "strbuf.h"
#include "workers.h"

struct seen {
	size_t next;    /* the job whose result should come next */
	bool bad;       /* a result out of order or wrong */
};

static void run(void *ctx, const char *job, size_t len, struct strbuf *out)
{
	(void)ctx;
	char text[64];
	size_t n = len < sizeof text - 1 ? len : sizeof text - 1;
	memcpy(text, job, n);
	text[n] = '\0';
	unsigned long k = 0, size = 0;
	if (sscanf(text, "%lu %lu", &k, &size) != 2)
		return;
	char head[32];
	int h = snprintf(head, sizeof head, "%lu:", k);
	strbuf_add(out, head, (size_t)h);
	char fill = (char)('a' + k % 26);
	for (unsigned long i = 0; i < size; i++)
		strbuf_add(out, &fill, 1);
}

static void merge(void *ctx, const char *result, size_t len)
{
	struct seen *s = ctx;
	char head[32];
	int h = snprintf(head, sizeof head, "%zu:", s->next);
	if (len < (size_t)h || memcmp(result, head, (size_t)h) != 0) {
		s->bad = true;
	} else {
		char fill = (char)('a' + s->next % 26);
		for (size_t i = (size_t)h; i < len; i++)
			if (result[i] != fill) {
				s->bad = true;
				break;
			}
	}
	s->next++;
}

/* njobs jobs through n workers with slots slots each; size_of(k) bytes
 * of result for job k.  Every result merged, in order, and right. */
static void run_jobs(int n, int slots, size_t njobs, size_t (*size_of)(size_t))
{
	struct seen s = { 0, false };
	struct workers_ops ops = { run, merge, &s };
	struct workers *w = workers_start(n, slots, &ops);
	assert_non_null(w);
	for (size_t k = 0; k < njobs; k++) {
		char job[64];
		int len = snprintf(job, sizeof job, "%zu %zu", k, size_of(k));
		workers_submit(w, job, (size_t)len);
	}
	workers_finish(w);
	assert_false(s.bad);
	assert_int_equal(s.next, njobs);
}

static size_t small(size_t k)
{
	return 100 + (k * 7919) % 5000;   /* 100 to 5,099 bytes, uneven */
}

/* Every 50th result is 5 MiB, larger than a slot (4 MiB): through the
 * pipe, while the parent is handing out jobs. */
static size_t some_large(size_t k)
{
	return k % 50 == 7 ? (size_t)5 << 20 : small(k);
}

static void test_in_order(void **state)
{
	(void)state;
	run_jobs(2, 4, 500, small);
	run_jobs(3, 2, 500, small);
	run_jobs(4, 4, 64, small);
}

static void test_larger_than_a_slot(void **state)
{
	(void)state;
	run_jobs(2, 2, 120, some_large);
	run_jobs(2, 4, 120, some_large);
}

static void test_a_worker_dies(void **state)
{
	(void)state;
	/* The first worker exits when handed its job 0, 3 or 20. */
	const char *at[] = { "0", "3", "20" };
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		setenv("VERDICT_WORKER_EXIT_AT", at[i], 1);
		run_jobs(2, 4, 200, small);
		run_jobs(3, 2, 200, some_large);
	}
	unsetenv("VERDICT_WORKER_EXIT_AT");
}

static void test_a_worker_slow(void **state)
{
	(void)state;
	setenv("VERDICT_WORKER_SLOW_US", "2000", 1);
	run_jobs(2, 4, 100, small);
	run_jobs(2, 2, 100, small);
	unsetenv("VERDICT_WORKER_SLOW_US");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_larger_than_a_slot),
		cmocka_unit_test(test_a_worker_dies),
		cmocka_unit_test(test_a_worker_slow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
