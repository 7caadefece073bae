/*
 * sha256 — FIPS 180-4 SHA-256, for the rule set digest.
 * No allocation; the context is the caller's.  Blocks are compressed with
 * the CPU's SHA extensions where it has them, else in plain C.
 */
#ifndef VERDICT_SHA256_H
#define VERDICT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char digest[32]);
/* Use the CPU's SHA extensions (1) where it has them, or portable C (0):
 * at most `most`; returns the level now in use (for tests: both give the
 * same digests). */
int sha256_use(int most);
/* Lower-case hex of the digest into hex (65 bytes with the NUL). */
void sha256_hex(const unsigned char digest[32], char hex[65]);

#endif
