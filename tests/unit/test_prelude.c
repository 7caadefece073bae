/*
 * test_prelude — the embedded prelude, as text and as compiled at build
 * time: the text cut into its pieces as the sources are; the compiled
 * block read only when whole and made by this Lua release; a sandbox
 * loads every piece up to api.lua compiled, or from text when
 * VERDICT_PRELUDE_TEXT is set, and either way the prelude's functions
 * come from the same files and lines; the pieces after it (lint's) are
 * loaded only when lint asks, the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lauxlib.h>
#include <lua.h>

#include "prelude.h"
#include "sandbox.h"

static const char *const names[] = { "text.lua",   "dsl.lua",      "compile.lua", "plan.lua",
				     "eval.lua",   "report.lua",   "coverage.lua", "api.lua",
				     "bytecode.lua", "lint.lua" };
#define NPIECES (sizeof names / sizeof names[0])
#define NSTART 8   /* up to api.lua (PRELUDE_AT_START); the others on demand */

static size_t block_len(void)
{
	return (size_t)(verdict_prelude_bc_end - verdict_prelude_bc);
}

/* The pieces follow each other, each begins with its marker line, and
 * their chunk names are the files'. */
static void test_pieces(void **state)
{
	(void)state;
	const char *at = verdict_prelude_text, *expect = verdict_prelude_text;
	struct prelude_piece pc;
	size_t n = 0;
	while (prelude_next(&at, verdict_prelude_end, &pc)) {
		assert_true(n < NPIECES);
		assert_ptr_equal(pc.text, expect);
		char marker[64], chunk[64];
		snprintf(marker, sizeof marker, "--@%s\n", names[n]);
		snprintf(chunk, sizeof chunk, "=verdict/%s", names[n]);
		assert_true(pc.len > strlen(marker));
		assert_memory_equal(pc.text, marker, strlen(marker));
		assert_string_equal(pc.chunkname, chunk);
		expect = pc.text + pc.len;
		n++;
	}
	assert_int_equal(n, NPIECES);
	assert_ptr_equal(expect, verdict_prelude_end);
	assert_ptr_equal(at, verdict_prelude_end);
}

/* The block holds one compiled piece a text piece, for this release. */
static void test_block(void **state)
{
	(void)state;
	const char *bc;
	size_t len;
	for (size_t i = 0; i < NPIECES; i++) {
		assert_true(prelude_compiled_piece(verdict_prelude_bc, block_len(), lua_ident, i, &bc, &len));
		assert_true(len > 4);
		assert_memory_equal(bc, LUA_SIGNATURE, strlen(LUA_SIGNATURE));
	}
	assert_false(prelude_compiled_piece(verdict_prelude_bc, block_len(), lua_ident, NPIECES, &bc, &len));
}

/* Another release's block, a cut one, one without the mark: not used. */
static void test_block_refused(void **state)
{
	(void)state;
	const char *bc;
	size_t len, n = block_len();
	assert_false(prelude_compiled_piece(verdict_prelude_bc, n, "$LuaVersion: Lua 5.4.0", 0, &bc, &len));
	assert_false(prelude_compiled_piece(verdict_prelude_bc, n, "", 0, &bc, &len));
	/* cut inside the last piece: the pieces before it are still whole */
	assert_false(prelude_compiled_piece(verdict_prelude_bc, n - 1, lua_ident, NPIECES - 1, &bc, &len));
	assert_true(prelude_compiled_piece(verdict_prelude_bc, n - 1, lua_ident, NPIECES - 2, &bc, &len));
	assert_false(prelude_compiled_piece(verdict_prelude_bc, 10, lua_ident, 0, &bc, &len));
	char *copy = malloc(n);
	assert_non_null(copy);
	memcpy(copy, verdict_prelude_bc, n);
	copy[3] = '0';
	assert_false(prelude_compiled_piece(copy, n, lua_ident, 0, &bc, &len));
	free(copy);
}

static struct sandbox *open_sandbox(void)
{
	struct sandbox_limits lim = { 64u << 20, 1000000 };
	char err[256] = "";
	struct sandbox *sb = sandbox_open(".", &lim, err, sizeof err);
	if (!sb)
		fail_msg("sandbox_open: %s", err);
	return sb;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name source:line" of each function in the prelude's API table, by
 * name, one a line. */
static void api_origins(struct sandbox *sb, char *out, size_t len)
{
	lua_State *L = sandbox_lua(sb);
	char *fn[256];
	size_t n = 0, used = 0;
	sandbox_push_api(sb);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TFUNCTION && n < 256)
			fn[n++] = strdup(lua_tostring(L, -2));
		lua_pop(L, 1);
	}
	assert_true(n > 5);
	qsort(fn, n, sizeof fn[0], cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		lua_Debug ar;
		lua_getfield(L, -1, fn[i]);
		assert_true(lua_getinfo(L, ">S", &ar));
		used += (size_t)snprintf(out + used, len - used, "%s %s:%d\n", fn[i], ar.source, ar.linedefined);
		assert_true(used < len);
		free(fn[i]);
	}
	lua_pop(L, 1);
}

static void test_compiled_or_text(void **state)
{
	(void)state;
	unsetenv("VERDICT_PRELUDE_TEXT");
	struct sandbox *compiled = open_sandbox();
	assert_int_equal(sandbox_prelude_compiled(compiled), NSTART);
	setenv("VERDICT_PRELUDE_TEXT", "1", 1);
	struct sandbox *text = open_sandbox();
	unsetenv("VERDICT_PRELUDE_TEXT");
	assert_int_equal(sandbox_prelude_compiled(text), 0);
	char a[8192], b[8192];
	api_origins(compiled, a, sizeof a);
	api_origins(text, b, sizeof b);
	assert_non_null(strstr(a, " =verdict/api.lua:"));
	assert_string_equal(a, b);
	sandbox_close(compiled);
	sandbox_close(text);
}

/* Call api.lint("en") with no rule set loaded: no problems. */
static void call_lint(struct sandbox *sb)
{
	lua_State *L = sandbox_lua(sb);
	sandbox_push_api(sb);
	lua_getfield(L, -1, "lint");
	lua_remove(L, -2);
	lua_pushstring(L, "en");
	if (sandbox_call(sb, 1, 1) != LUA_OK)
		fail_msg("api.lint: %s", lua_tostring(L, -1));
	assert_true(lua_istable(L, -1));
	assert_int_equal(lua_rawlen(L, -1), 0);
	lua_pop(L, 1);
}

/* lint's pieces are loaded when it first asks, compiled or from text as
 * the others, and once. */
static void test_on_demand(void **state)
{
	(void)state;
	unsetenv("VERDICT_PRELUDE_TEXT");
	struct sandbox *compiled = open_sandbox();
	call_lint(compiled);
	assert_int_equal(sandbox_prelude_compiled(compiled), NPIECES);
	call_lint(compiled);
	assert_int_equal(sandbox_prelude_compiled(compiled), NPIECES);
	setenv("VERDICT_PRELUDE_TEXT", "1", 1);
	struct sandbox *text = open_sandbox();
	call_lint(text);
	unsetenv("VERDICT_PRELUDE_TEXT");
	assert_int_equal(sandbox_prelude_compiled(text), 0);
	sandbox_close(compiled);
	sandbox_close(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_block_refused),
		cmocka_unit_test(test_compiled_or_text),
		cmocka_unit_test(test_on_demand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
