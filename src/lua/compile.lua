-- compile.lua — turns the declarations of dsl.lua into evaluators.
--
-- Part of the engine's prelude (trusted).  Every name a rule uses is
-- resolved here, once, at load: columns to record slots, parameters to
-- their (dated) values, derived values to cached evaluators.  A mistake is
-- reported with the file:line of the declaration that made it.
--
-- A compiled operand has  eval(ctx) -> value or nil (missing),
--                         blame(ctx, set) -> marks the missing columns,
--                         kind, label(lang), refs, and text(ctx, lang).
-- A compiled condition has eval(ctx) -> true / false / nil (UNKNOWN),
--                         blame, message(ctx, lang), subject, refs.
local V, C = ...

local type, pairs, ipairs, tostring, error, select = type, pairs, ipairs, tostring, error, select
local concat, insert, sort = table.concat, table.insert, table.sort
local lower, floor, huge = string.lower, math.floor, math.huge
local T = V.text
local error_at = V.dsl.error_at

local K = {}
V.compile = K

local NUMERIC = { int = true, count = true, number = true, money = true, ratio = true }
local BASE = { string = "string", int = "int", count = "int", number = "number", money = "number",
               ratio = "number", bool = "bool", date = "date", enum = "enum" }
K.BASE = BASE
local TYPE_WORDS = {
  string = "text", int = "a whole number", count = "a whole number, 0 or more",
  number = "a number", money = "an amount in 万元, 0 or more", ratio = "a number from 0 to 1",
  bool = "yes or no", date = "a date", enum = "one of the listed values",
}
K.TYPE_WORDS = TYPE_WORDS

local function kind_of_type(t)
  if NUMERIC[t] then return "number" end
  return BASE[t] or "string"
end

local NIL = {}       -- cache marker for a derived value that is missing

local function no_blame() end

-- The blame of an operand that is unknown only: a value known in spite of
-- missing columns (first_present's fallback, a condition decided by its
-- other parts) is not held up by them (contract 3: the columns that would
-- decide it).  native_eval.c's oblame does the same.
local function known_or(eval, blame)
  return function(ctx, set)
    if eval(ctx) == nil then blame(ctx, set) end
  end
end
local function label_none() return nil end

-- The lower-cased set of a list's entries (strings, or {token, label} pairs).
local function fold_set(list)
  local set = {}
  if type(list) ~= "table" then return set end
  for _, e in ipairs(list) do
    if type(e) == "table" then
      for _, s in ipairs(e) do set[lower(tostring(s))] = true end
    else
      set[lower(tostring(e))] = true
    end
  end
  return set
end

---------------------------------------------------------------------------
-- Native plans
--
-- Besides its Lua closures, every compiled operand and condition carries
-- .p: a plain description of itself that the C evaluator (src/native.c)
-- runs without calling Lua, with the same three-valued results and the
-- same message text.  .p is nil for what only Lua can run (plain-Lua
-- functions); plan.lua then leaves the whole decision to Lua.
---------------------------------------------------------------------------

-- A list as the trace shows it (eval.lua's json_value).
local function json_list(x)
  local parts = {}
  for i = 1, #x do
    local e = x[i]
    if type(e) == "table" then parts[i] = json_list(e)
    elseif type(e) == "number" then parts[i] = T.number(e)
    elseif type(e) == "boolean" then parts[i] = e and "true" or "false"
    else parts[i] = C.json(tostring(e)) end
  end
  return "[" .. concat(parts, ",") .. "]"
end

-- The plan of a constant: its value, and for a list the folded set one_of
-- looks in, its text in both languages and its JSON.
local function const_plan(v, kind)
  if v == nil then return nil end
  local p = { o = "lit", kind = kind, v = v }
  if type(v) == "table" then
    local keys = {}
    for k in pairs(fold_set(v)) do keys[#keys + 1] = k end
    sort(keys)
    p.v, p.set = nil, keys
    p.text = { en = T.value(v, "list", "en"), zh = T.value(v, "list", "zh") }
    p.json = json_list(v)
  end
  return p
end
K.const_plan = const_plan

-- Text with "\1<n>\2" marks, as the C side renders it: a list of literal
-- strings and { val = plan } pieces (operand n of ops, shown as text).
local function split_marks(s, ops)
  local segs, pos = {}, 1
  while true do
    local i, j, n = s:find("\1(%d+)\2", pos)
    if not i then break end
    if i > pos then segs[#segs + 1] = s:sub(pos, i - 1) end
    local op = ops[tonumber(n)]
    if op == nil then return nil end
    segs[#segs + 1] = op
    pos = j + 1
  end
  if pos <= #s then segs[#segs + 1] = s:sub(pos) end
  return segs
end
K.split_marks = split_marks

local function mark(n) return "\1" .. n .. "\2" end
K.mark = mark

---------------------------------------------------------------------------
-- Columns
---------------------------------------------------------------------------

local function compile_columns(dec, spec)
  dec.columns, dec.col_index, dec.alias_index = {}, {}, {}
  if type(spec.columns) ~= "table" then
    error_at(spec.where, 'decision "' .. dec.name .. '" needs columns = { column "..." { ... }, ... }')
    return
  end
  for _, c in ipairs(spec.columns) do
    if type(c) ~= "table" or c.tag ~= "column" then
      error_at(spec.where, "columns must be a list of column \"name\" { ... } entries")
    elseif dec.col_index[c.name] then
      error_at(c.where, 'column "' .. c.name .. '" is declared twice in decision "' .. dec.name .. '"')
    else
      local t = c.type or "string"
      if not BASE[t] then
        error_at(c.where, 'column "' .. c.name .. '": unknown type "' .. tostring(t) ..
          '"; expected string, int, count, number, money, ratio, bool, date or enum')
        t = "string"
      end
      local zh = c.zh
      if zh ~= nil and type(zh) ~= "string" then
        error_at(c.where, 'column "' .. c.name .. '": zh must be text (the Chinese alias), found ' .. type(zh))
        zh = nil
      end
      for _, f in ipairs({ "meaning", "meaning_zh" }) do
        if c[f] ~= nil and type(c[f]) ~= "string" then
          error_at(c.where, 'column "' .. c.name .. '": ' .. f .. ' must be text, found ' .. type(c[f]))
          c[f] = nil
        end
      end
      local col = {
        name = c.name, zh = zh or c.name, type = t, base = BASE[t],
        required = c.required == true, optional = c.optional == true, unique = c.unique == true,
        meaning = c.meaning, meaning_zh = c.meaning_zh, where = c.where, index = #dec.columns + 1,
        tokens = {}, labels = {}, label_of = {}, min = c.min, max = c.max,
      }
      if t == "count" or t == "money" then col.min = col.min or 0 end
      if t == "ratio" then col.min, col.max = col.min or 0, col.max or 1 end
      if t == "enum" then
        if type(c.values) ~= "table" or #c.values == 0 then
          error_at(c.where, 'column "' .. c.name .. '" is an enum: give values = { { "token", "标签" }, ... }')
        else
          for _, pair in ipairs(c.values) do
            local tok, label = pair, nil
            if type(pair) == "table" then tok, label = pair[1], pair[2] end
            if type(tok) ~= "string" then
              error_at(c.where, 'column "' .. c.name .. '": enum values must be strings')
            else
              insert(col.tokens, tok)
              insert(col.labels, label or tok)
              col.label_of[tok] = label or tok
            end
          end
        end
      end
      dec.columns[col.index] = col
      dec.col_index[col.name] = col.index
    end
  end
end

---------------------------------------------------------------------------
-- Parameters
---------------------------------------------------------------------------

-- A parameter value as the evaluator uses it: dates as day numbers.
local function param_value(p, v)
  if type(v) == "table" and v.tag == "operand" and v.op == "date" then return v.day, "date" end
  if type(v) == "number" then return v, "number" end
  if type(v) == "boolean" then return v, "bool" end
  if type(v) == "string" then return v, "string" end
  if type(v) == "table" then
    local list = {}
    for i, x in ipairs(v) do
      if type(x) == "table" then list[i] = x else list[i] = x end
    end
    -- what p.name gives rule functions: a read-only view, made once here
    V.dsl.views[list] = V.dsl.param_view(list, p.name)
    return list, "list"
  end
  error_at(p.where, 'parameter "' .. p.name .. '": value must be a number, text, yes/no, a date or a list')
  return nil, "any"
end

function K.params(rs)
  rs.pobj = {}
  for _, name in ipairs(rs.param_order) do
    local p = rs.params[name]
    local po = { name = name, where = p.where, clause = p.clause, note = p.note, zh = p.zh, used = false }
    if p.values ~= nil and p.value ~= nil then
      -- one of them would be dropped without a word
      error_at(p.where, 'parameter "' .. name .. '" gives both value and values; expected one: value = ... '
        .. 'for one value, values = { { from = date "...", value = ... }, ... } for dated ones')
    end
    if p.values ~= nil then
      if type(p.values) ~= "table" or #p.values == 0 then
        error_at(p.where, 'parameter "' .. name .. '": values = { { from = date "...", value = ... }, ... }')
      else
        po.dated = {}
        for _, e in ipairs(p.values) do
          local from = e.from
          if type(from) == "table" and from.op == "date" then from = from.day else
            error_at(p.where, 'parameter "' .. name .. '": each dated value needs from = date "YYYY-MM-DD"')
            from = 0
          end
          local v, kind = param_value(p, e.value)
          insert(po.dated, { from = from, value = v })
          po.kind = kind
        end
        sort(po.dated, function(a, b) return a.from < b.from end)
        for i = 2, #po.dated do
          if po.dated[i].from == po.dated[i - 1].from then
            error_at(p.where, 'parameter "' .. name .. '": two values from the same day ' .. C.date_format(po.dated[i].from))
          end
        end
      end
    elseif p.value ~= nil then
      po.value, po.kind = param_value(p, p.value)
    else
      error_at(p.where, 'parameter "' .. name .. '" has no value; write { value = ... }')
    end
    rs.pobj[name] = po
  end
end

---------------------------------------------------------------------------
-- Operands
---------------------------------------------------------------------------

local compile_cond   -- forward
local compile_operand
local whole_at_load

local function literal(v, kind)
  -- a list literal reaches rule functions as r.name of a value: read-only
  if kind == "list" and type(v) == "table" then V.dsl.views[v] = V.dsl.deep_readonly(v) end
  return {
    eval = function() return v end, blame = no_blame, kind = kind, refs = {},
    label = label_none, literal = true, const = true,
    text = function(_, lang) return T.value(v, kind, lang) end,
    p = const_plan(v, kind),
  }
end

local function column_operand(dec, col)
  local i = col.index
  return {
    eval = function(ctx) return ctx.v[i] end,
    blame = function(ctx, set) if ctx.v[i] == nil then set[i] = true end end,
    kind = kind_of_type(col.type), col = col, refs = { { "column", col.name } },
    subject = col.name,
    label = function(lang) return lang == "zh" and col.zh or col.name end,
    text = function(ctx, lang) return T.value(ctx.v[i], kind_of_type(col.type), lang, col) end,
    p = { o = "col", i = i, kind = kind_of_type(col.type), tcol = i },
  }
end
K.kind_of_type = kind_of_type

local function value_operand(dec, name, where)
  local vo = dec.value_objs[name]
  if vo.compiling then
    error_at(where, 'value "' .. name .. '" depends on itself')
    return literal(nil, "any")
  end
  if not vo.compiled then
    vo.compiling = true
    local raw = vo.decl.expr
    local inner
    if type(raw) == "table" and raw.tag == "cond" then
      local c = compile_cond(dec, raw)
      inner = { eval = c.eval, blame = known_or(c.eval, c.blame), kind = "bool", refs = c.refs,
                p = c.p and { o = "cond", c = c.p, kind = "bool" } }
    else
      inner = compile_operand(dec, raw, vo.decl.where)
    end
    vo.compiling = false
    vo.compiled = inner
  end
  local inner = vo.compiled
  local ie, decl = inner.eval, vo.decl
  return {
    eval = function(ctx)
      local cache = ctx.cache
      local r = cache[name]
      if r == nil then
        r = ie(ctx)
        cache[name] = (r == nil) and NIL or r
        return r
      elseif r == NIL then
        return nil
      end
      return r
    end,
    blame = inner.blame, kind = inner.kind, refs = { { "value", name } }, subject = name,
    fn_where = inner.fn_where,
    p = inner.p and { o = "value", slot = vo.slot, inner = inner.p, kind = inner.kind,
                      tcol = inner.col and inner.col.index },
    label = function(lang)
      return T.pick(decl.title, lang) or (lang == "zh" and decl.zh) or (lang ~= "zh" and decl.en) or name
    end,
    text = function(ctx, lang)
      local cache = ctx.cache
      local r = cache[name]
      if r == NIL then r = nil elseif r == nil then r = ie(ctx) end
      return T.value(r, inner.kind, lang, inner.col)
    end,
  }
end

-- The plan of a parameter: a constant, or its dated values read on the
-- decision's reference date.
function K.param_plan(dec, po)
  if not po.dated then return const_plan(po.value, po.kind) end
  local ref = dec.ref_operand and dec.ref_operand.p
  if not ref then return nil end
  local p = { o = "dparam", kind = po.kind, ref = ref, from = {}, vals = {} }
  for k, e in ipairs(po.dated) do
    p.from[k] = e.from
    p.vals[k] = const_plan(e.value, po.kind)
    if p.vals[k] == nil then return nil end
  end
  return p
end

local function param_operand(dec, rs, raw)
  local name = raw.name
  local po = rs.pobj[name]
  if not po then
    error_at(raw.where, 'unknown parameter "' .. tostring(name) .. '"' .. V.dsl.nearest_hint(name, rs.param_order or {}))
    return literal(nil, "any")
  end
  po.used = true
  local o = { kind = po.kind, refs = { { "param", name } }, subject = name, param = po,
              label = function() return name end, const = not po.dated }
  o.p = K.param_plan(dec, po)
  if not po.dated then
    local v = po.value
    o.eval = function() return v end
    o.blame = no_blame
  else
    local dated = po.dated
    local ref = dec.ref_operand
    o.eval = function(ctx)
      local day = ref.eval(ctx)
      if day == nil then return nil end
      local v = nil
      for k = 1, #dated do
        if dated[k].from <= day then v = dated[k].value else break end
      end
      return v
    end
    o.blame = function(ctx, set)
      if ref.eval(ctx) == nil then ref.blame(ctx, set) end
    end
  end
  o.text = function(ctx, lang) return T.value(o.eval(ctx), po.kind, lang) end
  return o
end

-- What a two-operand operand takes: a for its first operand, b for its
-- second ("number", "date", or "number or date" for plus and minus).
local TAKES = {
  add_months = { "date", "number" }, days_between = { "date", "date" },
  plus = { "number or date", "number" }, minus = { "number or date", "number or date" },
  times = { "number", "number" },
}

-- An operand of the wrong kind (a parameter of text where a number is
-- needed, a bool added to a count) is a problem at load, at the line of
-- the declaration that uses it (and the parameter's own line), not an
-- error of every record at run time.
local function check_takes(raw, o, want, pop)
  local kind = o.kind
  if kind == nil or kind == "any" or want:find(kind, 1, true) then return end
  local what = o.param and ('parameter "' .. o.subject .. '" (declared at ' .. tostring(o.param.where) .. ")")
    or (o.subject and ('"' .. o.subject .. '"')) or "an operand"
  error_at(raw.where, pop .. ": " .. what .. " is " .. (kind == "string" and "text" or kind) ..
    "; expected " .. want)
end

-- An fn's value (kind "any") used where one kind is needed: a value of
-- another type is an error naming the fn's place, what it returned and
-- what was expected -- not an error inside the engine (comparing a number
-- with text) or a silent FALSE.  Other operands are given back as they are.
local WANT = {
  number = { "number", "a number" }, date = { "number", "a date (a day number)" },
  ["number or date"] = { "number", "a number or a date (a day number)" },
  list = { "table", "a list" }, bool = { "boolean", "true, false" },
}
local function kind_checked(o, want)
  local at = o.fn_where
  if not at then return o end
  local lua_type, text = WANT[want][1], WANT[want][2]
  local e = o.eval
  local c = {}
  for k, v in pairs(o) do c[k] = v end
  c.eval = function(ctx)
    local x = e(ctx)
    if x ~= nil and type(x) ~= lua_type then
      error(at .. ": fn returned " .. V.dsl.shown(x) .. "; expected " .. text .. " or nil (unknown)", 0)
    end
    return x
  end
  return c
end
K.kind_checked = kind_checked

-- A two-operand arithmetic or date operand.
local function binary(dec, raw, kind, f, pop, k)
  local a = compile_operand(dec, raw.a, raw.where)
  local b = compile_operand(dec, raw.b, raw.where)
  local takes = TAKES[raw.op]
  if takes then
    check_takes(raw, a, takes[1], raw.op)
    check_takes(raw, b, takes[2], raw.op)
    a, b = kind_checked(a, takes[1]), kind_checked(b, takes[2])
  end
  local ae, be = a.eval, b.eval
  local refs = {}
  for _, r in ipairs(a.refs) do insert(refs, r) end
  for _, r in ipairs(b.refs) do insert(refs, r) end
  local o = {
    eval = function(ctx)
      local x = ae(ctx)
      if x == nil then return nil end
      local y = be(ctx)
      if y == nil then return nil end
      return f(x, y)
    end,
    kind = kind, refs = refs, subject = a.subject or b.subject,
    label = function(lang) return nil end, const = a.const and b.const, b = b,
    p = a.p and b.p and { o = pop, a = a.p, b = b.p, k = k, kind = kind },
  }
  o.blame = known_or(o.eval, function(ctx, set) a.blame(ctx, set); b.blame(ctx, set) end)
  o.text = function(ctx, lang) return T.value(o.eval(ctx), kind, lang) end
  return o
end

-- n of add_months and add_years: a whole number (1.5 months is no date).
local function whole(n)
  return math.type(n) == "integer" or (n == floor(n) and n ~= math.huge and n ~= -math.huge)
end

-- The count n of add_months known when the rules load (a number, a
-- parameter, arithmetic of them; every value of a dated parameter): not a
-- whole number is a problem at load, at the line of the add_months,
-- naming the parameter; any other n is checked per record.
function whole_at_load(raw, op, b, unit)
  local function problem(n)
    local from = {}
    for _, r in ipairs(b.refs) do
      local po = r[1] == "param" and V.rs.pobj and V.rs.pobj[r[2]]
      if po then from[#from + 1] = 'parameter "' .. r[2] .. '", declared at ' .. tostring(po.where) end
    end
    error_at(raw.where, op .. ": n is " .. T.number(n) ..
      (#from > 0 and (" (from " .. concat(from, "; ") .. ")") or "") ..
      "; expected a whole number of " .. unit)
  end
  if b.const then
    local ok, n = pcall(b.eval, nil)
    if ok and type(n) == "number" and not whole(n) then problem(n) end
  elseif b.param and b.param.dated then
    for _, e in ipairs(b.param.dated) do
      if type(e.value) == "number" and not whole(e.value) then problem(e.value) return end
    end
  end
end

local function user_function(dec, f, where, what)
  if type(f) ~= "function" then
    error_at(where, what .. " needs a function, e.g. " .. what .. "(function(r) return ... end)")
    return function() return nil end
  end
  dec.rs.user_fns = dec.rs.user_fns or {}
  table.insert(dec.rs.user_fns, f)
  return f
end

function compile_operand(dec, raw, where)
  local rs = dec.rs
  local t = type(raw)
  if t == "number" then return literal(raw, "number") end
  if t == "boolean" then return literal(raw, "bool") end
  if t == "string" then
    if dec.col_index[raw] then return column_operand(dec, dec.columns[dec.col_index[raw]]) end
    if dec.value_objs[raw] then return value_operand(dec, raw, where) end
    local hint = ""
    if C.date_parse(raw) then hint = '; for a date write date "' .. raw .. '"'
    elseif tonumber(raw) then hint = "; for a number write " .. raw .. " without quotes"
    else
      local names = {}
      for _, c in ipairs(dec.columns) do names[#names + 1] = c.name end
      for _, v in ipairs(dec.value_order or {}) do names[#names + 1] = v end
      hint = V.dsl.nearest_hint(raw, names)
    end
    error_at(where, 'unknown column or value "' .. raw .. '" in decision "' .. dec.name .. '"' .. hint)
    return literal(nil, "any")
  end
  if t ~= "table" then
    error_at(where, "expected a column name, a number, param \"...\" or date \"...\", found " .. t)
    return literal(nil, "any")
  end
  where = raw.where or where
  if raw.tag == "cond" then
    local c = compile_cond(dec, raw)
    return { eval = c.eval, blame = known_or(c.eval, c.blame), kind = "bool", refs = c.refs, subject = c.subject,
             label = label_none, text = function(ctx, lang) return T.value(c.eval(ctx), "bool", lang) end,
             p = c.p and { o = "cond", c = c.p, kind = "bool" } }
  end
  if raw.tag ~= "operand" then
    -- A plain list literal (for one_of).
    if raw.tag == nil then return literal(raw, "list") end
    error_at(where, "expected a value, found a " .. tostring(raw.tag) .. " declaration")
    return literal(nil, "any")
  end
  local op = raw.op
  if op == "date" then return literal(raw.day, "date") end
  if op == "param" then return param_operand(dec, rs, raw) end
  if op == "as_of" then
    local o = { eval = function(ctx) return ctx.as_of end, blame = no_blame, kind = "date",
                refs = { { "as_of", "as_of" } }, label = function() return "as_of" end,
                p = { o = "asof", kind = "date" } }
    o.text = function(ctx, lang) return T.value(ctx.as_of, "date", lang) end
    return o
  end
  if op == "add_months" or op == "add_years" then
    local k = op == "add_years" and 12 or 1
    local unit = k == 12 and "years" or "months"
    local add, at, from = C.date_add_months, raw.where, ""
    local o = binary(dec, raw, "date", function(d, n)
      if not whole(n) then
        error(at .. ": " .. op .. ": n is " .. T.number(n) .. from .. "; expected a whole number of " .. unit, 0)
      end
      if not whole(d) then   -- (only an fn's number can be one)
        error(at .. ": " .. op .. ": d is " .. V.dsl.shown(d) .. "; expected a date (a day number)", 0)
      end
      if n * k > 120000 or n * k < -120000 then   -- (native_eval.c hands such a record here)
        error(at .. ": " .. op .. ": n is " .. T.number(n) .. from .. "; expected at most " ..
          (k == 12 and "10000 years" or "120000 months") .. " either way (the calendar holds years 1 to 9999)", 0)
      end
      return add(d, n * k)
    end, "add_months", k)
    if o.b.subject then from = ' (from "' .. o.b.subject .. '")' end
    whole_at_load(raw, op, o.b, unit)
    return o
  end
  if op == "days_between" then return binary(dec, raw, "number", function(a, b) return b - a end, op) end
  if op == "plus" then return binary(dec, raw, "number", function(a, b) return a + b end, op) end
  if op == "minus" then return binary(dec, raw, "number", function(a, b) return a - b end, op) end
  if op == "times" then return binary(dec, raw, "number", function(a, b) return a * b end, op) end
  if op == "first_present" then
    local list = {}
    for i = 1, raw.n do list[i] = compile_operand(dec, raw.list[i], where) end
    local refs = {}
    for _, o in ipairs(list) do for _, r in ipairs(o.refs) do insert(refs, r) end end
    local o = {
      eval = function(ctx)
        for i = 1, #list do
          local x = list[i].eval(ctx)
          if x ~= nil then return x end
        end
        return nil
      end,
      kind = list[1] and list[1].kind or "any", refs = refs,
      subject = list[1] and list[1].subject, label = label_none,
    }
    o.blame = known_or(o.eval, function(ctx, set) for i = 1, #list do list[i].blame(ctx, set) end end)
    local pl = {}
    for i = 1, #list do pl[i] = list[i].p; if not pl[i] then pl = nil break end end
    if pl and #pl > 0 then o.p = { o = "first", list = pl, kind = o.kind } end
    o.text = function(ctx, lang) return T.value(o.eval(ctx), o.kind, lang) end
    return o
  end
  if op == "fn" then
    local f = user_function(dec, raw.f, where, "fn")
    local call = V.eval.user_call
    local o = {
      eval = function(ctx) return call(ctx, f) end,
      blame = function(ctx, set) V.eval.user_blame(ctx, f, set) end,
      kind = "any", refs = {}, label = function() return "fn@" .. where end, fn_where = where,
    }
    o.text = function(ctx, lang) return T.value(o.eval(ctx), nil, lang) end
    return o
  end
  error_at(where, "unknown operand " .. tostring(op))
  return literal(nil, "any")
end

---------------------------------------------------------------------------
-- Conditions
---------------------------------------------------------------------------

local function merge_refs(...)
  local refs, seen = {}, {}
  for i = 1, select("#", ...) do
    local list = select(i, ...)
    for _, r in ipairs(list) do
      local key = r[1] .. ":" .. r[2]
      if not seen[key] then seen[key] = true; insert(refs, r) end
    end
  end
  return refs
end

-- " (label)", or in Chinese text "（label）".
local function paren(label, lang)
  if lang == "zh" then return "（" .. label .. "）" end
  return " (" .. label .. ")"
end

-- The name and value of an operand for a message: "2 (min_top_ranked_members)".
local function shown(o, ctx, lang)
  local text = o.text(ctx, lang)
  if o.literal then return text end
  local label = o.label(lang)
  if label and not o.col then return text .. paren(label, lang) end
  return text
end

local function subject_label(o, lang)
  return o.label(lang) or (lang == "zh" and "值" or "value")
end

-- Message for an UNKNOWN condition: the missing columns by name.
local function unknown_message(dec, c, ctx, lang)
  local set = {}
  c.blame(ctx, set)
  local names = {}
  for i = 1, #dec.columns do
    if set[i] then insert(names, lang == "zh" and dec.columns[i].zh or dec.columns[i].name) end
  end
  if #names == 0 then names[1] = T.words[lang].a_value end
  return T.auto_message(lang, "unknown", { X = concat(names, T.words[lang].list_sep) })
end
K.unknown_message = unknown_message

-- An operand in an automatic message, for the native plan: its text when
-- it is a constant, else the mark of operand n (see split_marks).
local function text_m(o, lang, n)
  if o.literal then return o.text(nil, lang) end
  return mark(n)
end
local function shown_m(o, lang, n)
  if o.literal then return o.text(nil, lang) end
  local label = o.label(lang)
  if label and not o.col then return mark(n) .. paren(label, lang) end
  return mark(n)
end

-- The automatic message of a condition as native text pieces, by language;
-- ops: the operands' plans, subs(lang): the substitutions with marks.
local function auto_plan(key, ops, subs)
  local out = {}
  for _, lang in ipairs({ "en", "zh" }) do
    local vals = {}
    for i, o in ipairs(ops) do
      if not o.p then return nil end
      vals[i] = { val = o.p }
    end
    out[lang] = split_marks(T.auto_message(lang, key, subs(lang)), vals)
    if not out[lang] then return nil end
  end
  return out
end

local function make_cond(dec, raw, c)
  c.where = raw.where
  local auto = c.auto
  c.message = function(ctx, lang, result)
    if result == nil then result = c.eval(ctx) end
    if result == nil then return unknown_message(dec, c, ctx, lang) end
    return auto(ctx, lang, result)
  end
  return c
end

local CMP = {
  [">="] = function(x, y) return x >= y end, [">"] = function(x, y) return x > y end,
  ["<="] = function(x, y) return x <= y end, ["<"] = function(x, y) return x < y end,
  ["=="] = function(x, y) return x == y end,
}

local function cmp_cond(dec, raw)
  local a = compile_operand(dec, raw.a, raw.where)
  local b = compile_operand(dec, raw.b, raw.where)
  local is_date = raw.cmp:sub(1, 1) == "d"
  local f = CMP[is_date and raw.cmp:sub(2) or raw.cmp]
  local want = is_date and "date" or "number"
  for _, o in ipairs({ a, b }) do
    if o.kind ~= "any" and o.kind ~= want and not (raw.cmp == "==" and o.kind ~= "list") then
      error_at(raw.where, raw.name .. " compares " .. (is_date and "dates" or "numbers") ..
        ", but " .. (o.label("en") or "an operand") .. " is " .. tostring(o.kind))
    end
  end
  if raw.cmp ~= "==" then a, b = kind_checked(a, want), kind_checked(b, want) end
  if raw.cmp == "==" then
    -- equals of two known kinds that can never be equal (a date and a
    -- number: a column against the wrong parameter) is always FALSE
    local function family(k)
      if k == "number" or k == "int" then return "number" end
      if k == "enum" then return "string" end
      return k
    end
    local ka, kb = family(a.kind), family(b.kind)
    if ka and kb and ka ~= "any" and kb ~= "any" and ka ~= kb then
      error_at(raw.where, raw.name .. " compares " .. (a.label("en") or "an operand") .. " (" .. tostring(a.kind) ..
        ") with " .. (b.label("en") or "an operand") .. " (" .. tostring(b.kind) .. "); they can never be equal: " ..
        "expected two of one kind")
    end
  end
  local ae, be = a.eval, b.eval
  local eval = function(ctx)
    local x = ae(ctx)
    if x == nil then return nil end
    local y = be(ctx)
    if y == nil then return nil end
    return f(x, y)
  end
  -- The common case, a column against a constant, without calls.
  local i = a.col and a.col.index
  local y = nil
  if b.literal or (b.param and not b.param.dated) then y = b.eval() end
  if i and type(y) == "number" then
    local base = is_date and raw.cmp:sub(2) or raw.cmp
    if base == ">=" then eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x >= y end
    elseif base == ">" then eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x > y end
    elseif base == "<=" then eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x <= y end
    elseif base == "<" then eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x < y end
    end
  end
  return make_cond(dec, raw, {
    eval = eval,
    p = a.p and b.p and { c = "cmp", cmp = raw.cmp, a = a.p, b = b.p,
      auto = auto_plan(raw.cmp, { a, b }, function(lang)
        return { X = subject_label(a, lang), x = text_m(a, lang, 1), y = shown_m(b, lang, 2) }
      end) },
    blame = function(ctx, set) a.blame(ctx, set); b.blame(ctx, set) end,
    refs = merge_refs(a.refs, b.refs), subject = a.subject or b.subject,
    auto = function(ctx, lang)
      return T.auto_message(lang, raw.cmp, { X = subject_label(a, lang), x = a.text(ctx, lang), y = shown(b, ctx, lang) })
    end,
    need = function(ctx, lang) return T.need_text(lang, raw.cmp, { y = shown(b, ctx, lang) }) end,
    gap = function(ctx, lang)
      local x, y = ae(ctx), be(ctx)
      if type(x) ~= "number" or type(y) ~= "number" or f(x, y) then return nil end
      local op = raw.cmp
      local d
      if op == ">=" or op == "d>=" then d = y - x
      elseif op == ">" or op == "d>" then d = y - x + ((math.type(x) == "integer" and math.type(y) == "integer") and 1 or 0)
      elseif op == "<=" or op == "d<=" then d = x - y
      elseif op == "<" or op == "d<" then d = x - y + ((math.type(x) == "integer" and math.type(y) == "integer") and 1 or 0)
      else return nil end
      if d == 0 then return nil end
      local n = T.number(d)
      if is_date then
        if op:sub(2, 2) == ">" then return lang == "zh" and ("早了" .. n .. "天") or (n .. (d == 1 and " day" or " days") .. " too early") end
        return lang == "zh" and ("晚了" .. n .. "天") or (n .. (d == 1 and " day" or " days") .. " too late")
      end
      if op:sub(1, 1) == ">" then return lang == "zh" and ("还差" .. n) or (n .. " more") end
      return lang == "zh" and ("超出" .. n) or (n .. " too many")
    end,
  })
end

local function between_cond(dec, raw)
  local a = kind_checked(compile_operand(dec, raw.a, raw.where), "number or date")
  local lo = kind_checked(compile_operand(dec, raw.lo, raw.where), "number or date")
  local hi = kind_checked(compile_operand(dec, raw.hi, raw.where), "number or date")
  return make_cond(dec, raw, {
    eval = function(ctx)
      local x = a.eval(ctx)
      if x == nil then return nil end
      local l, h = lo.eval(ctx), hi.eval(ctx)
      if l ~= nil and x < l then return false end
      if h ~= nil and x > h then return false end
      if l == nil or h == nil then return nil end
      return true
    end,
    p = a.p and lo.p and hi.p and { c = "between", a = a.p, lo = lo.p, hi = hi.p,
      auto = auto_plan("between", { a, lo, hi }, function(lang)
        return { X = subject_label(a, lang), x = text_m(a, lang, 1), lo = shown_m(lo, lang, 2),
                 hi = shown_m(hi, lang, 3) }
      end) },
    blame = function(ctx, set) a.blame(ctx, set); lo.blame(ctx, set); hi.blame(ctx, set) end,
    refs = merge_refs(a.refs, lo.refs, hi.refs), subject = a.subject,
    auto = function(ctx, lang)
      return T.auto_message(lang, "between", { X = subject_label(a, lang), x = a.text(ctx, lang),
        lo = shown(lo, ctx, lang), hi = shown(hi, ctx, lang) })
    end,
    need = function(ctx, lang)
      return T.need_text(lang, "between", { lo = shown(lo, ctx, lang), hi = shown(hi, ctx, lang) })
    end,
  })
end

local function enum_token_ok(raw, a, token)
  local col = a.col
  if col and col.type == "enum" and not col.label_of[token] then
    error_at(raw.where, '"' .. tostring(token) .. '" is not a value of ' .. col.name ..
      " (allowed: " .. concat(col.tokens, ", ") .. ")")
  end
end

local function is_cond(dec, raw, negate)
  local a = compile_operand(dec, raw.a, raw.where)
  local token = raw.token
  if type(token) ~= "string" then
    error_at(raw.where, (negate and "is_not" or "is") .. ' needs a value in quotes, e.g. is("org_form", "enterprise")')
    token = "?"
  end
  enum_token_ok(raw, a, token)
  local folded = lower(token)
  local ae = a.eval
  local exact = a.col and a.col.type == "enum"
  local eval = function(ctx)
    local x = ae(ctx)
    if x == nil then return nil end
    local same
    if exact then same = (x == token) else same = (lower(tostring(x)) == folded) end
    if negate then return not same end
    return same
  end
  if exact then
    local i = a.col.index
    if negate then
      eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x ~= token end
    else
      eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x == token end
    end
  end
  return make_cond(dec, raw, {
    eval = eval,
    p = a.p and { c = "is", a = a.p, token = token, folded = folded, neg = negate, exact = exact,
      auto = auto_plan(negate and "is_not" or "is", { a }, function(lang)
        local y = token
        if lang == "zh" and a.col and a.col.label_of[token] then y = a.col.label_of[token] end
        return { X = subject_label(a, lang), x = text_m(a, lang, 1), y = y }
      end) },
    blame = a.blame, refs = a.refs, subject = a.subject,
    auto = function(ctx, lang)
      local y = token
      if lang == "zh" and a.col and a.col.label_of[token] then y = a.col.label_of[token] end
      return T.auto_message(lang, negate and "is_not" or "is", { X = subject_label(a, lang), x = a.text(ctx, lang), y = y })
    end,
    need = function(ctx, lang)
      local y = token
      if lang == "zh" and a.col and a.col.label_of[token] then y = a.col.label_of[token] end
      return T.need_text(lang, negate and "is_not" or "is", { y = y })
    end,
  })
end

local function one_of_cond(dec, raw)
  local a = compile_operand(dec, raw.a, raw.where)
  local l = compile_operand(dec, raw.list, raw.where)
  if l.kind ~= "list" and l.kind ~= "any" then
    error_at(raw.where, "one_of needs a list { \"a\", \"b\" } or a list parameter")
  end
  l = kind_checked(l, "list")
  local sets = setmetatable({}, { __mode = "k" })
  local function set_of(list)
    local s = sets[list]
    if not s then s = fold_set(list); sets[list] = s end
    return s
  end
  local col = a.col
  if l.literal and col and col.type == "enum" then
    for _, e in ipairs(l.eval()) do
      for _, given in ipairs(type(e) == "table" and e or { e }) do
        local tok = lower(tostring(given))
        local found = false
        for i, t in ipairs(col.tokens) do
          if lower(t) == tok or lower(col.labels[i]) == tok then found = true end
        end
        if not found then
          error_at(raw.where, '"' .. tostring(given) .. '" is not a value of ' .. col.name ..
            " (allowed: " .. concat(col.tokens, ", ") .. ")")
        end
      end
    end
  end
  local labels = col and col.label_of
  return make_cond(dec, raw, {
    eval = function(ctx)
      local x = a.eval(ctx)
      if x == nil then return nil end
      local list = l.eval(ctx)
      if list == nil then return nil end
      local s = set_of(list)
      if s[lower(tostring(x))] then return true end
      if labels and labels[x] and s[lower(labels[x])] then return true end
      return false
    end,
    p = a.p and l.p and { c = "one_of", a = a.p, l = l.p, labels = col and col.index,
      auto = auto_plan("one_of", { a }, function(lang)
        local y = l.literal and l.text(nil, lang) or (l.label(lang) or "the list")
        return { X = subject_label(a, lang), x = text_m(a, lang, 1), y = y }
      end) },
    blame = function(ctx, set) a.blame(ctx, set); l.blame(ctx, set) end,
    refs = merge_refs(a.refs, l.refs), subject = a.subject,
    auto = function(ctx, lang)
      local y = l.literal and l.text(ctx, lang) or (l.label(lang) or "the list")
      return T.auto_message(lang, "one_of", { X = subject_label(a, lang), x = a.text(ctx, lang), y = y })
    end,
    need = function(ctx, lang)
      local y = l.literal and l.text(ctx, lang) or (l.label(lang) or "the list")
      return T.need_text(lang, "one_of", { y = y })
    end,
  })
end

local function bool_cond(dec, raw, want)
  local a = compile_operand(dec, raw.a, raw.where)
  if a.kind ~= "bool" and a.kind ~= "any" then
    error_at(raw.where, (want and "is_true" or "is_false") .. " needs a yes/no column or value, but " ..
      (a.label("en") or "its operand") .. " is " .. tostring(a.kind))
  end
  a = kind_checked(a, "bool")
  local ae = a.eval
  local eval = function(ctx)
    local x = ae(ctx)
    if x == nil then return nil end
    if want then return x == true end
    return x == false
  end
  if a.col then
    local i = a.col.index
    eval = function(ctx) local x = ctx.v[i]; if x == nil then return nil end return x == want end
  end
  return make_cond(dec, raw, {
    eval = eval,
    p = a.p and { c = "bool", a = a.p, want = want, col = a.col ~= nil,
      auto = auto_plan(want and "is_true" or "is_false", { a }, function(lang)
        return { X = subject_label(a, lang), x = text_m(a, lang, 1) }
      end) },
    blame = a.blame, refs = a.refs, subject = a.subject,
    auto = function(ctx, lang)
      return T.auto_message(lang, want and "is_true" or "is_false", { X = subject_label(a, lang), x = a.text(ctx, lang) })
    end,
    need = function(ctx, lang) return T.need_text(lang, want and "is_true" or "is_false", {}) end,
  })
end

local function presence_cond(dec, raw, want)
  local a = compile_operand(dec, raw.a, raw.where)
  local ae = a.eval
  return make_cond(dec, raw, {
    eval = function(ctx)
      local present = ae(ctx) ~= nil
      if want then return present end
      return not present
    end,
    p = a.p and { c = "present", a = a.p, want = want,
      auto = auto_plan(want and "present" or "missing", { a }, function(lang)
        return { X = subject_label(a, lang), x = text_m(a, lang, 1) }
      end) },
    blame = no_blame, refs = a.refs, subject = a.subject,
    auto = function(ctx, lang)
      return T.auto_message(lang, want and "present" or "missing", { X = subject_label(a, lang), x = a.text(ctx, lang) })
    end,
    need = function(ctx, lang) return T.need_text(lang, want and "present" or "missing", {}) end,
  })
end

local function list_cond(dec, raw, is_all)
  local parts = {}
  if type(raw.list) ~= "table" then
    error_at(raw.where, (is_all and "all_of" or "any_of") .. " needs a list { ... } of conditions")
  else
    for i, r in ipairs(raw.list) do parts[i] = compile_cond(dec, r, raw.where) end
  end
  local n = #parts
  local refs_lists = {}
  for i, p in ipairs(parts) do refs_lists[i] = p.refs end
  local stop = not is_all    -- the value that decides at once
  local eval = function(ctx)
    local unknown = false
    for i = 1, n do
      local r = parts[i].eval(ctx)
      if r == nil then unknown = true elseif r == stop then return stop end
    end
    if unknown then return nil end
    return not stop
  end
  local pparts = {}
  for i = 1, n do pparts[i] = parts[i].p; if not pparts[i] then pparts = nil break end end
  return make_cond(dec, raw, {
    eval = eval, parts = parts, p = pparts and { c = is_all and "all" or "any", parts = pparts },
    blame = function(ctx, set)
      for i = 1, n do
        if parts[i].eval(ctx) == nil then parts[i].blame(ctx, set) end
      end
    end,
    refs = merge_refs(table.unpack(refs_lists)), subject = parts[1] and parts[1].subject,
    auto = function(ctx, lang, result)
      local msgs = {}
      for i = 1, n do
        local r = parts[i].eval(ctx)
        if r == result then insert(msgs, parts[i].message(ctx, lang, r)) end
      end
      return concat(msgs, T.words[lang].sep)
    end,
  })
end

local function not_cond(dec, raw)
  local c = compile_cond(dec, raw.c, raw.where)
  return make_cond(dec, raw, {
    eval = function(ctx)
      local r = c.eval(ctx)
      if r == nil then return nil end
      return not r
    end,
    blame = c.blame, refs = c.refs, subject = c.subject, p = c.p and { c = "not", x = c.p },
    auto = function(ctx, lang, result)
      local inner = c.message(ctx, lang)
      return T.words[lang].not_prefix .. inner
    end,
  })
end

local function check_cond(dec, raw)
  local f = user_function(dec, raw.f, raw.where, "check")
  local call = V.eval.user_call
  return make_cond(dec, raw, {
    eval = function(ctx)
      local r = call(ctx, f)
      if r == nil or r == true or r == false then return r end
      -- 0, "false" or {} is no answer: counted as TRUE it would pass
      -- whatever the function meant
      error(raw.where .. ": check function returned " .. V.dsl.shown(r) ..
        "; expected true, false or nil (unknown)", 0)
    end,
    blame = function(ctx, set) V.eval.user_blame(ctx, f, set) end,
    refs = {}, subject = nil, user = f,
    auto = function(ctx, lang, result)
      local at = V.text.in_rule_set(raw.where)
      if result then
        return lang == "zh" and (at .. "处的条件已满足") or ("the condition at " .. at .. " is met")
      end
      return lang == "zh" and (at .. "处的条件未满足") or ("the condition at " .. at .. " is not met")
    end,
  })
end

-- Conditions on rule results: only meaningful in verdicts.
local RESULT = { pass = 1, fail = 2, unknown = 3 }
K.RESULT = RESULT

-- The decision's rule ids, in its order (for "did you mean").
local function rule_ids(dec)
  local ids = {}
  for _, r in ipairs(dec.rules or {}) do ids[#ids + 1] = r.id end
  return ids
end

local function rule_is_cond(dec, raw)
  local k = dec.rule_index[raw.id]
  if not k then
    error_at(raw.where, 'unknown rule "' .. tostring(raw.id) .. '" in decision "' .. dec.name .. '"' ..
      V.dsl.nearest_hint(raw.id, rule_ids(dec)))
    k = 0
  end
  local want = RESULT[raw.want]
  return make_cond(dec, raw, {
    eval = function(ctx) return ctx.res[k] == want end,
    blame = no_blame, refs = {}, rules = { k }, p = { c = "rule_is", k = k, want = want },
    auto = function(ctx, lang)
      -- What the rule actually came out as.
      local names = { [1] = "pass", [2] = "fail", [3] = "unknown", [0] = "not_applicable" }
      return raw.id .. ": " .. T.words[lang][names[ctx.res[k] or 0]]
    end,
  })
end

local function any_deciding_cond(dec, raw)
  local want = RESULT[raw.want]
  local except = {}
  for _, id in ipairs(raw.except or {}) do
    if not dec.rule_index[id] then
      error_at(raw.where, 'unknown rule "' .. tostring(id) .. '" in except' .. V.dsl.nearest_hint(id, rule_ids(dec)))
    end
    except[id] = true
  end
  local rules = dec.rules
  local except_k = {}
  for k = 1, #rules do if except[rules[k].id] then except_k[#except_k + 1] = k end end
  local function eval(ctx)
    local res, decides = ctx.res, ctx.decides
    local unknown = false
    for k = 1, #rules do
      if res[k] == want and not except[rules[k].id] then
        local d = decides[k]
        if d == true then return true end
        if d == nil then unknown = true end
      end
    end
    if unknown then return nil end
    return false
  end
  return make_cond(dec, raw, {
    eval = eval, refs = {}, deciding = raw.want, except = except,
    p = { c = "any_deciding", want = want, except = except_k },
    blame = function(ctx, set)
      local res, decides = ctx.res, ctx.decides
      for k = 1, #rules do
        if res[k] == want and not except[rules[k].id] and decides[k] == nil then
          rules[k].decides.blame(ctx, set)
        end
      end
    end,
    -- {missing_deciding} in this verdict's message: the rules passed over
    -- by except are left out (eval.lua's missing_deciding)
    except_of_unknown = want == RESULT.unknown and except or nil,
    auto = function(ctx, lang)
      local ids = {}
      for k = 1, #rules do
        if ctx.res[k] == want and not except[rules[k].id] and ctx.decides[k] ~= false then ids[#ids + 1] = rules[k].id end
      end
      local what = raw.want == "fail" and (lang == "zh" and "未通过" or "failed") or (lang == "zh" and "待定" or "unknown")
      if #ids == 0 then
        return lang == "zh" and ("没有决定结论的规则" .. what) or ("no deciding rule " .. what)
      end
      return (lang == "zh" and ("决定结论的规则" .. what .. "：") or ("deciding rules " .. what .. ": ")) .. concat(ids, ", ")
    end,
  })
end

function compile_cond(dec, raw, where)
  if type(raw) ~= "table" or raw.tag ~= "cond" then
    local found = type(raw) == "table" and (raw.tag or "table") or type(raw)
    if type(raw) == "string" then found = '"' .. raw .. '" (a name; for a yes/no column write is_true "' .. raw .. '")' end
    error_at(type(raw) == "table" and raw.where or where,
      "expected a condition (at_least, is, is_true, all_of, ...), found " .. tostring(found))
    return { eval = function() return nil end, blame = no_blame, refs = {},
             message = function() return "?" end }
  end
  local op = raw.op
  if op == "cmp" then return cmp_cond(dec, raw) end
  if op == "between" then return between_cond(dec, raw) end
  if op == "is" then return is_cond(dec, raw, false) end
  if op == "is_not" then return is_cond(dec, raw, true) end
  if op == "one_of" then return one_of_cond(dec, raw) end
  if op == "is_true" then return bool_cond(dec, raw, true) end
  if op == "is_false" then return bool_cond(dec, raw, false) end
  if op == "present" then return presence_cond(dec, raw, true) end
  if op == "missing" then return presence_cond(dec, raw, false) end
  if op == "all_of" then return list_cond(dec, raw, true) end
  if op == "any_of" then return list_cond(dec, raw, false) end
  if op == "not" then return not_cond(dec, raw) end
  if op == "always" then
    return make_cond(dec, raw, { eval = function() return true end, blame = no_blame, refs = {},
      p = { c = "always" }, auto = function() return "" end })
  end
  if op == "check" then return check_cond(dec, raw) end
  if op == "rule_is" then
    if not dec.in_verdicts then error_at(raw.where, "passed/failed/unknown can only be used in verdicts") end
    return rule_is_cond(dec, raw)
  end
  if op == "any_deciding" then
    if not dec.in_verdicts then error_at(raw.where, "any_deciding_* can only be used in verdicts") end
    return any_deciding_cond(dec, raw)
  end
  error_at(raw.where, "unknown condition " .. tostring(op))
  return { eval = function() return nil end, blame = no_blame, refs = {}, message = function() return "?" end }
end
K.cond = compile_cond
K.operand = compile_operand

---------------------------------------------------------------------------
-- Rules
---------------------------------------------------------------------------

local ALWAYS = { eval = function() return true end, blame = no_blame, refs = {},
                 message = function() return "" end, p = { c = "always" } }

local function compile_rule(dec, r)
  local rule = {
    id = r.id, clause = r.clause, quote = r.quote, title = r.title, where = r.where,
    en = r.en, zh = r.zh, parts = {}, raw = r,
  }
  rule.applies = r.applies and compile_cond(dec, r.applies, r.where) or ALWAYS
  rule.decides = r.decides and compile_cond(dec, r.decides, r.where) or ALWAYS
  local list, mode = nil, "all"
  local given = (r.all and 1 or 0) + (r.any and 1 or 0) + (r.when and 1 or 0)
  if given ~= 1 then
    error_at(r.where, 'rule "' .. r.id .. '" needs exactly one of all = { ... }, any = { ... } or when = ...')
    list = {}
  elseif r.when then
    list = { r.when }
  elseif r.any then
    list, mode = r.any, "any"
  else
    list = r.all
  end
  if type(list) ~= "table" then
    error_at(r.where, 'rule "' .. r.id .. '": all/any must be a list { ... }')
    list = {}
  end
  rule.mode = mode
  local used, named = {}, {}
  for i, p in ipairs(list) do
    local name, cond, en, zh, w
    if type(p) == "table" and p.tag == "part" then
      name, en, zh, w = p.name, p.en, p.zh, p.where
      cond = compile_cond(dec, p.cond, p.where)
      -- A sub-rule id written twice is a mistake (the trace and explain
      -- name parts by it); only a name made from a condition's subject
      -- is told apart with _2, _3.
      if named[name] then
        error_at(w, 'part "' .. tostring(name) .. '" of rule "' .. r.id .. '" is declared twice (first at '
          .. named[name] .. ")")
      end
      named[name] = w
    else
      cond = compile_cond(dec, p, r.where)
      name = cond.subject or tostring(i)
      w = cond.where
    end
    if used[name] then
      local n = 2
      while used[name .. "_" .. n] do n = n + 1 end
      name = name .. "_" .. n
    end
    used[name] = true
    local raw_cond = (type(p) == "table" and p.tag == "part") and p.cond or p
    rule.parts[i] = { id = r.id .. "." .. name, name = name, cond = cond, en = en, zh = zh, where = w, raw = raw_cond }
  end
  local refs = {}
  for i, p in ipairs(rule.parts) do refs[i] = p.cond.refs end
  rule.refs = merge_refs(rule.applies.refs, merge_refs(table.unpack(refs)))
  return rule
end

---------------------------------------------------------------------------
-- Scores
---------------------------------------------------------------------------

-- "path:line" of the first line at or after w ("path:line") that sets
-- `field` (the line begins with `field =`, so not a comment, nor a longer
-- name that ends in it); w when there is none.  For plain tables, which
-- carry no line.
local function field_line(w, field)
  local path, start = w:match("^(.*):(%d+)$")
  local dir = V.rs.dir
  if not path or not dir or path:sub(1, #dir + 1) ~= dir .. "/" then return w end
  local text = C.read_rule_file(path:sub(#dir + 2))
  if not text then return w end
  local n, pos, want = 1, 1, "^%s*" .. field:gsub("%p", "%%%0") .. "%s*="
  while pos <= #text do
    local nl = text:find("\n", pos, true) or #text + 1
    if n >= tonumber(start) and text:sub(pos, nl - 1):find(want) then return path .. ":" .. n end
    pos, n = nl + 1, n + 1
  end
  return w
end

-- `emphasis = { token = { "C7", "C8", at_least = 60 }, ... }`: for a form
-- (a token of the weights column), the criteria the policy names as its
-- emphasis and the least weight they must carry together (contract 5.3:
-- at least 60).  A breach is a problem at that form's weights.  Lines are
-- looked up (reading the file) only for a problem.
local function check_emphasis(dec, spec)
  local em = spec.emphasis
  if em == nil or not dec.weights then return end
  local function line(tok)
    local at = field_line(spec.where, "emphasis")
    return tok and field_line(at, tok) or at
  end
  if type(em) ~= "table" then
    error_at(line(), 'emphasis must be a table { token = { "C1", ..., at_least = 60 }, ... }')
    return
  end
  local col, by = dec.weights.col, dec.weights.by
  local toks = {}
  for tok in pairs(em) do toks[#toks + 1] = tostring(tok) end
  sort(toks)
  for _, tok in ipairs(toks) do
    local e = em[tok]
    if not col.label_of[tok] then
      error_at(line(tok), 'emphasis: "' .. tok .. '" is not a value of ' .. col.name)
    elseif type(e) ~= "table" or #e == 0 then
      error_at(line(tok), 'emphasis for ' .. tok .. ' must list criteria and the least weight they carry, '
        .. 'e.g. { "C7", "C8", at_least = 60 }')
    else
      for k in pairs(e) do
        if k ~= "at_least" and math.type(k) ~= "integer" then
          error_at(line(tok), 'emphasis for ' .. tok .. ': unknown field "' .. tostring(k) .. '"; expected at_least')
        end
      end
      local least = e.at_least
      if type(least) ~= "number" or least < 0 or least > 100 then
        error_at(line(tok), 'emphasis for ' .. tok .. ' needs at_least = a number from 0 to 100')
        least = nil
      end
      local sum, ids, seen = 0, {}, {}
      for _, id in ipairs(e) do
        if not dec.crit_index[id] then
          error_at(line(tok), 'emphasis for ' .. tok .. ': unknown criterion "' .. tostring(id) .. '"')
        elseif seen[id] then
          -- counted once: listed twice, it would carry its weight twice
          error_at(line(tok), 'emphasis for ' .. tok .. ': criterion "' .. id .. '" is listed twice; '
            .. 'expected each criterion once')
        else
          seen[id] = true
          local x = (by[tok] or {})[id]
          sum = sum + (type(x) == "number" and x or 0)
        end
        ids[#ids + 1] = tostring(id)
      end
      if least and by[tok] and sum < least - 1e-9 then
        error_at(field_line(dec.weights.where, tok), 'weights for ' .. col.name .. ' = ' .. tok
          .. ' give its emphasis (' .. concat(ids, ", ") .. ') ' .. T.number(sum)
          .. ' of 100; it must carry at least ' .. T.number(least))
      end
    end
  end
end

local function compile_scores(dec, spec)
  dec.criteria = {}
  if spec.criteria == nil then
    if spec.emphasis ~= nil then
      error_at(spec.where, "emphasis needs criteria and weights: it is a scored decision's")
    end
    return
  end
  dec.scored = true
  local crit_index = {}
  for _, c in ipairs(spec.criteria) do
    if type(c) ~= "table" or c.tag ~= "criterion" then
      error_at(spec.where, 'criteria must be a list of criterion "C1" { ... } entries')
    elseif crit_index[c.id] then
      error_at(c.where, 'criterion "' .. c.id .. '" is declared twice')
    else
      local cr = { id = c.id, clause = c.clause, quote = c.quote, title = c.title, where = c.where,
                   indicators = {} }
      if c.score then
        if type(c.score) ~= "table" or c.score.op ~= "fn" then
          error_at(c.where, "score must be fn(function(r) ... end)")
        else
          cr.score = kind_checked(compile_operand(dec, c.score, c.where), "number")
        end
      elseif type(c.indicators) ~= "table" or #c.indicators == 0 then
        error_at(c.where, 'criterion "' .. c.id .. '" needs indicators = { { "column", target = ... }, ... }')
      end
      for _, ind in ipairs(c.indicators or {}) do
        local o = compile_operand(dec, ind[1], c.where)
        if o.kind == "any" then o = kind_checked(o, "number") end
        local kind = o.col and o.col.type or o.kind
        local entry = { operand = o, name = ind[1], kind = kind }
        if kind ~= "bool" then
          if ind.target == nil then
            error_at(c.where, 'indicator "' .. tostring(ind[1]) .. '" needs target = ...')
          else
            entry.target = compile_operand(dec, ind.target, c.where)
          end
          entry.scaled = (kind ~= "ratio") and ind.scale ~= false
        end
        insert(cr.indicators, entry)
      end
      insert(dec.criteria, cr)
      crit_index[c.id] = #dec.criteria
    end
  end
  dec.crit_index = crit_index
  -- Target scale by an enum column.
  local ts = spec.target_scale
  if ts then
    local col = dec.col_index[ts.column or ""]
    if not col then
      error_at(spec.where, "target_scale needs column = an enum column of the decision")
    else
      local c = dec.columns[col]
      dec.scale = { col = c, factors = {} }
      for k, v in pairs(ts) do
        if k ~= "column" then
          if not c.label_of[k] then error_at(spec.where, 'target_scale: "' .. k .. '" is not a value of ' .. c.name) end
          dec.scale.factors[k] = v
        end
      end
    end
  end
  -- Weights by an enum column, each form summing to 100.
  local w = spec.weights
  if type(w) ~= "table" or w.tag ~= "weights" then
    error_at(spec.where, 'a scored decision needs weights "column" { value = { C1 = 20, ... }, ... }')
  else
    local ci = dec.col_index[w.column]
    if not ci then
      error_at(w.where, 'weights: unknown column "' .. tostring(w.column) .. '"')
    else
      local c = dec.columns[ci]
      dec.weights = { col = c, by = {}, where = w.where }
      for _, tok in ipairs(c.tokens) do
        if w.by[tok] == nil then error_at(w.where, 'weights: no weights for ' .. c.name .. ' = "' .. tok .. '"') end
      end
      for tok, list in pairs(w.by) do
        if not c.label_of[tok] then
          error_at(w.where, 'weights: "' .. tostring(tok) .. '" is not a value of ' .. c.name)
        else
          local sum = 0
          for id, x in pairs(list) do
            if not crit_index[id] then error_at(w.where, 'weights for ' .. tok .. ': unknown criterion "' .. tostring(id) .. '"') end
            if type(x) ~= "number" or x < 0 then error_at(w.where, 'weights for ' .. tok .. ': ' .. tostring(id) .. ' must be a number, 0 or more') x = 0 end
            sum = sum + x
          end
          if math.abs(sum - 100) > 1e-9 then
            error_at(V.dsl.find_line(w.where, tok), 'weights for ' .. c.name .. ' = ' .. tok .. ' add up to ' .. T.number(sum) .. ', not 100')
          end
          dec.weights.by[tok] = list
        end
      end
    end
  end
  check_emphasis(dec, spec)
  -- Grade bands, highest first, the lowest starting at 0.
  dec.grades = {}
  if type(spec.grades) ~= "table" or #spec.grades == 0 then
    error_at(spec.where, 'a scored decision needs grades = { { "EXCELLENT", 85 }, ..., { "UNQUALIFIED", 0 } }')
  else
    for _, g in ipairs(spec.grades) do
      if type(g) ~= "table" or type(g[1]) ~= "string" or type(g[2]) ~= "number" then
        error_at(spec.where, 'grades: each band is { "TOKEN", minimum }, e.g. { "GOOD", 70 }')
      else
        insert(dec.grades, { token = g[1], min = g[2], label = g.label or (g[3] and { zh = g[3] }) })
      end
    end
    sort(dec.grades, function(a, b) return a.min > b.min end)
    if dec.grades[#dec.grades].min > 0 then
      error_at(V.dsl.find_line(spec.where, "grades"), "grade bands leave a gap: no grade for a total below " .. T.number(dec.grades[#dec.grades].min))
    end
  end
end

---------------------------------------------------------------------------
-- Decisions
---------------------------------------------------------------------------

local TOKEN = "^[A-Z][A-Z0-9_]*$"

local function compile_decision(rs, spec)
  local dec = { name = spec.name, title = spec.title, where = spec.where, rs = rs, spec = spec,
                clause = spec.clause, quote = spec.quote }
  compile_columns(dec, spec)
  -- Merge `extend` blocks.
  for _, x in ipairs(rs.extends) do
    if x.name == spec.name then
      for _, key in ipairs({ "rules", "values", "criteria", "verdicts" }) do
        if x[key] then
          spec[key] = spec[key] or {}
          for _, e in ipairs(x[key]) do insert(spec[key], e) end
        end
      end
    end
  end
  -- Derived values, compiled on first use.
  dec.value_objs, dec.value_order = {}, {}
  for _, v in ipairs(spec.values or {}) do
    if type(v) ~= "table" or v.tag ~= "value" then
      error_at(spec.where, 'values must be a list of value "name" { ... } entries')
    elseif dec.value_objs[v.name] or dec.col_index[v.name] then
      error_at(v.where, 'value "' .. v.name .. '" is declared twice or has a column\'s name')
    else
      dec.value_objs[v.name] = { decl = v, slot = #dec.value_order + 1 }
      insert(dec.value_order, v.name)
    end
  end
  -- The reference date for dated parameters.
  if spec.reference_date then
    dec.ref_operand = compile_operand(dec, spec.reference_date, spec.where)
    if dec.ref_operand.kind ~= "date" and dec.ref_operand.kind ~= "any" then
      error_at(spec.where, "reference_date must name a date column or value")
    end
  else
    dec.ref_operand = compile_operand(dec, { tag = "operand", op = "as_of", where = spec.where }, spec.where)
  end
  for _, name in ipairs(dec.value_order) do value_operand(dec, name, spec.where) end
  -- The id column.
  dec.id_col = dec.col_index[spec.id_column or ""]
  if not dec.id_col then
    error_at(spec.where, 'decision "' .. dec.name .. '" needs id_column = the name of a declared column')
    dec.id_col = 1
  end
  -- Rules.
  dec.rules, dec.rule_index = {}, {}
  for _, r in ipairs(spec.rules or {}) do
    if type(r) ~= "table" or r.tag ~= "rule" then
      error_at(spec.where, 'rules must be a list of rule "ID" { ... } entries')
    elseif dec.rule_index[r.id] then
      error_at(r.where, 'rule id "' .. r.id .. '" is used twice (first at ' .. dec.rules[dec.rule_index[r.id]].where .. ")")
    else
      insert(dec.rules, compile_rule(dec, r))
      dec.rule_index[r.id] = #dec.rules
    end
  end
  compile_scores(dec, spec)
  -- Verdicts.
  dec.in_verdicts = true
  dec.verdicts = {}
  if type(spec.verdicts) ~= "table" or #spec.verdicts == 0 then
    error_at(spec.where, 'decision "' .. dec.name .. '" needs verdicts = { verdict "TOKEN" { when = ... }, ... }')
  end
  for _, v in ipairs(spec.verdicts or {}) do
    if type(v) ~= "table" or v.tag ~= "verdict" then
      error_at(spec.where, 'verdicts must be a list of verdict "TOKEN" { when = ... } entries')
    else
      local entry = { token = v.token, en = v.en, zh = v.zh, where = v.where, graded = v.graded,
                      raw = v.when, label = v.label }
      if v.graded then
        if not dec.scored then error_at(v.where, "graded {} needs criteria, weights and grades") end
      else
        if type(v.token) ~= "string" or not v.token:match(TOKEN) then
          error_at(v.where, 'verdict "' .. tostring(v.token) .. '": a verdict token must be upper case (A-Z, 0-9, _), e.g. "' .. tostring(v.token):upper():gsub("[^A-Z0-9_]", "_") .. '"')
        end
        if v.when == nil then error_at(v.where, 'verdict "' .. tostring(v.token) .. '" needs when = a condition') end
        entry.cond = compile_cond(dec, v.when, v.where)
      end
      insert(dec.verdicts, entry)
    end
  end
  dec.in_verdicts = false
  -- The reason of a record left INCOMPLETE by an unknown verdict entry
  -- (else "missing {missing}").
  local m = spec.incomplete
  if m ~= nil then
    local found
    if type(m) ~= "table" then
      found = "a " .. type(m)
    elseif m.en == nil and m.zh == nil then
      found = "neither en nor zh"
    else
      local keys = {}
      for k in pairs(m) do keys[#keys + 1] = tostring(k) end
      table.sort(keys)
      for _, k in ipairs(keys) do
        if k ~= "en" and k ~= "zh" then found = found or ("the field '" .. k .. "'") end
      end
      for _, k in ipairs({ "en", "zh" }) do
        if m[k] ~= nil and type(m[k]) ~= "string" then found = found or (k .. " = a " .. type(m[k])) end
      end
    end
    if found then
      error_at(spec.where, 'decision "' .. dec.name .. '": incomplete is ' .. found .. '; expected '
        .. '{ en = "...", zh = "..." }, the reason of a record that a missing value leaves undecided, e.g. '
        .. '{ en = "missing {missing}", zh = "未填写：{missing}" }')
    else
      dec.incomplete = { en = m.en, zh = m.zh, where = spec.where }
    end
  end
  return dec
end

function K.all(rs)
  K.params(rs)
  rs.decs, rs.dec_index = {}, {}
  for _, name in ipairs(rs.decision_order) do
    local dec = compile_decision(rs, rs.decisions[name])
    insert(rs.decs, dec)
    rs.dec_index[name] = #rs.decs
  end
  for _, x in ipairs(rs.extends) do
    if not rs.decisions[x.name] then error_at(x.where, 'extend: unknown decision "' .. x.name .. '"') end
  end
  if #rs.decs == 0 and #rs.errors == 0 then
    error_at(rs.dir or "rules", "the rule set declares no decision")
  end
end

---------------------------------------------------------------------------
-- Words: a declaration read back as text, for the rulebook.
---------------------------------------------------------------------------

function K.pname(rs, name, lang)
  local po = rs.pobj and rs.pobj[name]
  if not po then return name end
  if po.dated then return name .. (lang == "zh" and "（按日期）" or " (dated)") end
  return name .. " (" .. T.value(po.value, po.kind, lang) .. ")"
end

function K.operand_words(dec, raw, lang)
  local zh = lang == "zh"
  local t = type(raw)
  if t == "string" then
    local i = dec.col_index[raw]
    if i then return zh and dec.columns[i].zh or raw end
    -- a derived value by its Chinese name (达标日期, not met_on)
    local vo = zh and dec.value_objs and dec.value_objs[raw]
    if vo and type(vo.decl.zh) == "string" then return vo.decl.zh end
    return raw
  end
  if t ~= "table" then return T.value(raw, nil, lang) end
  if raw.tag == "cond" then return K.words(dec, raw, lang) end
  if raw.tag == nil then return T.value(raw, "list", lang) end
  local op = raw.op
  local function w(x) return K.operand_words(dec, x, lang) end
  if op == "param" then return K.pname(dec.rs, raw.name, lang) end
  if op == "date" then return T.value(raw.day, "date", lang) end
  if op == "as_of" then return zh and "评估日期" or "the evaluation date" end
  if op == "add_months" or op == "add_years" then
    local unit = op == "add_years" and (zh and "年" or "years") or (zh and "个月" or "months")
    if type(raw.b) == "number" and raw.b < 0 then
      return zh and (w(raw.a) .. "前" .. T.number(-raw.b) .. unit) or (w(raw.a) .. " minus " .. T.number(-raw.b) .. " " .. unit)
    end
    -- times(n, -1): n before, not "plus n × -1"
    local b = raw.b
    if type(b) == "table" and b.op == "times" and (b.a == -1 or b.b == -1) then
      local n = b.b == -1 and b.a or b.b
      return zh and (w(raw.a) .. "前" .. w(n) .. unit) or (w(raw.a) .. " minus " .. w(n) .. " " .. unit)
    end
    return zh and (w(raw.a) .. "后" .. w(raw.b) .. unit) or (w(raw.a) .. " plus " .. w(raw.b) .. " " .. unit)
  end
  if op == "days_between" then
    return zh and ("自" .. w(raw.a) .. "至" .. w(raw.b) .. "的天数") or ("days from " .. w(raw.a) .. " to " .. w(raw.b))
  end
  if op == "plus" then return w(raw.a) .. " + " .. w(raw.b) end
  if op == "minus" then return w(raw.a) .. " − " .. w(raw.b) end
  if op == "times" then return w(raw.a) .. " × " .. w(raw.b) end
  if op == "first_present" then
    local parts = {}
    for i = 1, raw.n do parts[i] = w(raw.list[i]) end
    return concat(parts, zh and "，缺失时取" or ", else ")
  end
  if op == "fn" then return (zh and "计算值（" or "a value computed in Lua (") .. raw.where .. (zh and "）" or ")") end
  return "?"
end

function K.words(dec, raw, lang)
  local zh = lang == "zh"
  if type(raw) ~= "table" or raw.tag ~= "cond" then return "?" end
  local op = raw.op
  local function w(x) return K.operand_words(dec, x, lang) end
  local function list(items, sep)
    local parts = {}
    for i, c in ipairs(items or {}) do parts[i] = K.words(dec, c, lang) end
    return concat(parts, sep)
  end
  if op == "cmp" then return w(raw.a) .. (zh and "" or " ") .. T.need_text(lang, raw.cmp, { y = w(raw.b) }) end
  if op == "between" then return w(raw.a) .. (zh and "" or " ") .. T.need_text(lang, "between", { lo = w(raw.lo), hi = w(raw.hi) }) end
  if op == "is" or op == "is_not" then
    local y = raw.token
    local i = type(raw.a) == "string" and dec.col_index[raw.a]
    if zh and i and dec.columns[i].label_of[raw.token] then y = dec.columns[i].label_of[raw.token] end
    return w(raw.a) .. (zh and (op == "is" and "为" or "不为") or (op == "is" and " is " or " is not ")) .. tostring(y)
  end
  if op == "one_of" then return w(raw.a) .. (zh and "为" or " is one of ") .. w(raw.list) .. (zh and "之一" or "") end
  if op == "is_true" then return w(raw.a) .. (zh and "为是" or " is yes") end
  if op == "is_false" then return w(raw.a) .. (zh and "为否" or " is no") end
  if op == "present" then return w(raw.a) .. (zh and "已填写" or " is filled in") end
  if op == "missing" then return w(raw.a) .. (zh and "为空" or " is empty") end
  if op == "all_of" then return (zh and "同时满足：" or "all of: ") .. list(raw.list, zh and "；" or "; ") end
  if op == "any_of" then return (zh and "满足其一：" or "any of: ") .. list(raw.list, zh and "；" or "; ") end
  if op == "not" then return (zh and "并非：" or "not: ") .. K.words(dec, raw.c, lang) end
  if op == "always" then return zh and "总是" or "always" end
  if op == "check" then
    -- the place relative to the rule set's directory, as traces give it:
    -- the same text however -r was written
    return (zh and "Lua条件（" or "a condition in Lua (") .. V.text.in_rule_set(raw.where) .. (zh and "）" or ")")
  end
  if op == "rule_is" then
    local r = ({ pass = zh and "通过" or "passed", fail = zh and "未通过" or "failed", unknown = zh and "待定" or "is unknown" })[raw.want]
    return zh and ("规则" .. raw.id .. r) or ("rule " .. raw.id .. " " .. r)
  end
  if op == "any_deciding" then
    local ex = {}
    for _, id in ipairs(raw.except or {}) do ex[#ex + 1] = id end
    local s
    if raw.want == "fail" then s = zh and "有决定结论的规则未通过" or "some deciding rule failed"
    else s = zh and "有决定结论的规则待定" or "some deciding rule is unknown" end
    if #ex > 0 then s = s .. (zh and "（不计" or " (not counting ") .. concat(ex, ", ") .. (zh and "）" or ")") end
    return s
  end
  return "?"
end
