-- lint.lua — what `verdict lint` finds in the rule files' compiled code
-- without running it: the global names their functions read that the
-- sandbox does not provide (a typo, or io, os, require, load...), fields
-- of the allowed libraries that they lack or that are left out
-- (math.random, string.dump), and globals set inside a function.  A test
-- case reaches only some branches of a rule's function; this reads every
-- one, so a record no case resembles cannot be the first to find them
-- (as ERROR: "undefined name 'io'").
--
-- Part of the engine's prelude (trusted), loaded only when lint asks for
-- it (prelude.h).  Each file is compiled again and dumped with its debug information
-- (chunk_code) and read by bytecode.lua;
-- a global's read or write is a GETTABUP or SETTABUP on the function's
-- _ENV upvalue, with the name as a constant, and its line comes from the
-- debug information (past a function's 256th constant, a GETUPVAL of
-- _ENV and a GETTABLE or SETTABLE with the name loaded by LOADK).
local V, C = ...

-- The reader, and string.dump, which the sandbox removes: C.load_piece
-- gives it with every piece it loads (they are lint's).
local bytecode, dump = C.load_piece("bytecode.lua")
local B = V.bytecode or bytecode(V, C)
local D = V.dsl

local insert, sort = table.insert, table.sort

local LN = {}
V.lint = LN

-- Each loaded file's compiled code, with debug information, in the order
-- the files loaded: a list of { path = "dir/rel", code = dump's bytes }.
-- The files are compiled again as dsl.lua's run_file did (the compiler
-- gives the same code for the same text) rather than kept from the load,
-- which every other command would pay for.
local function chunk_code(rs)
  local out = {}
  for _, rel in ipairs(rs.files) do
    local text = C.read_rule_file(rel)
    local path = rs.dir .. "/" .. rel
    local chunk = text and load(text, "@" .. path, "t", {})
    if chunk then out[#out + 1] = { path = path, code = dump(chunk) } end
  end
  return out
end

-- Whether rule files set global `name` while loading: the environment
-- holds it, and held nothing or something else under it before them.
local function set_at_load(G, name)
  local v = rawget(G, name)
  return v ~= nil and D.builtin[name] ~= v
end

-- The names dsl.lua's deny-list leaves out of the environment, each with
-- the key of the reason it gives (D.denied_reasons).
local DENIED = D.denied
LN.denied = DENIED

-- The libraries of the environment whose fields are known: a field they
-- lack is a problem (a rule file's own tables may hold anything).
local LIBRARIES = { string = true, table = true, math = true, utf8 = true, date = true }

-- The words of the problems, by language.
local W = {
  en = {
    undefined = "undefined name '%s' (not a built-in, a DSL word or a global a rule file sets)",
    denied = "'%s' is not available to rule files: %s",
    denied_in = "'%s' (in '%s') is not available to rule files: %s",
    no_field = "'%s.%s' does not exist: the library '%s' has no field '%s'",
    write = "a function sets the global '%s', which rule functions cannot do once the rule set has "
         .. "loaded; use a local (local %s = ...)",
    did_you_mean = "; did you mean '%s'?",
    lib_write = "a function changes '%s.%s': the libraries are read-only to rule files; expected a local "
             .. "of its own (local my_%s = ...)",
    load_only = "%s can only be used at the top of a rule file, while the rule set loads; found inside a "
             .. "rule's function, run for a record",
    reasons = D.denied_reasons.en,
  },
  zh = {
    undefined = "未定义的名称“%s”（既不是内置函数、DSL用语，也不是规则文件设置的全局变量）",
    denied = "规则文件不能使用“%s”：%s",
    denied_in = "规则文件不能使用“%s”（见“%s”）：%s",
    no_field = "“%s.%s”不存在：库“%s”中没有“%s”",
    write = "函数中设置了全局变量“%s”，规则集加载后规则函数不能设置全局变量；请改用局部变量（local %s = ...）",
    did_you_mean = "；是否应为“%s”？",
    lib_write = "函数中改动了“%s.%s”：库对规则文件是只读的；应另用自己的局部变量（local my_%s = ...）",
    load_only = "%s只能用在规则文件的顶层、规则集加载时；却出现在为每条记录运行的规则函数中",
    reasons = D.denied_reasons.zh,
  },
}
LN.words = W

local closest = D.closest

-- The string keys of t (through __pairs where it has one), sorted.
local function keys(t)
  local out = {}
  for k in pairs(t) do
    if type(k) == "string" then insert(out, k) end
  end
  sort(out)
  return out
end

-- What reading global `name` (and its `field`, when the next instruction
-- reads one) finds wrong, as a message in w's words; nil when nothing.
local function read_problem(G, name, field, w)
  local v = rawget(G, name)
  if v == nil then
    local why = DENIED[name]
    if why then
      if field then return w.denied_in:format(name, name .. "." .. field, w.reasons[why]) end
      return w.denied:format(name, w.reasons[why])
    end
    local near = closest(name, keys(G))
    return w.undefined:format(name) .. (near and w.did_you_mean:format(near) or "")
  end
  if not field or not LIBRARIES[name] or set_at_load(G, name) then return nil end
  local full = name .. "." .. field
  if DENIED[full] then return w.denied:format(full, w.reasons[DENIED[full]]) end
  if v[field] ~= nil then return nil end
  local near = closest(field, keys(name == "date" and D.date_helpers or v))
  return w.no_field:format(name, field, name, field) .. (near and w.did_you_mean:format(name .. "." .. near) or "")
end

-- Where a global's name is past the 256th constant of its function, Lua
-- reads the environment into a register (GETUPVAL), the name into the
-- next (LOADK), and indexes one with the other later (GETTABLE, or
-- SETTABLE once the value to set is computed).  From instruction pc of f,
-- a GETUPVAL of register a: "read" or "write", the name, the pc of the
-- indexing; nil when it is not such a global.
local function indexed_later(f, pc, a)
  local kreg, name, last = B.loaded_constant(f, pc + 1)
  if kreg == nil or type(name) ~= "string" then return nil end
  for q = last + 1, #f.code do
    local op, qa, qb, qc = B.decode(f.code[q])
    if op == B.OP_GETTABLE and qb == a and qc == kreg then return "read", name, q, qa end
    if op == B.OP_SETTABLE and qa == a and qb == kreg then return "write", name, q end
    -- Either register given another value first: not a global's name.
    if B.sets_register_a(op) and (qa == a or qa == kreg) then return nil end
    if (op == B.OP_CALL or op == B.OP_TAILCALL) and qa <= a then return nil end
  end
  return nil
end

-- The name of the field of register r that instruction pc of f reads
-- (GETFIELD on r with a constant key; past the 256th constant, the key
-- loaded by LOADK and a GETTABLE), or nil.
-- The field of register r written at instruction pc of f (or at the next,
-- after one load into another register): its name, or nil.
local function field_written(f, pc, r)
  for i = pc, pc + 1 do
    local op, a, b = B.decode(f.code[i] or 0)
    if op == B.OP_SETFIELD and a == r and type(f.k[b + 1]) == "string" then return f.k[b + 1] end
    if not B.LOADS[op] or a == r then return nil end
  end
  return nil
end

-- DSL words that only declare, at load: inside a function run for each
-- record, an error.
local LOAD_ONLY = { include = true, decision = true, param = true, extend = true }

local function field_read(f, pc, r)
  local op, _, b, c = B.decode(f.code[pc] or 0)
  if op == B.OP_GETFIELD and b == r and type(f.k[c + 1]) == "string" then return f.k[c + 1] end
  local kreg, key, last = B.loaded_constant(f, pc)
  if kreg == nil or type(key) ~= "string" then return nil end
  op, _, b, c = B.decode(f.code[last + 1] or 0)
  if op == B.OP_GETTABLE and b == r and c == kreg then return key end
  return nil
end

-- The functions the rules run for each record (given to check, fn or a
-- score), by "source:linedefined:lastlinedefined", as LN.problems sets it.
local record_fns = {}
local function per_record_fn(f)
  return record_fns[tostring(f.source) .. ":" .. f.linedefined .. ":" .. f.lastlinedefined] == true
end

-- The problems of function f (and of the functions inside it) into out,
-- as { line, msg }.  env: the set of f's upvalue indexes (from 0) that
-- hold the rule files' environment; top: whether f is a file's main
-- function, whose writes define globals.
local function walk(f, env, top, G, w, out, per_record)
  local code, k, lines = f.code, f.k, f.lines
  -- A function given to check, fn or a score (or one inside it) runs for
  -- each record, where setting a global always fails, whether or not the
  -- rule files set that name at load (`total = 0` at the top, then
  -- `total = total + 1` inside a check: a `local` forgotten).
  per_record = per_record or (not top and per_record_fn(f))
  local function read(pc, name, field, written)
    local msg = read_problem(G, name, field, w)
    if not msg and written and LIBRARIES[name] and not set_at_load(G, name) then
      msg = w.lib_write:format(name, written, written)
    end
    if not msg and per_record and LOAD_ONLY[name] and D.builtin[name] == rawget(G, name) then
      msg = w.load_only:format(name)
    end
    if msg then insert(out, { line = lines[pc] or 0, msg = msg }) end
  end
  local function write(pc, name)
    if not top and (per_record or not set_at_load(G, name)) then
      insert(out, { line = lines[pc] or 0, msg = w.write:format(name, name) })
    end
  end
  for pc = 1, #code do
    local op, a, b, c = B.decode(code[pc])
    if op == B.OP_GETTABUP and env[b] and type(k[c + 1]) == "string" then
      read(pc, k[c + 1], field_read(f, pc + 1, a), field_written(f, pc + 1, a))
    elseif op == B.OP_SETTABUP and env[a] and type(k[b + 1]) == "string" then
      write(pc, k[b + 1])
    elseif op == B.OP_GETUPVAL and env[b] then
      local how, name, q, r = indexed_later(f, pc, a)
      if how == "read" then read(pc + 1, name, field_read(f, q + 1, r))
      elseif how == "write" then write(pc + 1, name) end
    end
  end
  for _, p in ipairs(f.protos) do
    -- An upvalue of p is the environment when it is one of f's upvalues
    -- that is (instack 0); one in f's registers is a local of f (a
    -- `local _ENV = ...` of the rule file's own), not the environment.
    local penv = {}
    for j, u in ipairs(p.upvalues) do
      if u.instack == 0 and env[u.idx] then penv[j - 1] = true end
    end
    walk(p, penv, false, G, w, out, per_record)
  end
end

-- Every problem of the rule files' code, as "file:line: message" strings
-- in language lang: by file in the order they loaded, then by line.  None
-- when a file stopped part-way while loading (a syntax error, an error at
-- its top level): the globals its rest would set are not known, and that
-- problem is reported already.
function LN.problems(lang)
  local rs, G = V.rs, D.globals
  local out = {}
  if not rs or rs.file_failed or not G then return out end
  local w = W[lang] or W.en
  record_fns = {}
  for _, fn in ipairs(rs.user_fns or {}) do
    local info = D.getinfo(fn, "S")
    if info and info.what == "Lua" then
      record_fns[info.source .. ":" .. info.linedefined .. ":" .. info.lastlinedefined] = true
    end
  end
  for _, chunk in ipairs(chunk_code(rs)) do
    local main = B.read(chunk.code)
    local found = {}
    -- A file's main function has one upvalue, the environment load gave it.
    walk(main, { [0] = main.upvalues[1] and main.upvalues[1].name == "_ENV" or nil }, true, G, w, found)
    for i, p in ipairs(found) do p.seq = i end
    sort(found, function(x, y)
      if x.line ~= y.line then return x.line < y.line end
      return x.seq < y.seq
    end)
    local seen = {}
    for _, p in ipairs(found) do
      local s = chunk.path .. ":" .. p.line .. ": " .. p.msg
      if not seen[s] then
        seen[s] = true
        insert(out, s)
      end
    end
  end
  return out
end

return LN
