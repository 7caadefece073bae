/*
 * test_sha256 — FIPS 180-4 test vectors, padding boundaries, and update()
 * in pieces giving the digest of one call; with the CPU's SHA extensions
 * and in portable C.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sha256.h"

static void hex_of(const void *data, size_t len, char hex[65])
{
	struct sha256 c;
	unsigned char digest[32];

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, digest);
	sha256_hex(digest, hex);
}

static void check(const char *msg, const char *want)
{
	char hex[65];

	hex_of(msg, strlen(msg), hex);
	assert_string_equal(hex, want);
}

static void test_fips_vectors(void **state)
{
	(void)state;
	check("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	      "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in pieces of 1, 2, 3, ... 1000 bytes and again. */
static void test_million_a(void **state)
{
	static char a[1000];
	struct sha256 c;
	unsigned char digest[32];
	char hex[65];
	size_t left = 1000000, piece = 1;

	(void)state;
	memset(a, 'a', sizeof a);
	sha256_init(&c);
	while (left > 0) {
		size_t n = piece < left ? piece : left;

		sha256_update(&c, a, n);
		left -= n;
		piece = piece % 1000 + 1;
	}
	sha256_final(&c, digest);
	sha256_hex(digest, hex);
	assert_string_equal(hex,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Messages 0, 1, 2, ... around the padding boundaries (reference digests
 * from Python's hashlib). */
static void test_padding_boundaries(void **state)
{
	static const struct {
		size_t len;
		const char *hex;
	} cases[] = {
		{ 55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59" },
		{ 56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562" },
		{ 57, "2fe741af801cc238602ac0ec6a7b0c3a8a87c7fc7d7f02a3fe03d1c12eac4d8f" },
		{ 63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488" },
		{ 64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108" },
		{ 65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781" },
		{ 119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6" },
		{ 120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c" },
		{ 127, "92ca0fa6651ee2f97b884b7246a562fa71250fedefe5ebf270d31c546bfea976" },
		{ 128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5" },
	};
	unsigned char msg[128];
	char hex[65];

	(void)state;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hex_of(msg, cases[i].len, hex);
		assert_string_equal(hex, cases[i].hex);
	}
}

/* Every message of 0..300 bytes, split at every point (and in three with
 * an empty update between), gives the digest of one update. */
static void test_pieces(void **state)
{
	unsigned char msg[300];
	char whole[65], hex[65];

	(void)state;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof msg; len++) {
		hex_of(msg, len, whole);
		for (size_t cut = 0; cut <= len; cut++) {
			struct sha256 c;
			unsigned char digest[32];
			size_t mid = cut + (len - cut) / 2;

			sha256_init(&c);
			sha256_update(&c, msg, cut);
			sha256_update(&c, msg + cut, 0);
			sha256_update(&c, msg + cut, mid - cut);
			sha256_update(&c, msg + mid, len - mid);
			sha256_final(&c, digest);
			sha256_hex(digest, hex);
			assert_string_equal(hex, whole);
		}
	}
}

/* Byte by byte equals all at once; hex is lower case, 64 digits. */
static void test_byte_by_byte_and_hex(void **state)
{
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct sha256 c;
	unsigned char digest[32];
	char hex[65];

	(void)state;
	sha256_init(&c);
	for (const char *p = msg; *p; p++)
		sha256_update(&c, p, 1);
	sha256_final(&c, digest);
	sha256_hex(digest, hex);
	assert_string_equal(hex,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(strspn(hex, "0123456789abcdef"), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_boundaries),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_byte_by_byte_and_hex),
	};

	/* Every test with the CPU's SHA extensions (where it has them) and
	 * with the portable C. */
	int failed = 0;
	if (sha256_use(1) == 1)
		failed |= cmocka_run_group_tests_name("sha256 with the SHA extensions", tests, NULL, NULL);
	assert_int_equal(sha256_use(0), 0);
	failed |= cmocka_run_group_tests_name("sha256 in portable C", tests, NULL, NULL);
	return failed;
}
