/*
 * cpu_level — which of a module's code paths this CPU allows (asked once),
 * and the one in use, which a test may set lower to exercise the others
 * (utf8_simd: AVX2, SSSE3 or none; sha256: the SHA extensions or none).
 * Header only: two small inline functions over a module's own static.
 */
#ifndef VERDICT_CPU_LEVEL_H
#define VERDICT_CPU_LEVEL_H

struct cpu_level {
	int have;   /* what the CPU allows; < 0: not asked yet */
	int use;    /* what is used: at most have */
};

#define CPU_LEVEL_INIT { -1, -1 }

/* The level in use; detect() is asked the first time. */
static inline int cpu_level_get(struct cpu_level *c, int (*detect)(void))
{
	if (c->have < 0) {
		c->have = detect();
		c->use = c->have;
	}
	return c->use;
}

/* Use at most `most` from now on (never more than the CPU allows);
 * returns the level now in use. */
static inline int cpu_level_cap(struct cpu_level *c, int (*detect)(void), int most)
{
	cpu_level_get(c, detect);
	c->use = most < c->have ? most : c->have;
	return c->use;
}

#endif
