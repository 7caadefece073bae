-- bytecode.lua — a reader of Lua 5.4's binary chunks (what string.dump
-- writes), for `verdict lint`, which reads the rule files' code without
-- running it (lint.lua).
--
-- Part of the engine's prelude (trusted), loaded only when lint asks for
-- it (prelude.h): no other command pays for it.  The format is that of
-- Lua 5.4's ldump.c / lundump.c: a header, then the main function, each
-- function with its code, constants, upvalues, nested functions and
-- debug information (lines, locals, upvalue names).  Sizes are written
-- most significant 7 bits first, the last byte marked with 0x80;
-- instructions, integers and floats in the machine's byte order.
-- tests/unit/test_bytecode.c checks the reader against this machine's
-- Lua: every instruction's line, and the opcodes below.
local V = ...

local byte, sub, unpack = string.byte, string.sub, string.unpack

local B = {}
V.bytecode = B

-- Opcodes (lopcodes.h of 5.4) that lint looks for; the numbers are the
-- same in every 5.4 release.
B.OP_LOADK, B.OP_LOADKX, B.OP_GETUPVAL = 3, 4, 9
B.OP_GETTABUP, B.OP_GETTABLE, B.OP_GETFIELD = 11, 12, 14
B.OP_SETTABUP, B.OP_SETTABLE, B.OP_EXTRAARG = 15, 16, 82
B.OP_SETFIELD = 18
-- The opcodes that only load a register: MOVE, LOADI, LOADF, LOADK,
-- LOADFALSE, LOADTRUE, LOADNIL, GETUPVAL.
B.LOADS = { [0] = true, [1] = true, [2] = true, [3] = true, [5] = true, [7] = true, [8] = true, [9] = true }

-- The fields of an instruction: opcode (7 bits), A (8), B (8), C (8), k (1).
function B.decode(i)
  return i & 0x7F, (i >> 7) & 0xFF, (i >> 16) & 0xFF, (i >> 24) & 0xFF, (i >> 15) & 1
end

B.OP_CALL, B.OP_TAILCALL = 68, 69

-- Whether an instruction of opcode op gives register A a new value
-- (lopcodes.h: MOVE to GETUPVAL, GETTABUP to GETFIELD, NEWTABLE to SHR,
-- UNM to CONCAT, TESTSET, CALL, TAILCALL, CLOSURE, VARARG).
local SETS_A = {}
for _, range in ipairs({ { 0, 9 }, { 11, 14 }, { 19, 45 }, { 49, 53 }, { 67, 69 }, { 79, 80 } }) do
  for op = range[1], range[2] do SETS_A[op] = true end
end
function B.sets_register_a(op) return SETS_A[op] == true end

-- The constant that instruction pc of f loads into a register (LOADK, or
-- LOADKX and its EXTRAARG): the register, the constant, and the pc of
-- the last instruction of the load; nil when it loads none.
function B.loaded_constant(f, pc)
  local i = f.code[pc]
  if not i then return nil end
  local op, a = i & 0x7F, (i >> 7) & 0xFF
  if op == B.OP_LOADK then return a, f.k[(i >> 15) + 1], pc end
  local x = f.code[pc + 1]
  if op == B.OP_LOADKX and x and x & 0x7F == B.OP_EXTRAARG then return a, f.k[(x >> 7) + 1], pc + 1 end
  return nil
end

-- Constants' type tags (lobject.h: a type and its variant bits).
local NIL, FALSE, TRUE, INT, FLT, SHRSTR, LNGSTR = 0, 1, 17, 3, 19, 4, 20
local ABSLINEINFO = -0x80   -- lineinfo entry meaning "see abslineinfo"

-- A cursor over the dump s.
local function reader(s)
  local pos = 1
  local R = {}
  local function need(n)
    if pos + n - 1 > #s then error("bytecode: truncated chunk at byte " .. pos, 0) end
  end
  function R.byte()
    need(1)
    pos = pos + 1
    return byte(s, pos - 1)
  end
  function R.bytes(n)
    need(n)
    pos = pos + n
    return sub(s, pos - n, pos - 1)
  end
  function R.size()              -- ldump.c dumpSize
    local x = 0
    repeat
      local b = R.byte()
      if x >= (1 << 56) then error("bytecode: size too large at byte " .. pos, 0) end
      x = (x << 7) | (b & 0x7F)
    until b & 0x80 ~= 0
    return x
  end
  function R.unpack(fmt, n)
    need(n)
    local v
    v, pos = unpack(fmt, s, pos)
    return v
  end
  function R.string()            -- NULL (nil) or the bytes
    local n = R.size()
    if n == 0 then return nil end
    return R.bytes(n - 1)
  end
  function R.at_end() return pos > #s end
  return R
end

local function read_header(R)
  if R.bytes(4) ~= "\27Lua" then error("bytecode: not a Lua binary chunk", 0) end
  local version, format = R.byte(), R.byte()
  if version ~= 0x54 or format ~= 0 then
    error(("bytecode: version %x format %d, expected Lua 5.4's (54, 0)"):format(version, format), 0)
  end
  if R.bytes(6) ~= "\x19\x93\r\n\x1a\n" then error("bytecode: damaged header", 0) end
  local isize, jsize, nsize = R.byte(), R.byte(), R.byte()
  if isize ~= 4 or jsize ~= 8 or nsize ~= 8 then
    error(("bytecode: sizes %d/%d/%d, expected 4/8/8"):format(isize, jsize, nsize), 0)
  end
  if R.unpack("=j", 8) ~= 0x5678 or R.unpack("=n", 8) ~= 370.5 then
    error("bytecode: integer or float format differs from this machine's", 0)
  end
  R.byte()   -- the main function's number of upvalues
end

-- Each instruction's line, from the debug information (ldebug.c
-- luaG_getfuncline): from linedefined, each instruction adds its
-- lineinfo byte to the line before it, except one marked ABSLINEINFO,
-- whose line is given whole in abslineinfo (Lua writes one at least
-- every 128 instructions, and for any step of 128 lines or more).
local function lines_of(f)
  local lines, line, a = {}, f.linedefined, 1
  if #f.lineinfo == 0 then return lines end   -- stripped: no lines
  for pc = 1, #f.code do
    local d = f.lineinfo[pc]
    if d == ABSLINEINFO then
      local e = f.abslineinfo[a]
      if not e or e.pc ~= pc - 1 then error("bytecode: abslineinfo out of step at instruction " .. pc, 0) end
      line, a = e.line, a + 1
    else
      line = line + d
    end
    lines[pc] = line
  end
  return lines
end

local function read_function(R, psource)
  local f = {}
  f.source = R.string() or psource
  f.linedefined, f.lastlinedefined = R.size(), R.size()
  f.numparams, f.is_vararg, f.maxstacksize = R.byte(), R.byte(), R.byte()
  f.code = {}
  for i = 1, R.size() do f.code[i] = R.unpack("=I4", 4) end
  f.k = {}
  for i = 1, R.size() do
    local t = R.byte()
    if t == INT then f.k[i] = R.unpack("=j", 8)
    elseif t == FLT then f.k[i] = R.unpack("=n", 8)
    elseif t == SHRSTR or t == LNGSTR then f.k[i] = R.string()
    elseif t == TRUE then f.k[i] = true
    elseif t == FALSE then f.k[i] = false
    elseif t ~= NIL then error("bytecode: unknown constant type " .. t, 0)
    end
  end
  f.upvalues = {}
  for i = 1, R.size() do
    f.upvalues[i] = { instack = R.byte(), idx = R.byte(), kind = R.byte() }
  end
  f.protos = {}
  for i = 1, R.size() do f.protos[i] = read_function(R, f.source) end
  f.lineinfo = {}
  for i = 1, R.size() do
    local d = R.byte()
    f.lineinfo[i] = d >= 0x80 and d - 0x100 or d
  end
  f.abslineinfo = {}
  for i = 1, R.size() do f.abslineinfo[i] = { pc = R.size(), line = R.size() } end
  f.locvars = {}
  for i = 1, R.size() do
    f.locvars[i] = { name = R.string(), startpc = R.size(), endpc = R.size() }
  end
  for i = 1, R.size() do
    if f.upvalues[i] then f.upvalues[i].name = R.string() else R.string() end
  end
  f.lines = lines_of(f)
  return f
end

-- The main function of the binary chunk s (string.dump's output), as a
-- tree of tables: source, linedefined, lastlinedefined, numparams,
-- is_vararg, code (instructions as integers), k (constants; nil ones
-- are holes), upvalues ({ instack, idx, kind, name }), protos (nested
-- functions), lineinfo, abslineinfo ({ pc, line }), locvars, and lines
-- (each instruction's source line; empty when stripped).  Errors with
-- "bytecode: ..." on a chunk it cannot read.
function B.read(s)
  local R = reader(s)
  read_header(R)
  local main = read_function(R, nil)
  if not R.at_end() then error("bytecode: bytes after the main function", 0) end
  return main
end

return B
