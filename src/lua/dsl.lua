-- dsl.lua — the rule DSL's declarations, the sandbox environment rule
-- files run in, and the loading of a rule set directory.
--
-- Part of the engine's prelude (trusted).  Declarations only record what a
-- rule file says, with the file:line it said it at; compile.lua turns them
-- into evaluators once every file is read.  docs/dsl.md is the reference.
local V, C = ...

local getinfo, getupvalue, setupvalue = debug.getinfo, debug.getupvalue, debug.setupvalue
local load, pcall, error, type, pairs, ipairs, setmetatable, tostring, select =
      load, pcall, error, type, pairs, ipairs, setmetatable, tostring, select
local rawget, rawset, rawlen, next = rawget, rawset, rawlen, next
local concat, insert, sort = table.concat, table.insert, table.sort

local D = {}
V.dsl = D

local day_arg, whole_arg   -- (below, with the sandbox's date helpers)

-- The rule set as declared: reset by D.reset before each load.
local RS

function D.reset()
  RS = {
    info = { name = "rules", version = "", title = nil },
    params = {}, param_order = {},
    decisions = {}, decision_order = {},
    extends = {},
    errors = {},
    files = {},
  }
  V.rs = RS
end

-- Where the rule file called us: "path:line".  level counts from the
-- caller of the function that calls here.
local function where(level)
  local info = getinfo(level + 2, "Sl")
  if not info then return "?" end
  local src = info.source or "?"
  if src:sub(1, 1) == "@" then src = src:sub(2) end
  return src .. ":" .. (info.currentline or 0)
end
D.where = where
D.getinfo = getinfo   -- for lint (src/lua/lint.lua), which has no debug library

-- The first line at or after `w` ("path:line") whose text holds `word`,
-- as "path:line"; `w` itself when none does.  For declarations that are
-- plain tables (grades, the forms of weights), which carry no line.
function D.find_line(w, word)
  local path, line = w:match("^(.*):(%d+)$")
  if not path or not RS.dir then return w end
  local prefix = RS.dir .. "/"
  if path:sub(1, #prefix) ~= prefix then return w end
  local text = C.read_rule_file(path:sub(#prefix + 1))
  if not text then return w end
  -- Plain finds, not patterns: a pattern over the whole file would be
  -- held to the sandbox's pattern guard (its cost grows with the square
  -- of the text), which a rule file of a few hundred lines exceeds.
  local n, pos, start = 1, 1, tonumber(line)
  while n < start do
    local nl = text:find("\n", pos, true)
    if not nl then return w end
    pos, n = nl + 1, n + 1
  end
  local at = text:find(word, pos, true)
  if not at then return w end
  while true do
    local nl = text:find("\n", pos, true)
    if not nl or nl >= at then break end
    pos, n = nl + 1, n + 1
  end
  return path .. ":" .. n
end

-- Declarations are made while the rule set loads (D.load sets this);
-- afterwards, inside a rule's function run for a record, a declaration,
-- an include or a problem with one is an error of that rule, so the
-- record is ERROR naming it (nothing is read or declared silently).
D.loading = false

-- "path:line" of the innermost rule-file code on the stack, or "?".
local function rule_file_where()
  local prefix = "@" .. (RS.dir or "") .. "/"
  for level = 2, 50 do
    local info = getinfo(level, "Sl")
    if not info then break end
    local src = info.source or ""
    if src:sub(1, #prefix) == prefix then return src:sub(2) .. ":" .. (info.currentline or 0) end
  end
  return "?"
end

local function not_at_run_time(what)
  if not D.loading then
    error(rule_file_where() .. ": " .. what .. " can only be used at the top of a rule file, while "
      .. "the rule set loads; found inside a rule's function, run for a record", 0)
  end
end

function D.error_at(w, msg)
  if not D.loading then error(w .. ": " .. msg, 0) end
  insert(RS.errors, { where = w, msg = msg })
end
local error_at = D.error_at

-- `kind "name" { spec }`: a function taking the name, returning a
-- function taking the spec table.
local function named(kind, build)
  return function(name)
    local w = where(1)
    if type(name) ~= "string" or name == "" then
      error_at(w, kind .. " needs a name in quotes, e.g. " .. kind .. ' "X1" { ... }')
      name = "?"
    end
    return function(spec)
      if type(spec) ~= "table" then
        error_at(w, kind .. ' "' .. name .. '" needs a table in braces { ... }, found ' .. type(spec))
        spec = {}
      end
      return build(name, spec, w)
    end
  end
end

---------------------------------------------------------------------------
-- Operands and conditions: plain descriptor tables, compiled later.
---------------------------------------------------------------------------

local function node(tag, op, fields, w)
  fields.tag, fields.op, fields.where = tag, op, w
  return fields
end

local E = {}       -- the DSL functions offered to rule files
D.env_functions = E

-- Operands.
function E.param(name)
  return node("operand", "param", { name = name }, where(1))
end
local function date_literal(text, w)
  local day = type(text) == "string" and C.date_parse(text) or nil
  if not day then
    error_at(w, 'date "' .. tostring(text) .. '" is not a date; expected e.g. date "2024-03-15"')
    day = 0
  end
  return node("operand", "date", { day = day, text = text }, w)
end
D.date_literal = date_literal
function E.date(text)
  return date_literal(text, where(1))
end
function E.as_of() return node("operand", "as_of", {}, where(1)) end
function E.add_months(x, n) return node("operand", "add_months", { a = x, b = n }, where(1)) end
function E.add_years(x, n) return node("operand", "add_years", { a = x, b = n }, where(1)) end
function E.days_between(a, b) return node("operand", "days_between", { a = a, b = b }, where(1)) end
function E.plus(a, b) return node("operand", "plus", { a = a, b = b }, where(1)) end
function E.minus(a, b) return node("operand", "minus", { a = a, b = b }, where(1)) end
function E.times(a, b) return node("operand", "times", { a = a, b = b }, where(1)) end
function E.first_present(...)
  return node("operand", "first_present", { list = { ... }, n = select("#", ...) }, where(1))
end
function E.fn(f) return node("operand", "fn", { f = f }, where(1)) end

-- Conditions.
local function cmp(op, name)
  return function(x, y)
    return node("cond", "cmp", { cmp = op, a = x, b = y, name = name }, where(1))
  end
end
E.at_least, E.more_than = cmp(">=", "at_least"), cmp(">", "more_than")
E.at_most, E.less_than = cmp("<=", "at_most"), cmp("<", "less_than")
E.equals = cmp("==", "equals")
E.on_or_after, E.after = cmp("d>=", "on_or_after"), cmp("d>", "after")
E.on_or_before, E.before = cmp("d<=", "on_or_before"), cmp("d<", "before")

function E.between(x, lo, hi)
  return node("cond", "between", { a = x, lo = lo, hi = hi }, where(1))
end
function E.is(x, token) return node("cond", "is", { a = x, token = token }, where(1)) end
function E.is_not(x, token) return node("cond", "is_not", { a = x, token = token }, where(1)) end
function E.one_of(x, list) return node("cond", "one_of", { a = x, list = list }, where(1)) end
function E.is_true(x) return node("cond", "is_true", { a = x }, where(1)) end
function E.is_false(x) return node("cond", "is_false", { a = x }, where(1)) end
function E.present(x) return node("cond", "present", { a = x }, where(1)) end
function E.missing(x) return node("cond", "missing", { a = x }, where(1)) end
function E.all_of(list) return node("cond", "all_of", { list = list }, where(1)) end
function E.any_of(list) return node("cond", "any_of", { list = list }, where(1)) end
function E.not_(c) return node("cond", "not", { c = c }, where(1)) end
function E.always() return node("cond", "always", {}, where(1)) end
function E.check(f) return node("cond", "check", { f = f }, where(1)) end

-- Conditions on rule results (verdicts only).
function E.passed(id) return node("cond", "rule_is", { id = id, want = "pass" }, where(1)) end
function E.failed(id) return node("cond", "rule_is", { id = id, want = "fail" }, where(1)) end
function E.unknown(id) return node("cond", "rule_is", { id = id, want = "unknown" }, where(1)) end
function E.any_deciding_failed()
  return node("cond", "any_deciding", { want = "fail", except = {} }, where(1))
end
function E.any_deciding_unknown(opts)
  local w = where(1)
  local except = {}
  if opts ~= nil then
    if type(opts) ~= "table" then
      error_at(w, "any_deciding_unknown takes { except = { \"X1\", ... } }")
    else
      except = opts.except or {}
    end
  end
  return node("cond", "any_deciding", { want = "unknown", except = except }, w)
end

---------------------------------------------------------------------------
-- Declarations.
---------------------------------------------------------------------------

-- The fields each kind of declaration takes (its positional entries
-- aside).  A field not among them is a problem at its file:line, naming
-- the closest known field: `decide = ...` for `decides` would otherwise be
-- dropped without a word, and the rule would decide every record.
local FIELDS = {
  column = { "zh", "type", "values", "required", "optional", "unique", "meaning", "meaning_zh", "min", "max" },
  value = { "en", "zh", "title" },
  part = { "en", "zh" },
  rule = { "clause", "quote", "title", "applies", "decides", "all", "any", "when", "en", "zh" },
  verdict = { "when", "en", "zh", "label", "clause", "quote" },
  graded = { "label", "en", "zh" },
  criterion = { "clause", "quote", "title", "indicators", "score" },
  param = { "value", "values", "clause", "note", "zh" },
  decision = { "title", "clause", "quote", "id_column", "reference_date", "columns", "values",
               "rules", "verdicts", "incomplete", "criteria", "target_scale", "weights", "emphasis",
               "grades" },
  ruleset = { "name", "version", "title" },
  extend = { "rules", "values", "criteria", "verdicts" },
}
local FIELD_SET = {}
for kind, list in pairs(FIELDS) do
  FIELD_SET[kind] = {}
  for _, f in ipairs(list) do FIELD_SET[kind][f] = true end
end

-- Edit distance of two short names (for "did you mean").
function D.distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end
local distance = D.distance

-- The name of `candidates` closest to `name`, or nil when none is close:
-- at most one edit away for a name of three letters or fewer, two for a
-- longer one; of equals, the one that begins most like name (X3: X1, not
-- E3), then the first in byte order (the same answer every run).
function D.closest(name, candidates)
  if type(name) ~= "string" then return nil end
  local limit = #name <= 3 and 1 or 2
  local best, bd, bp
  for _, k in ipairs(candidates) do
    if k ~= name then
      local d = distance(name, k)
      local p = 0
      while p < #name and name:byte(p + 1) == k:byte(p + 1) do p = p + 1 end
      if d <= limit and (not best or d < bd or (d == bd and (p > bp or (p == bp and k < best)))) then
        best, bd, bp = k, d, p
      end
    end
  end
  return best
end

-- '; did you mean "x"?' for the closest of list to name, or "".
function D.nearest_hint(name, list)
  local best = D.closest(name, list)
  return best and ('; did you mean "' .. best .. '"?') or ""
end

local function check_fields(kind, label, spec, w)
  local known = FIELD_SET[kind]
  local bad = {}
  for k in pairs(spec) do
    if type(k) == "string" and not known[k] then insert(bad, k) end
  end
  table.sort(bad)
  for _, k in ipairs(bad) do
    local best, bd = nil, 3
    for _, f in ipairs(FIELDS[kind]) do
      local d = distance(k, f)
      if d < bd then best, bd = f, d end
    end
    error_at(w, label .. ': unknown field "' .. k .. '"' ..
      (best and ('; did you mean "' .. best .. '"?') or
       ("; expected one of " .. table.concat(FIELDS[kind], ", "))))
  end
end

E.column = named("column", function(name, spec, w)
  check_fields("column", 'column "' .. name .. '"', spec, w)
  spec.name, spec.where = name, w
  spec.tag = "column"
  return spec
end)

E.value = named("value", function(name, spec, w)
  check_fields("value", 'value "' .. name .. '"', spec, w)
  return { tag = "value", name = name, expr = spec[1], en = spec.en, zh = spec.zh,
           title = spec.title, where = w }
end)

E.part = named("part", function(name, spec, w)
  check_fields("part", 'part "' .. name .. '"', spec, w)
  return { tag = "part", name = name, cond = spec[1], en = spec.en, zh = spec.zh, where = w }
end)

E.rule = named("rule", function(id, spec, w)
  check_fields("rule", 'rule "' .. id .. '"', spec, w)
  spec.id, spec.where, spec.tag = id, w, "rule"
  return spec
end)

E.verdict = named("verdict", function(token, spec, w)
  check_fields("verdict", 'verdict "' .. token .. '"', spec, w)
  spec.token, spec.where, spec.tag = token, w, "verdict"
  return spec
end)

function E.graded(spec)
  local w = where(1)
  if type(spec) ~= "table" then spec = {} end
  check_fields("graded", "graded", spec, w)
  spec.graded, spec.where, spec.tag = true, w, "verdict"
  return spec
end

E.criterion = named("criterion", function(id, spec, w)
  check_fields("criterion", 'criterion "' .. id .. '"', spec, w)
  spec.id, spec.where, spec.tag = id, w, "criterion"
  return spec
end)

E.weights = named("weights", function(column, spec, w)
  return { tag = "weights", column = column, by = spec, where = w }
end)

-- `param "name" { value = ... }` declares; `param "name"` inside a condition
-- reads.  Both spellings are the same function: the spec call declares.
local read_param = E.param
E.param = function(name)
  local w = where(1)
  local ref = read_param(name)
  ref.where = w
  -- Calling the reference with a table turns it into a declaration.
  return setmetatable(ref, { __call = function(_, spec)
    not_at_run_time("param")
    if type(spec) ~= "table" then
      error_at(w, 'param "' .. tostring(name) .. '" needs a table { value = ... }')
      return
    end
    if RS.params[name] then
      error_at(w, 'parameter "' .. name .. '" is declared twice (first at ' .. RS.params[name].where .. ")")
      return
    end
    check_fields("param", 'param "' .. name .. '"', spec, w)
    spec.name, spec.where = name, w
    RS.params[name] = spec
    insert(RS.param_order, name)
  end })
end

function E.ruleset(spec)
  not_at_run_time("ruleset")
  local w = where(1)
  if type(spec) ~= "table" then error_at(w, "ruleset needs a table { name = ..., version = ... }") return end
  -- A second one would replace the name and version every record carries.
  if RS.info.where then
    error_at(w, "ruleset is declared twice (first at " .. RS.info.where .. ")")
    return
  end
  check_fields("ruleset", "ruleset", spec, w)
  spec.where = w
  RS.info = spec
end

E.decision = named("decision", function(name, spec, w)
  not_at_run_time("decision")
  if RS.decisions[name] then
    error_at(w, 'decision "' .. name .. '" is declared twice (first at ' .. RS.decisions[name].where .. ")")
    return
  end
  check_fields("decision", 'decision "' .. name .. '"', spec, w)
  spec.name, spec.where = name, w
  RS.decisions[name] = spec
  insert(RS.decision_order, name)
end)

E.extend = named("extend", function(name, spec, w)
  not_at_run_time("extend")
  local label = 'extend "' .. name .. '"'
  -- The decision's own fields (columns, weights...) are not added by an
  -- extend; every other name is a misspelling.  Either would be dropped
  -- without a word, and what it held would never run.
  local own = {}
  for k in pairs(spec) do
    if type(k) == "string" and not FIELD_SET.extend[k] and FIELD_SET.decision[k] then
      own[k] = spec[k]
      spec[k] = nil
    end
  end
  check_fields("extend", label, spec, w)
  local names = {}
  for k in pairs(own) do insert(names, k) end
  sort(names)
  for _, k in ipairs(names) do
    error_at(w, label .. ': field "' .. k .. '" cannot be extended; it belongs in decision "' .. name
      .. '" itself; expected one of ' .. concat(FIELDS.extend, ", "))
  end
  -- A positional entry (a rule given without rules = { ... }) too.
  if spec[1] ~= nil then
    error_at(w, label .. ": found an entry with no field name; expected the entries in one of "
      .. concat(FIELDS.extend, ", ") .. ', e.g. rules = { rule "X1" { ... } }')
  end
  spec.name, spec.where = name, w
  insert(RS.extends, spec)
end)

---------------------------------------------------------------------------
-- The sandbox environment.
---------------------------------------------------------------------------

-- The read-only view of each list the rule set holds, by the list (see
-- eval.lua's proxies, and compile.lua, which makes them).
D.views = setmetatable({}, { __mode = "k" })

-- An error at the place in a rule file that caused it: the first caller
-- that is rule code (a chunk "@path"), past the engine's functions and C
-- functions such as table.insert in between; no place when there is none.
local function rule_error(msg)
  local level = 2
  while true do
    local info = getinfo(level, "S")
    if not info then break end
    if info.source:sub(1, 1) == "@" then
      error(msg, level)   -- (not a tail call: it would shift the levels)
    end
    level = level + 1
  end
  error(msg, 0)
end
D.rule_error = rule_error

-- What the sandbox's next and rawlen see of a read-only view (an empty
-- table whose metatable reads another): view -> { next = f(k), len = f() }
-- over its contents, so that next(v) and rawlen(v) read as pairs and #.
local view_of = setmetatable({}, { __mode = "k" })
local function plain_view(p, t)
  view_of[p] = { next = function(k) return next(t, k) end, len = function() return #t end }
  return p
end

-- The iterator pairs gives for a view: its state is the view itself, never
-- the table underneath, which a rule could then write to
-- (`local _, s = pairs(p.list)`).  Made once per view.
local function pairs_of(t)
  local iter = function(_, k) return next(t, k) end
  return function(p) return iter, p, nil end
end

-- Read-only view of a table: reads pass through, writes are errors.
-- (missing(k), if given, is called for a key t lacks, before nil is
-- given: the names a library leaves out, with why.)
local function readonly(t, what, missing)
  local p = setmetatable({}, {
    __index = missing and function(_, k)
      local v = t[k]
      if v == nil then missing(k) end
      return v
    end or t,
    __newindex = function(_, k) rule_error("cannot change " .. what .. "." .. tostring(k) .. ": it is read-only") end,
    __pairs = pairs_of(t),
    __len = function() return #t end,
    __metatable = false,
  })
  return plain_view(p, t)
end
D.readonly = readonly

-- A list parameter as rule functions see it (p.name, or r.name of a value
-- that is one), made once when the rules load: nested lists (pairs of
-- token and label) are views too; every write is the error naming the
-- parameter.  The engine keeps reading the list itself.
-- (at: the item of the list above that this one is, for a pair.)
function D.param_view(t, name, at)
  local items = {}
  for k, v in pairs(t) do
    if type(v) == "table" then v = D.param_view(v, name, tostring(k)) end
    items[k] = v
  end
  local p = setmetatable({}, {
    __index = items,
    __newindex = function(_, k)
      rule_error("cannot change parameter '" .. name .. "' (item " .. tostring(k) ..
        (at and (" of item " .. at) or "") ..
        "): parameters are read-only; to change the list, copy it into a local table")
    end,
    __pairs = pairs_of(items),
    __len = function() return #items end,
    __metatable = false,
  })
  return plain_view(p, items)
end

-- Deep read-only view: nested tables are read-only too.
local deep_cache = setmetatable({}, { __mode = "k" })
local function deep_readonly(t)
  -- a view already (an upvalue two functions share is frozen once for
  -- each): as it is, not a view of the view, whose next and # would see
  -- the empty table under it
  if view_of[t] then return t end
  local p = deep_cache[t]
  if p then return p end
  local function wrap(v)
    if type(v) == "table" then return deep_readonly(v) end
    return v
  end
  p = setmetatable({}, {
    __index = function(_, k) return wrap(t[k]) end,
    __newindex = function(_, k) rule_error("cannot change '" .. tostring(k) .. "': rule data is read-only once loaded") end,
    __pairs = function(self)
      return function(_, k)
        local nk, nv = next(t, k)
        return nk, wrap(nv)
      end, self, nil
    end,
    __len = function() return #t end,
    __metatable = false,
  })
  deep_cache[t] = p
  view_of[p] = { next = function(k) local nk, nv = next(t, k); return nk, wrap(nv) end,
                 len = function() return #t end }
  return p
end
D.deep_readonly = deep_readonly

-- A value a rule function gave, for a message: 0 (a number), "yes"
-- (text), true (yes/no), nil, a table.  Long text is cut at 40
-- characters.
function D.shown(v)
  local t = type(v)
  if t == "number" then return tostring(v) .. " (a number)" end
  if t == "boolean" then return tostring(v) .. " (yes/no)" end
  if t == "nil" then return "nil" end
  if t ~= "string" then return "a " .. t end
  local n = utf8.len(v)
  if not n or v:find("[%c\"]") then return "text of " .. #v .. " bytes" end
  if n > 40 then v = v:sub(1, utf8.offset(v, 41) - 1) .. "..." end
  return '"' .. v .. '" (text)'
end

-- The arguments of date.add_months and date.add_years: a day number, and
-- a whole number of months or years (1.5 months is no date).
local mtype, floor_ = math.type, math.floor
function day_arg(fname, d)
  if mtype(d) == "integer" then return d end
  if mtype(d) == "float" and d == floor_(d) and d > -2^53 and d < 2^53 then return math.tointeger(d) end
  rule_error(fname .. ": d is " .. D.shown(d) .. "; expected a date (a day number)")
end
function whole_arg(fname, n, unit)
  if mtype(n) == "integer" then return n end
  if mtype(n) == "float" and n == floor_(n) and n > -2^53 and n < 2^53 then return math.tointeger(n) end
  rule_error(fname .. ": n is " .. D.shown(n) .. "; expected a whole number of " .. unit)
end

local function copy_without(lib, drop)
  local t = {}
  for k, v in pairs(lib) do if not drop[k] then t[k] = v end end
  return t
end

-- The allow-list: everything a rule file can name.  Left out, and why:
--   io, os, package, require, dofile, loadfile: reach files and processes
--   load: would load binary chunks and escape the environment
--   debug: reaches every upvalue, metatable and the registry
--   getmetatable, setmetatable, rawset, rawget: alter or bypass protections
--     (the string metatable, read-only tables) and set __gc finalisers
--   pcall, xpcall, coroutine: would let a rule catch its own time-out
--   collectgarbage: interferes with the memory limit
--   print: results go only to the output, messages only through verdict
--   math.random, math.randomseed: a verdict must be reproducible
--   string.dump: produces bytecode
-- (lint.lua gives these reasons when a rule file's code names one.)
-- The names left out, each with the key of its reason (lint names them at
-- their line; reading one gives the reason too).
D.denied = {
  io = "files", os = "files", package = "files", require = "files", dofile = "files", loadfile = "files",
  load = "load", debug = "debug",
  getmetatable = "meta", setmetatable = "meta", rawset = "meta", rawget = "meta",
  pcall = "catch", xpcall = "catch", coroutine = "catch",
  collectgarbage = "gc", print = "print",
  ["math.random"] = "random", ["math.randomseed"] = "random",
  ["string.dump"] = "dump",
}
D.denied_reasons = {
  en = {
    files = "files and processes are outside the sandbox",
    load = "it would load binary chunks and escape the sandbox's environment",
    debug = "it reaches every upvalue, metatable and the registry",
    meta = "it would alter or bypass the protections (read-only tables, the string metatable)",
    catch = "it would let a rule catch its own time-out",
    gc = "it interferes with the memory limit",
    print = "results go only to the output, messages only through verdict",
    random = "a verdict must be reproducible",
    dump = "it produces bytecode",
  },
  zh = {
    files = "文件和进程在沙箱之外",
    load = "它可加载二进制代码块，逃出沙箱环境",
    debug = "它可触及所有上值、元表和注册表",
    meta = "它可改变或绕过保护（只读表、字符串元表）",
    catch = "它会让规则捕获自身的超时",
    gc = "它会干扰内存上限",
    print = "结果只写入输出，消息只经由verdict给出",
    random = "结论必须可以复现",
    dump = "它会生成字节码",
  },
}

-- "'io' is not available to rule files: <why>", for a name of D.denied.
local function denied_error(name, level)
  error("'" .. name .. "' is not available to rule files: " .. D.denied_reasons.en[D.denied[name]], level + 1)
end

local SAFE_BASE = { "assert", "error", "ipairs", "next", "pairs", "select",
  "tonumber", "tostring", "type", "rawequal", "rawlen", "_VERSION" }

-- pairs and next in a fixed order of the keys: numbers by value, then
-- text byte by byte, then false and true.  Lua's own order follows the
-- hashes of the keys, and those of text are seeded at random in each run:
-- a rule that walked a table with pairs gave its parts in another order,
-- or another verdict, from one run to the next (the same input must give
-- the same bytes: contract 4).  A key of another kind (a table, a
-- function) has no such order: walking a table with one is an error.
local KEY_RANK = { number = 1, string = 2, boolean = 3 }

local function check_table(t, fname)
  if type(t) ~= "table" then
    error("bad argument #1 to '" .. fname .. "' (table expected, got " .. type(t) .. ")", 3)
  end
end

-- The keys of t (a read-only view: of what it shows) in that order, and
-- where each is in it.  Sorted in C (sort_keys), not counted against the
-- rule's instructions.
local function ordered(t, fname)
  local v = view_of[t]
  local keys, pos = {}, {}
  local k
  if v then k = v.next(nil) else k = next(t) end
  while k ~= nil do
    if not KEY_RANK[type(k)] then
      error(fname .. ": a key of the table is a " .. type(k) .. ", which has no order that is the same " ..
        "in every run; expected keys that are numbers, text or true/false (or walk a list with ipairs)", 3)
    end
    keys[#keys + 1] = k
    if v then k = v.next(k) else k = next(t, k) end
  end
  C.sort_keys(keys)
  for i = 1, #keys do pos[keys[i]] = i end
  return { keys = keys, pos = pos }
end

-- t's value at k now (a view's through the view).
local function value_at(t, k)
  if view_of[t] then return t[k] end
  return rawget(t, k)
end

-- The entry of order o from position i on whose value is not nil (a
-- field cleared while the table is walked is passed over, as Lua does).
local function entry_from(t, o, i)
  local keys = o.keys
  while true do
    local k = keys[i]
    if k == nil then return nil end
    local x = value_at(t, k)
    if x ~= nil then return k, x end
    i = i + 1
  end
end

local function ordered_pairs(t)
  check_table(t, "pairs")
  local o = ordered(t, "pairs")
  local i = 0
  return function()
    local k, x = entry_from(t, o, i + 1)
    if k ~= nil then i = o.pos[k] end
    return k, x
  end, t, nil
end

-- next's order of each table being walked, made at its first key and
-- kept while the walk goes on (one sort a walk, not one a step).
local next_order = setmetatable({}, { __mode = "k" })

local function ordered_next(t, k)
  check_table(t, "next")
  local o = next_order[t]
  if k == nil or not o or not o.pos[k] then
    o = ordered(t, "next")
    next_order[t] = o
    if k ~= nil and not o.pos[k] then error("invalid key to 'next'", 2) end
  end
  return entry_from(t, o, k == nil and 1 or o.pos[k] + 1)
end
D.ordered_pairs, D.ordered_next = ordered_pairs, ordered_next

function D.make_env(include_fn)
  local G = {}
  for _, k in ipairs(SAFE_BASE) do G[k] = _G[k] end
  -- pairs and next in the order above; they read a read-only view's
  -- contents (an empty table to the raw next), as # does
  G.pairs = ordered_pairs
  G.next = ordered_next
  G.rawlen = function(t)
    local v = view_of[t]
    if v then return v.len() end
    return rawlen(t)
  end
  G.string = readonly(copy_without(string, { dump = true }), "string", function(k)
    if k == "dump" then denied_error("string.dump", 3) end
  end)
  G.table = readonly(copy_without(table, {}), "table")
  G.math = readonly(copy_without(math, { random = true, randomseed = true }), "math", function(k)
    if k == "random" or k == "randomseed" then
      denied_error("math." .. k, 3)
    end
  end)
  G.utf8 = readonly(copy_without(utf8, {}), "utf8")
  for k, v in pairs(E) do G[k] = v end
  -- `date "2024-03-15"` is a date literal in declarations; date.format(d)
  -- and friends are helpers for plain Lua.  One name, both uses.
  local helpers = {
    parse = function(s) return C.date_parse(s) end,
    format = function(d) return C.date_format(d) end,
    add_months = function(d, n)
      return C.date_add_months(day_arg("date.add_months", d), whole_arg("date.add_months", n, "months"))
    end,
    add_years = function(d, n)
      return C.date_add_months(day_arg("date.add_years", d), 12 * whole_arg("date.add_years", n, "years"))
    end,
    days_between = function(a, b) return b - a end,
  }
  D.date_helpers = helpers
  G.date = setmetatable({}, {
    __index = helpers,
    __call = function(_, text) return date_literal(text, where(1)) end,
    __newindex = function(_, k) error("cannot change date." .. tostring(k) .. ": it is read-only", 2) end,
    __metatable = false,
  })
  G.include = include_fn
  local locked = false
  -- Reading an undefined global is an error: it catches typos in rules.
  -- A name of the deny-list says why it is left out (lint.lua's words),
  -- another the nearest name there is.
  setmetatable(G, { __index = function(_, k)
    if D.denied[k] then denied_error(k, 2) end
    local names = {}
    for name in next, G do if type(name) == "string" then names[#names + 1] = name end end
    table.sort(names)
    local near = D.closest(k, names)
    error("undefined name '" .. tostring(k) .. "'" .. (near and ("; did you mean '" .. near .. "'?") or ""), 2)
  end })
  local env = setmetatable({}, {
    __index = G,
    __newindex = function(t, k, v)
      if locked then error("cannot set global '" .. tostring(k) .. "' after the rule set has loaded", 2) end
      rawset(G, k, v)
    end,
    __metatable = false,
  })
  -- Once loaded, tables a rule file made global are frozen too, so no
  -- record can leave anything behind for the next.
  local builtin = {}
  for k, v in pairs(G) do builtin[k] = v end
  D.builtin = builtin   -- what the environment had before any rule file ran (for lint)
  return env, function()
    locked = true
    D.globals = G
    for k, v in pairs(G) do
      if not builtin[k] and type(v) == "table" then rawset(G, k, deep_readonly(v)) end
    end
  end
end

---------------------------------------------------------------------------
-- Isolation of records: the state a rule function could keep.
---------------------------------------------------------------------------

local function is_user_function(f)
  if type(f) ~= "function" then return false end
  local info = getinfo(f, "S")
  return info.what ~= "C" and info.source:sub(1, 1) == "@"
end

-- Freeze the tables rule functions reach through upvalues (read-only from
-- now on) and remember every other upvalue's value, so that eval.lua can
-- put it back before each record: nothing a record does can change the
-- next one.
function D.freeze_functions(rs, G)
  local snap, seen = {}, {}
  local function walk(f)
    if seen[f] then return end
    seen[f] = true
    local i = 1
    while true do
      local name, v = getupvalue(f, i)
      if name == nil then break end
      if name ~= "_ENV" then
        local t = type(v)
        if t == "table" then
          setupvalue(f, i, D.deep_readonly(v))
        elseif t == "function" then
          if is_user_function(v) then walk(v) end
        else
          snap[#snap + 1] = { f, i, v }
        end
      end
      i = i + 1
    end
  end
  for _, f in ipairs(rs.user_fns or {}) do walk(f) end
  for _, v in pairs(G or {}) do
    if is_user_function(v) then walk(v) end
  end
  rs.snapshot = snap
end

---------------------------------------------------------------------------
-- Loading a rule set directory.
---------------------------------------------------------------------------

-- Load and run one file (path relative to the rule set directory).
-- Lua's "near '<\239>'" names only the first byte of a character its
-- code may not hold: the character itself, from that line, and what to
-- write instead (full-width punctuation typed with a Chinese input method,
-- outside a string, is the usual cause).
local function non_ascii_hint(text, line, msg)
  local byte = tonumber(msg:match("near '<\\(%d+)>'$") or "")
  if not byte or byte < 0xC2 then return msg end
  local n = 0
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if n == line then
      -- the first such character outside a "..." or '...' string (and
      -- before a -- comment), whose first byte is the one Lua names
      local i, quote = 1, nil
      while i <= #l do
        local c = l:sub(i, i)
        if quote then
          if c == "\\" then i = i + 1 elseif c == quote then quote = nil end
        elseif c == '"' or c == "'" then
          quote = c
        elseif l:sub(i, i + 1) == "--" then
          break
        elseif c:byte() == byte then
          local ch = l:match("^[\xC2-\xF4][\x80-\xBF]*", i)
          return msg .. " (the character '" .. ch .. "' outside a string: a rule's code is ASCII; "
            .. "write full-width punctuation ， “ ” （ ） ： ； or a full-width space as , \" ( ) : ; or a space)"
        end
        i = i + 1
      end
    end
  end
  return msg
end

local function run_file(env, dir, rel, w)
  local text, err, line = C.read_rule_file(rel)
  if not text then
    RS.file_failed = true
    -- Not UTF-8: the problem is at the bad byte's line of the file itself,
    -- not at the include that named it.
    if line then w = dir .. "/" .. rel .. ":" .. line end
    -- a top-level file, not an include: read, not included
    if not w then err = err:gsub("^cannot include '", "cannot read '") end
    error_at(w or (dir .. "/" .. rel), err)
    return
  end
  RS.files[#RS.files + 1] = rel
  local chunk, lerr = load(text, "@" .. dir .. "/" .. rel, "t", env)
  if not chunk then
    RS.file_failed = true
    local file, line, msg = lerr:match("^(.-):(%d+): (.*)$")
    if file then
      error_at(file .. ":" .. line, non_ascii_hint(text, tonumber(line), msg))
    else
      error_at(dir .. "/" .. rel, lerr)
    end
    return
  end
  local ok, rerr = pcall(chunk)
  if not ok then
    RS.file_failed = true
    rerr = type(rerr) == "string" and rerr or ("(error object is a " .. type(rerr) .. " value)")
    local file, line, msg = rerr:match("^(.-):(%d+): (.*)$")
    if file then
      error_at(file .. ":" .. line, msg)
    else
      -- Errors Lua raises with no position: said in the engine's words.
      -- (The line is not known: the file alone is named.)
      if rerr == "not enough memory" then
        rerr = "memory limit exceeded while the file ran at load (see --max-memory)"
      elseif rerr:find("stack overflow", 1, true) then
        rerr = rerr .. " while the file ran at load: calls nested too deep (a recursion without end?)"
      end
      error_at(dir .. "/" .. rel, rerr)
    end
  end
end

-- Load every top-level *.lua file of the directory, then compile.
-- Returns true, or false and the list of { where, msg } problems.
function D.load(dir)
  D.reset()
  D.loading = true
  RS.dir = dir
  local included = {}
  local env, lock
  local function include(rel)
    not_at_run_time("include")
    local w = where(1)
    if type(rel) ~= "string" then error("include needs a file name in quotes", 2) end
    if included[rel] then return end
    included[rel] = true
    run_file(env, dir, rel, w)
  end
  env, lock = D.make_env(include)
  local files = C.list_rule_files()
  if #files == 0 then
    error_at(dir, "no rule files (*.lua) in the rule set directory")
  end
  for _, rel in ipairs(files) do
    if not included[rel] then
      included[rel] = true
      run_file(env, dir, rel)
    end
  end
  lock()
  -- Compiled even after problems in the declarations (a parameter or a
  -- decision declared twice: the first is kept), so that one run reports
  -- the problems of the rules too; not when a file stopped part-way (a
  -- syntax error, an error at its top level), whose declarations are
  -- missing and would only show up as names not declared.
  if not RS.file_failed then V.compile.all(RS) end
  if #RS.errors == 0 then D.freeze_functions(RS, D.globals) end
  D.loading = false
  if #RS.errors > 0 then return false, RS.errors end
  return true
end
