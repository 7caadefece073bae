-- plan.lua — a decision as a plain description for the native evaluator.
--
-- Part of the engine's prelude (trusted).  compile.lua gives every operand
-- and condition a plan (.p); here the rules, verdicts and message
-- templates of one decision are put together into one table that the C
-- side (src/native.c) reads once, at load, and then runs per record
-- without calling Lua.  The text of messages is cut into literal pieces
-- and references to values, so that the C side only fills in the values.
--
-- A decision the native evaluator cannot run exactly (a plain-Lua check or
-- fn, a score) gets no plan and is evaluated in Lua: decision(dec) returns
-- nil and the reason.  The Lua evaluator (eval.lua) stays the reference:
-- explanations, traces and `verdict test` always use it, and
-- tests/native.sh checks that both give byte-identical output.
local V, C = ...

local ipairs, type = ipairs, type
local T = V.text
local K = V.compile

local P = {}
V.plan = P

-- The record's own names a verdict's message may put in braces, in the
-- order lint offers them (coverage.lua's did-you-mean).
P.VERDICT_EXTRAS = { "reasons", "failed", "missing", "missing_deciding", "score", "grade" }
local EXTRA = {}
for _, name in ipairs(P.VERDICT_EXTRAS) do EXTRA[name] = true end

-- The pieces of a message template: literal strings, { val = plan } for a
-- column, value or parameter, { x = name } for a verdict's extras.  nil
-- when a piece needs what only Lua has.
local function template(dec, tpl, verdict)
  if tpl == nil then return nil, true end
  local segs, pos = {}, 1
  while true do
    local i, j, name = tpl:find("{([%w_%.]+)}", pos)
    if not i then break end
    if i > pos then segs[#segs + 1] = tpl:sub(pos, i - 1) end
    local seg
    if verdict and EXTRA[name] then
      if name == "score" or name == "grade" then return nil end
      seg = { x = name }
    elseif dec.col_index[name] then
      local col = dec.columns[dec.col_index[name]]
      seg = { val = { o = "col", i = col.index, kind = K.BASE[col.type] == "int" and "number" or col.base,
                      tcol = col.index } }
    elseif dec.value_objs[name] then
      local p = K.operand(dec, name, dec.where).p
      if not p then return nil end
      seg = { val = p }
    elseif dec.rs.pobj[name] then
      local p = K.param_plan(dec, dec.rs.pobj[name])
      if not p then return nil end
      seg = { val = p }
    else
      seg = tpl:sub(i, j)     -- an unknown name stays as written
    end
    segs[#segs + 1] = seg
    pos = j + 1
  end
  if pos <= #tpl then segs[#segs + 1] = tpl:sub(pos) end
  return segs, true
end

-- Both languages of a template field, as eval.lua picks them (zh falls
-- back to en).  ok is false when a template cannot be run natively.
local function templates(dec, obj, verdict)
  local out = {}
  for _, lang in ipairs({ "en", "zh" }) do
    local tpl = lang == "zh" and obj.zh or obj.en
    local segs, ok = template(dec, tpl, verdict)
    if not ok then return nil, false end
    out[lang] = segs
  end
  return out, true
end

-- What the trace shows as a rule's inputs: { name, p = plan, date = the
-- value is a day number shown as a date }, or nil if only Lua can.
local function input_plan(dec, r)
  local kind, name = r[1], r[2]
  if kind == "column" then
    local col = dec.columns[dec.col_index[name]]
    return { name = name, p = { o = "col", i = col.index, kind = col.base, tcol = col.index },
             date = col.base == "date" }
  elseif kind == "param" then
    local po = dec.rs.pobj[name]
    local p = po and K.param_plan(dec, po)
    return p and { name = name, p = p, date = po.kind == "date" }
  elseif kind == "value" then
    local op = K.operand(dec, name, dec.where)
    return op.p and { name = name, p = op.p, date = op.kind == "date" }
  elseif kind == "as_of" then
    return { name = name, p = { o = "asof", kind = "date" }, date = true }
  end
  return nil
end

local function words()
  local out = {}
  for _, lang in ipairs({ "en", "zh" }) do
    local w = T.words[lang]
    out[lang] = {
      sep = w.sep, list_sep = w.list_sep, missing = w.missing, yes = w.yes, no = w.no,
      not_applicable = w.not_applicable,
      any_sep = w.any_sep, not_prefix = w.not_prefix, a_value = w.a_value,
      missing_prefix = w.missing_prefix, unknown_value = w.unknown_value,
      unknown = K.split_marks(T.auto_message(lang, "unknown", { X = K.mark(1) }), { { names = true } }),
    }
  end
  return out
end

-- The plan of decision dec, or nil and why there is none.
function P.decision(dec)
  if dec.scored then return nil, "the decision is scored" end
  local rules = {}
  for k, rule in ipairs(dec.rules) do
    local r = { id = rule.id, mode = rule.mode, applies = rule.applies.p, decides = rule.decides.p,
                parts = {}, clause = rule.clause or "", inputs = {} }
    for i, ref in ipairs(rule.refs) do
      r.inputs[i] = input_plan(dec, ref)
      if not r.inputs[i] then return nil, "an input of rule " .. rule.id .. " is read by Lua" end
    end
    if not r.applies or not r.decides then return nil, "rule " .. rule.id .. " uses Lua" end
    local ok
    r.tpl, ok = templates(dec, rule, false)
    if not ok then return nil, "the message of rule " .. rule.id .. " uses Lua" end
    for j, part in ipairs(rule.parts) do
      if not part.cond.p then return nil, "rule " .. rule.id .. " uses Lua" end
      local tpl
      tpl, ok = templates(dec, part, false)
      if not ok then return nil, "the message of " .. part.id .. " uses Lua" end
      r.parts[j] = { c = part.cond.p, tpl = tpl, id = part.id }
    end
    rules[k] = r
  end
  local verdicts = {}
  for k, e in ipairs(dec.verdicts) do
    if e.graded or not e.cond or not e.cond.p then return nil, "verdict " .. tostring(e.token) .. " uses Lua" end
    local tpl, ok = templates(dec, e, true)
    if not ok then return nil, "the message of verdict " .. e.token .. " uses Lua" end
    verdicts[k] = { token = e.token, c = e.cond.p, tpl = tpl }
  end
  local incomplete
  if dec.incomplete then
    local ok
    incomplete, ok = templates(dec, dec.incomplete, true)
    if not ok then return nil, "the incomplete reason uses Lua" end
  end
  local values = {}
  for i, name in ipairs(dec.value_order) do
    values[i] = input_plan(dec, { "value", name })
    if not values[i] then return nil, "value " .. name .. " uses Lua" end
  end
  -- A decision with no rules: its columns in the trace (eval.lua's
  -- trace_json), since no rule's inputs show them.
  local columns, clause_json = {}, nil
  if #dec.rules == 0 then
    for i, col in ipairs(dec.columns) do columns[i] = input_plan(dec, { "column", col.name }) end
    -- and the decision's clause, as written after them
    if dec.clause then clause_json = ',"clause":' .. C.json(dec.clause) end
  end
  return { rules = rules, verdicts = verdicts, incomplete = incomplete, nvalues = #dec.value_order, values = values,
           columns = columns, clause_json = clause_json, words = words() }
end
