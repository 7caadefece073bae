/*
 * test_sandbox — the limits of the Lua state rules run in.
 *
 * Code is loaded straight into the sandbox's state (where the base library
 * still has pcall, which rule files never see) to play the engine's own
 * Lua code: a pcall there must not let a spent budget go on, and the C
 * side's unprotected pushes between calls must never be refused.  A test
 * that would hang is stopped by alarm() and fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lauxlib.h>

#include "sandbox.h"

#define MIB (1u << 20)

static struct sandbox *open_sandbox(size_t memory, long instructions)
{
	struct sandbox_limits lim = { memory, instructions };
	char err[256] = "";
	struct sandbox *sb = sandbox_open(".", &lim, err, sizeof err);

	if (!sb)
		fail_msg("sandbox_open: %s", err);
	return sb;
}

/* Load code as chunk `name` and run it armed; returns the status and
 * leaves the message (or first result) in msg. */
static int run_armed(struct sandbox *sb, const char *name, const char *code,
		     char *msg, size_t len)
{
	lua_State *L = sandbox_lua(sb);
	int st;

	alarm(20);
	if (luaL_loadbufferx(L, code, strlen(code), name, "t") != LUA_OK)
		fail_msg("cannot load: %s", lua_tostring(L, -1));
	sandbox_arm(sb, 1);
	st = sandbox_call(sb, 0, 1);
	sandbox_disarm(sb);
	alarm(0);
	snprintf(msg, len, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1)
						       : luaL_typename(L, -1));
	lua_pop(L, 1);
	return st;
}

static void test_endless_loop(void **state)
{
	struct sandbox *sb = open_sandbox(0, 1000);
	char msg[256];

	(void)state;
	assert_int_not_equal(run_armed(sb, "@rules/x.lua", "while true do end",
				       msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "rules/x.lua:1: instruction limit exceeded (more than "
			    "1000 per record; see --max-instructions)");
	sandbox_close(sb);
}

/* Once spent, the budget keeps raising: a pcall that swallows the first
 * time-out does not give the code unlimited time (it used to: the hook
 * was one-shot). */
static void test_pcall_cannot_swallow(void **state)
{
	struct sandbox *sb = open_sandbox(0, 1000);
	char msg[256];

	(void)state;
	assert_int_not_equal(run_armed(sb, "@rules/x.lua",
				       "pcall(function() while true do end end)\n"
				       "while true do end\n", msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "rules/x.lua:2: instruction limit exceeded (more than "
			    "1000 per record; see --max-instructions)");
	/* A loop of pcalls ends too: sooner or later the error comes
	 * outside them. */
	assert_int_not_equal(run_armed(sb, "@rules/x.lua",
				       "for i = 1, 1e12 do pcall(function() while true do end end) end",
				       msg, sizeof msg), LUA_OK);
	assert_non_null(strstr(msg, "instruction limit exceeded"));
	/* The next call has its whole budget again. */
	assert_int_equal(run_armed(sb, "@rules/x.lua",
				   "local n = 0 for i = 1, 100 do n = n + i end return n",
				   msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "5050");
	sandbox_close(sb);
}

/* The engine's own code (chunks "=verdict/...") is not named. */
static void test_engine_position_not_named(void **state)
{
	struct sandbox *sb = open_sandbox(0, 1000);
	char msg[256];

	(void)state;
	assert_int_not_equal(run_armed(sb, "=verdict/x.lua", "while true do end",
				       msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "instruction limit exceeded (more than 1000 per record; "
			    "see --max-instructions)");
	sandbox_close(sb);
}

/* The budget spent in the engine's own code: it has as much again to
 * finish (putting a rule's error into Chinese, say), then it stops too;
 * rule code gets no grace. */
static void test_engine_grace(void **state)
{
	struct sandbox *sb = open_sandbox(0, 1000);
	char msg[256];

	(void)state;
	assert_int_equal(run_armed(sb, "=verdict/x.lua", "local n = 0 for i = 1, 700 do n = n + i end return n",
				   msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "245350");
	assert_int_not_equal(run_armed(sb, "=verdict/x.lua", "local n = 0 for i = 1, 2000 do n = n + i end return n",
				       msg, sizeof msg), LUA_OK);
	assert_int_not_equal(run_armed(sb, "@rules/x.lua", "local n = 0 for i = 1, 700 do n = n + i end return n",
				       msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "rules/x.lua:1: instruction limit exceeded (more than 1000 per record; "
			    "see --max-instructions)");
	sandbox_close(sb);
}

/* No grace when a rule called the engine's code that spent the budget:
 * the rule's doing.  A pattern a rule passes through a C function
 * (table.sort(t, string.find)) is held to the budget as its own. */
static void test_no_grace_for_rules(void **state)
{
	struct sandbox *sb = open_sandbox(0, 1000);
	lua_State *L = sandbox_lua(sb);
	char msg[256];

	(void)state;
	static const char helper[] = "function H() local n = 0 for i = 1, 700 do n = n + i end return n end";
	assert_int_equal(luaL_loadbufferx(L, helper, strlen(helper), "=verdict/h.lua", "t"), LUA_OK);
	lua_call(L, 0, 0);
	assert_int_not_equal(run_armed(sb, "@rules/x.lua", "local v = H() return v", msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "rules/x.lua:1: instruction limit exceeded (more than 1000 per record; "
			    "see --max-instructions)");
	assert_int_not_equal(run_armed(sb, "@rules/x.lua",
				       "local t = { string.rep('.-', 6) .. 'b', string.rep('a', 3000) } "
				       "table.sort(t, string.find) return 1", msg, sizeof msg), LUA_OK);
	assert_non_null(strstr(msg, "instruction limit exceeded"));
	sandbox_close(sb);
}

static void test_factor_message(void **state)
{
	struct sandbox *sb = open_sandbox(0, 1000);
	lua_State *L = sandbox_lua(sb);

	(void)state;
	luaL_loadstring(L, "while true do end");
	sandbox_arm(sb, 100);
	assert_int_not_equal(sandbox_call(sb, 0, 0), LUA_OK);
	sandbox_disarm(sb);
	assert_string_equal(lua_tostring(L, -1), "instruction limit exceeded (more than "
			    "100000, 100 times the per-record limit; see --max-instructions)");
	lua_pop(L, 1);
	sandbox_close(sb);
}

static void test_memory_cap_armed(void **state)
{
	struct sandbox *sb = open_sandbox(4 * MIB, 0);
	char msg[256];

	(void)state;
	assert_int_equal(run_armed(sb, "@rules/x.lua", "return string.rep('x', 8 * 1024 * 1024)",
				   msg, sizeof msg), LUA_ERRMEM);
	assert_string_equal(msg, "memory limit exceeded (see --max-memory)");
	assert_true(sandbox_memory(sb) <= 4 * MIB);
	sandbox_close(sb);
}

/* Disarmed, the C side's pushes are never refused: a refusal there is
 * outside any protected call, a panic that aborts the program.  (A rule
 * that hoarded memory up to the cap used to make the next record's
 * values abort verdict.) */
static void test_memory_cap_disarmed(void **state)
{
	struct sandbox *sb = open_sandbox(4 * MIB, 0);
	lua_State *L = sandbox_lua(sb);
	char *big = malloc(8 * MIB);
	char msg[256];

	(void)state;
	assert_non_null(big);
	memset(big, 'y', 8 * MIB);
	lua_pushlstring(L, big, 8 * MIB);
	assert_true(sandbox_memory(sb) > 4 * MIB);
	/* Armed again, rule code gets nothing more. */
	lua_setfield(L, LUA_REGISTRYINDEX, "test_big");
	assert_int_equal(run_armed(sb, "@rules/x.lua", "return {} , string.rep('x', 1000)",
				   msg, sizeof msg), LUA_ERRMEM);
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, "test_big");
	lua_gc(L, LUA_GCCOLLECT);
	assert_int_equal(run_armed(sb, "@rules/x.lua", "return #string.rep('x', 1000)",
				   msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "1000");
	free(big);
	sandbox_close(sb);
}

/* string.dump is gone from the string library itself, which strings reach
 * as their methods; debug, io, os, package do not exist. */
static void test_removed_names(void **state)
{
	struct sandbox *sb = open_sandbox(0, 0);
	char msg[256];

	(void)state;
	assert_int_equal(run_armed(sb, "@rules/x.lua",
				   "return tostring(('').dump) .. tostring(string.dump) .. "
				   "tostring(rawget(_G, 'debug')) .. tostring(rawget(_G, 'io')) .. "
				   "tostring(rawget(_G, 'os')) .. tostring(rawget(_G, 'package'))",
				   msg, sizeof msg), LUA_OK);
	assert_string_equal(msg, "nilnilnilnilnilnil");
	sandbox_close(sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endless_loop),
		cmocka_unit_test(test_pcall_cannot_swallow),
		cmocka_unit_test(test_engine_position_not_named),
		cmocka_unit_test(test_engine_grace),
		cmocka_unit_test(test_no_grace_for_rules),
		cmocka_unit_test(test_factor_message),
		cmocka_unit_test(test_memory_cap_armed),
		cmocka_unit_test(test_memory_cap_disarmed),
		cmocka_unit_test(test_removed_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
