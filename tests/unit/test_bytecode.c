/*
 * test_bytecode — the prelude's reader of Lua 5.4 binary chunks
 * (src/lua/bytecode.lua), which lint uses to find the global names rule
 * functions read, against this machine's Lua: every line it gives is the
 * line of the source that made the instruction, also in a function long
 * enough to have absolute line entries (more than 128 instructions, steps
 * of 128 lines and more) and more than 256 constants (names loaded by
 * LOADK, and LOADKX); its opcodes are this Lua's; every constant type
 * reads; a stripped chunk reads with no lines; a damaged one is refused.
 *
 * The reader runs in a plain Lua state (all libraries, string.dump
 * included), the piece taken from the embedded prelude text.
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
#include <lualib.h>

#include "prelude.h"

/* A state with the reader as the global B. */
static lua_State *open_reader(void)
{
	lua_State *L = luaL_newstate();
	assert_non_null(L);
	luaL_openlibs(L);
	const char *at = verdict_prelude_text;
	struct prelude_piece pc;
	while (prelude_next(&at, verdict_prelude_end, &pc)) {
		if (strcmp(pc.chunkname, "=verdict/bytecode.lua") != 0)
			continue;
		if (luaL_loadbufferx(L, pc.text, pc.len, pc.chunkname, "t") != LUA_OK)
			fail_msg("bytecode.lua: %s", lua_tostring(L, -1));
		lua_newtable(L);   /* V */
		lua_newtable(L);   /* C: unused by the reader */
		if (lua_pcall(L, 2, 1, 0) != LUA_OK)
			fail_msg("bytecode.lua: %s", lua_tostring(L, -1));
		lua_setglobal(L, "B");
		return L;
	}
	fail_msg("no piece bytecode.lua in the prelude");
	return NULL;
}

/* Run Lua test code, which returns nothing when all is well and a message
 * otherwise. */
static void run(const char *code)
{
	lua_State *L = open_reader();
	if (luaL_loadbufferx(L, code, strlen(code), "=test", "t") != LUA_OK)
		fail_msg("test code: %s", lua_tostring(L, -1));
	if (lua_pcall(L, 0, 1, 0) != LUA_OK)
		fail_msg("error: %s", lua_tostring(L, -1));
	if (!lua_isnil(L, -1))
		fail_msg("%s", lua_tostring(L, -1));
	lua_close(L);
}

/* Every global read in a long function, each on a line we chose (steps of
 * 1, 3, 128, 129 and 400 lines, 1,200 instructions), is found at that
 * line: by its GETTABUP on _ENV while its name is among the first 256
 * constants, after that by the GETUPVAL of _ENV, the LOADK of its name and
 * a GETTABLE; so is a write (SETTABLE), and the field read after each
 * (GETFIELD). */
static void test_lines_of_a_long_function(void **state)
{
	(void)state;
	run("local src, want, line = { 'local function f(t)', '  local s = 0' }, {}, 2\n"
	    "local steps = { [50] = 128, [100] = 129, [150] = 400, [200] = 3 }\n"
	    "for i = 1, 300 do\n"
	    "  for _ = 2, steps[i] or 1 do src[#src + 1] = ''; line = line + 1 end\n"
	    "  src[#src + 1] = '  s = s + g' .. i .. '.v'; line = line + 1; want['g' .. i] = line\n"
	    "end\n"
	    "src[#src + 1] = '  out = s'; want.out = line + 1\n"
	    "src[#src + 1] = '  return s'\n"
	    "src[#src + 1] = 'end'\n"
	    "src[#src + 1] = 'return f'\n"
	    "local main = B.read(string.dump(assert(load(table.concat(src, '\\n')))))\n"
	    "local f = main.protos[1]\n"
	    "if #f.code < 1200 then return 'only ' .. #f.code .. ' instructions' end\n"
	    "if #f.abslineinfo < 9 then return 'only ' .. #f.abslineinfo .. ' absolute lines' end\n"
	    "if f.upvalues[1].name ~= '_ENV' or f.upvalues[1].instack ~= 0 then return 'upvalue 0 is not _ENV' end\n"
	    "local seen, direct, loaded = {}, 0, 0\n"
	    "local function found(name, pc, after)\n"
	    "  if want[name] ~= f.lines[pc] then\n"
	    "    return name .. ' at line ' .. tostring(f.lines[pc]) .. ', expected ' .. tostring(want[name])\n"
	    "  end\n"
	    "  seen[name] = true\n"
	    "  if name == 'out' then return end\n"
	    "  local op, _, b, c = B.decode(f.code[after + 1])\n"
	    "  local _, a = B.decode(f.code[after])\n"
	    "  if op ~= B.OP_GETFIELD or b ~= a or f.k[c + 1] ~= 'v' then return 'no GETFIELD v after ' .. name end\n"
	    "end\n"
	    "for pc, i in ipairs(f.code) do\n"
	    "  local op, a, b, c = B.decode(i)\n"
	    "  local err\n"
	    "  if op == B.OP_GETTABUP and b == 0 then\n"
	    "    direct = direct + 1\n"
	    "    err = found(f.k[c + 1], pc, pc)\n"
	    "  elseif op == B.OP_GETUPVAL and b == 0 then\n"
	    "    local r, name, last = B.loaded_constant(f, pc + 1)\n"
	    "    local nop, na, nb, nc = B.decode(f.code[last + 1])\n"
	    "    if nop == B.OP_GETTABLE and nb == a and nc == r then loaded = loaded + 1; err = found(name, pc + 1, last + 1)\n"
	    "    elseif nop == B.OP_SETTABLE and na == a and nb == r then err = found(name, pc + 1, last + 1)\n"
	    "    else err = 'GETUPVAL _ENV not followed by LOADK and GETTABLE or SETTABLE' end\n"
	    "  end\n"
	    "  if err then return err end\n"
	    "end\n"
	    "for name in pairs(want) do if not seen[name] then return name .. ' not found' end end\n"
	    "if direct < 200 or loaded < 40 then return direct .. ' GETTABUP, ' .. loaded .. ' GETTABLE' end\n");
}

/* A name past the 131,072nd constant is loaded by LOADKX and EXTRAARG. */
static void test_constant_past_loadk(void **state)
{
	(void)state;
	run("local src = {}\n"
	    "for i = 1, 131100 do src[i] = '\"c' .. i .. '\",' end\n"
	    "local code = 'local t = {' .. table.concat(src) .. '}\\nreturn far_name'\n"
	    "local main = B.read(string.dump(assert(load(code))))\n"
	    "for pc, i in ipairs(main.code) do\n"
	    "  local op, a, b = B.decode(i)\n"
	    "  if op == B.OP_GETUPVAL and b == 0 then\n"
	    "    local r, name, last = B.loaded_constant(main, pc + 1)\n"
	    "    local lop = B.decode(main.code[pc + 1])\n"
	    "    if lop ~= B.OP_LOADKX then return 'not LOADKX' end\n"
	    "    if name ~= 'far_name' or last ~= pc + 2 or main.lines[pc + 1] ~= 2 then return 'LOADKX misread' end\n"
	    "    local gop, _, gb, gc = B.decode(main.code[last + 1])\n"
	    "    if gop ~= B.OP_GETTABLE or gb ~= a or gc ~= r then return 'no GETTABLE' end\n"
	    "    return\n"
	    "  end\n"
	    "end\n"
	    "return 'no GETUPVAL of _ENV'\n");
}

/* The lines agree with Lua's own: the lines that hold code
 * (debug.getinfo's activelines) of a main function and of each function
 * it returns, for the reader's functions of those. */
static void test_lines_agree_with_lua(void **state)
{
	(void)state;
	run("local src = 'local a = 1\\n\\nlocal function f(x)\\n  if x then\\n    return x + 1\\n'\n"
	    "  .. string.rep('\\n', 200) .. '  end\\n  return 0\\nend\\n'\n"
	    "  .. 'local function g() return 2 end\\nreturn f, g\\n'\n"
	    "local chunk = assert(load(src))\n"
	    "local f, g = chunk()\n"
	    "local main = B.read(string.dump(chunk))\n"
	    "local function set(t) local s = {} for _, l in pairs(t) do s[l] = true end return s end\n"
	    "local function same(mine, fn, what)\n"
	    "  local lua = debug.getinfo(fn, 'L').activelines\n"
	    "  local m = set(mine)\n"
	    "  -- a vararg function's first instruction (VARARGPREP) may not count\n"
	    "  local skip = fn == chunk and mine[1]\n"
	    "  for l in pairs(lua) do if not m[l] then return what .. ': line ' .. l .. ' missing' end end\n"
	    "  for l in pairs(m) do if not lua[l] and l ~= skip then return what .. ': line ' .. l .. ' extra' end end\n"
	    "end\n"
	    "return same(main.lines, chunk, 'main') or same(main.protos[1].lines, f, 'f')\n"
	    "  or same(main.protos[2].lines, g, 'g')\n");
}

/* Constants of every type; upvalue names; a stripped chunk. */
static void test_constants_and_stripped(void **state)
{
	(void)state;
	run("local long = string.rep('x', 60)\n"
	    "local src = 'local t = {}\\nt.a = 1.5; t.b = 123456789; t.c = true; t.d = false; t.e = nil\\n'\n"
	    "  .. 't.f = \"' .. long .. '\"; t.g = \"s\"\\nlocal u = 3\\nreturn function() return t, u, G end\\n'\n"
	    "local fn = assert(load(src))\n"
	    "local main = B.read(string.dump(fn))\n"
	    "local k = {}\n"
	    "for i = 1, 20 do if main.k[i] ~= nil then k[tostring(main.k[i])] = math.type(main.k[i]) or type(main.k[i]) end end\n"
	    "if k['1.5'] ~= 'float' or k['123456789'] ~= 'integer' or k['true'] ~= 'boolean' or k['false'] ~= 'boolean'\n"
	    "   or k[long] ~= 'string' or k.s ~= 'string' then\n"
	    "  return 'constants not read'\n"
	    "end\n"
	    "local p = main.protos[1]\n"
	    "local names = {}\n"
	    "for _, u in ipairs(p.upvalues) do names[#names + 1] = u.name .. ':' .. u.instack end\n"
	    "if table.concat(names, ' ') ~= 't:1 u:1 _ENV:0' then return 'upvalues ' .. table.concat(names, ' ') end\n"
	    "local stripped = B.read(string.dump(fn, true))\n"
	    "if #stripped.lines ~= 0 or #stripped.protos[1].code ~= #p.code then return 'stripped chunk misread' end\n"
	    "if stripped.protos[1].upvalues[1].name ~= nil then return 'stripped upvalue has a name' end\n");
}

/* A cut chunk, another version, bytes after the end, text: refused. */
static void test_refused(void **state)
{
	(void)state;
	run("local d = string.dump(function() return X end)\n"
	    "local function refused(s, word)\n"
	    "  local ok, err = pcall(B.read, s)\n"
	    "  if ok then return 'read ' .. word end\n"
	    "  if not tostring(err):find('^bytecode: ') then return 'error ' .. tostring(err) end\n"
	    "end\n"
	    "return refused(d:sub(1, #d - 1), 'a cut chunk') or refused(d:sub(1, 4) .. 'S' .. d:sub(6), 'Lua 5.3')\n"
	    "  or refused(d .. 'x', 'trailing bytes') or refused('return 1', 'text')\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_of_a_long_function),
		cmocka_unit_test(test_constant_past_loadk),
		cmocka_unit_test(test_lines_agree_with_lua),
		cmocka_unit_test(test_constants_and_stripped),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
