-- eval.lua — evaluating one record: rules, score, verdict, reason, trace.
--
-- Part of the engine's prelude (trusted).  The C side fills one reused
-- record table per decision (slot i = column i, nil = missing) and calls
-- V.api.evaluate; everything here allocates little and keeps nothing of a
-- record once it returns.
local V, C = ...

local type, pairs, ipairs, tostring, error, pcall, setmetatable, next =
      type, pairs, ipairs, tostring, error, pcall, setmetatable, next
local concat, insert = table.concat, table.insert
local floor, min, max = math.floor, math.min, math.max
local T = V.text
local json = C.json
local setupvalue = debug.setupvalue

local X = {}
V.eval = X

local PASS, FAIL, UNK, NA = 1, 2, 3, 0
local RESULT_NAME = { [PASS] = "pass", [FAIL] = "fail", [UNK] = "unknown", [NA] = "not_applicable" }
X.RESULT_NAME = RESULT_NAME
X.PASS, X.FAIL, X.UNK, X.NA = PASS, FAIL, UNK, NA

---------------------------------------------------------------------------
-- Plain Lua functions of rule files: reading a missing cell stops them.
---------------------------------------------------------------------------

-- The error object that means "this function read a missing value".  Rule
-- code has no pcall, so it cannot catch it.
local MISSING = setmetatable({}, { __tostring = function() return "missing value" end })

-- The read-only view of a list the rule set holds (a list parameter, a
-- list literal), made when the rules load (compile.lua): rule functions
-- get the view, the engine reads the list itself.  A table a fn made for
-- this record has none and is given as it is.
local views = V.dsl.views

local function proxy_for(ctx)
  local dec = ctx.dec
  local rule_error = V.dsl.rule_error
  local function missing(i)
    ctx.missing_read = i
    error(MISSING, 0)
  end
  local r = setmetatable({}, {
    __index = function(_, k)
      local reads = ctx.reads
      if reads then reads[#reads + 1] = k end
      local i = dec.col_index[k]
      if i then
        local x = ctx.v[i]
        if x == nil then missing(i) end
        return x
      end
      local vo = dec.value_objs[k]
      if vo then
        local op = dec.value_ops[k]
        local x = op.eval(ctx)
        if x == nil then
          local set = {}
          op.blame(ctx, set)
          missing(next(set) or false)
        end
        return views[x] or x
      end
      local x = ctx.x[k]
      if x ~= nil then
        if x == false then error(MISSING, 0) end
        return x
      end
      error("no column or value '" .. tostring(k) .. "' in decision '" .. dec.name .. "'", 2)
    end,
    __newindex = function(_, k) rule_error("a rule cannot change the record ('" .. tostring(k) .. "')") end,
    __metatable = false,
  })
  local p = setmetatable({}, {
    __index = function(_, k)
      local reads = ctx.reads
      if reads then reads[#reads + 1] = { "param", k } end
      local op = ctx.param_ops[k]
      if not op then
        local po = dec.rs.pobj[k]
        if not po then error("unknown parameter '" .. tostring(k) .. "'", 2) end
        op = V.compile.operand(dec, { tag = "operand", op = "param", name = k, where = "?" }, "?")
        ctx.param_ops[k] = op
      end
      local x = op.eval(ctx)
      if x == nil then
        local set = {}
        op.blame(ctx, set)
        missing(next(set) or false)
      end
      return views[x] or x
    end,
    __newindex = function(_, k)
      rule_error("cannot change parameter '" .. tostring(k) .. "': parameters are read-only; use a local variable")
    end,
    __metatable = false,
  })
  return r, p
end

function X.user_call(ctx, f)
  ctx.missing_read = nil
  local ok, r = pcall(f, ctx.proxy, ctx.params, ctx.as_of)
  if ok then return r end
  if r == MISSING then return nil end
  error(r, 0)
end

function X.user_blame(ctx, f, set)
  ctx.missing_read = nil
  local ok, r = pcall(f, ctx.proxy, ctx.params, ctx.as_of)
  if ok then return end
  if r ~= MISSING then error(r, 0) end   -- a real error, or the time-out
  if ctx.missing_read then set[ctx.missing_read] = true end
end

---------------------------------------------------------------------------
-- Per-decision evaluation state, made once and reused for every record.
---------------------------------------------------------------------------

function X.context(dec)
  local ctx = { dec = dec, v = {}, x = {}, cache = {}, res = {}, decides = {}, param_ops = {},
                missing_set = {}, as_of = 0 }
  ctx.proxy, ctx.params = proxy_for(ctx)
  dec.value_ops = {}
  for _, name in ipairs(dec.value_order) do
    dec.value_ops[name] = V.compile.operand(dec, name, dec.where)
  end
  return ctx
end

local function clear(t)
  for k in pairs(t) do t[k] = nil end
end

---------------------------------------------------------------------------
-- Rules
---------------------------------------------------------------------------

-- The rule's body alone (its parts, all or any of them): PASS, FAIL or UNK.
local function body_of(ctx, rule)
  local parts = rule.parts
  local body
  if rule.mode == "all" then
    body = PASS
    for j = 1, #parts do
      local r = parts[j].cond.eval(ctx)
      if r == false then body = FAIL break end
      if r == nil then body = UNK end
    end
  else
    body = FAIL
    for j = 1, #parts do
      local r = parts[j].cond.eval(ctx)
      if r == true then body = PASS break end
      if r == nil then body = UNK end
    end
  end
  return body
end

local function eval_rule(ctx, rule)
  local app = rule.applies.eval(ctx)
  if app == false then return NA end
  local body = body_of(ctx, rule)
  if app == nil then return UNK end
  return body
end

-- The missing columns that leave the rule unknown: those of `applies`
-- when it is unknown, and those of its unknown parts only when they
-- leave the body unknown (a body already FALSE, or TRUE for any-of,
-- stays so whatever they hold: contract 3, the columns that would decide
-- it).  native_eval.c's nat_blame_rule does the same.
local function blame_rule(ctx, rule, set)
  if rule.applies.eval(ctx) == nil then rule.applies.blame(ctx, set) end
  if body_of(ctx, rule) ~= UNK then return end
  for _, p in ipairs(rule.parts) do
    if p.cond.eval(ctx) == nil then p.cond.blame(ctx, set) end
  end
end

---------------------------------------------------------------------------
-- Scores
---------------------------------------------------------------------------

-- The target of one indicator as used (a three-year target scaled), or
-- nil while it cannot be known (the scaling column missing) and for a
-- bool: known whether or not the indicator itself is.
local function indicator_target(ctx, dec, ind)
  if ind.kind == "bool" or not ind.target then return nil end
  local t = ind.target.eval(ctx)
  if t == nil then return nil end
  if ind.scaled and dec.scale then
    local f = dec.scale.factors[ctx.v[dec.scale.col.index]]
    if f == nil then return nil end
    t = t * f
  end
  return t
end

-- Sub-score of one indicator, or nil while a value it needs is missing.
local function indicator_score(ctx, dec, ind)
  local x = ind.operand.eval(ctx)
  if x == nil then return nil end
  if ind.kind == "bool" then return x and 100 or 0, x end
  local t = indicator_target(ctx, dec, ind)
  if t == nil then return nil end
  if t <= 0 then return (x > 0) and 100 or 0, x, t end
  -- 100.0: in floating point, as 100 * x / t is for any count that fits
  -- (the same bits); in integers, 100 * x wrapped past 9.2e16 and a count
  -- that large scored 0 (found by an audit)
  return min(100, max(0, 100.0 * x / t)), x, t
end

local function criterion_score(ctx, dec, cr)
  if cr.score then
    local s = cr.score.eval(ctx)
    if s == nil then return nil end
    return min(100, max(0, s))
  end
  local sum, n = 0, #cr.indicators
  for i = 1, n do
    local s = indicator_score(ctx, dec, cr.indicators[i])
    if s == nil then return nil end
    sum = sum + s
  end
  return sum / n
end
X.criterion_score = criterion_score
X.indicator_score = indicator_score
X.indicator_target = indicator_target

local function blame_criterion(ctx, dec, cr, set)
  if cr.score then cr.score.blame(ctx, set) return end
  for _, ind in ipairs(cr.indicators) do
    ind.operand.blame(ctx, set)
    if ind.target then ind.target.blame(ctx, set) end
    if ind.scaled and dec.scale and ctx.v[dec.scale.col.index] == nil then
      set[dec.scale.col.index] = true
    end
  end
end

-- The weights that apply to this record, or nil while the form is missing.
local function weights_of(ctx, dec)
  return dec.weights.by[ctx.v[dec.weights.col.index]]
end
X.weights_of = weights_of

-- Total score (one decimal) or nil; marks missing inputs in set when given.
local function compute_score(ctx, dec, set)
  local weights = weights_of(ctx, dec)
  if weights == nil then
    if set then
      set[dec.weights.col.index] = true
      for _, cr in ipairs(dec.criteria) do
        if criterion_score(ctx, dec, cr) == nil then blame_criterion(ctx, dec, cr, set) end
      end
    end
    return nil
  end
  local total, unknown = 0, false
  for _, cr in ipairs(dec.criteria) do
    local w = weights[cr.id] or 0
    if w > 0 then
      local s = criterion_score(ctx, dec, cr)
      if s == nil then
        unknown = true
        if set then blame_criterion(ctx, dec, cr, set) end
      else
        total = total + w * s
      end
    end
  end
  if unknown then return nil end
  local _, rounded = T.one_decimal(total / 100)
  return rounded
end
X.compute_score = compute_score

local function grade_of(dec, score)
  for _, g in ipairs(dec.grades) do
    if score >= g.min - 1e-9 then return g.token end
  end
  return dec.grades[#dec.grades].token
end

---------------------------------------------------------------------------
-- Messages
---------------------------------------------------------------------------

-- Text for a {name} placeholder: a column, value or parameter of the
-- decision, or one of the extras given.
local function lookup_for(ctx, lang, extra)
  local dec = ctx.dec
  return function(name)
    if extra and extra[name] ~= nil then return extra[name] end
    local i = dec.col_index[name]
    if i then
      local col = dec.columns[i]
      return T.value(ctx.v[i], V.compile.BASE[col.type] == "int" and "number" or col.base, lang, col)
    end
    local op = dec.value_ops[name]
    if op then return op.text(ctx, lang) end
    local po = dec.rs.pobj[name]
    if po then
      local pop = ctx.param_ops[name]
      if not pop then
        pop = V.compile.operand(dec, { tag = "operand", op = "param", name = name, where = "?" }, "?")
        ctx.param_ops[name] = pop
      end
      return pop.text(ctx, lang)
    end
    return nil
  end
end
X.lookup_for = lookup_for

local function part_message(ctx, part, lang, r)
  local tpl = lang == "zh" and part.zh or part.en
  if tpl and r ~= nil then return T.fill(tpl, lookup_for(ctx, lang)) end
  return part.cond.message(ctx, lang, r)
end
X.part_message = part_message

function X.rule_message(ctx, rule, res, lang)
  local w = T.words[lang]
  if res == NA then return w.not_applicable end
  if res == UNK then
    local set = {}
    blame_rule(ctx, rule, set)
    return V.compile.unknown_message(ctx.dec, { blame = function(c2, s) for k in pairs(set) do s[k] = true end end }, ctx, lang)
  end
  if res == FAIL then
    local tpl = lang == "zh" and rule.zh or rule.en
    if tpl then return T.fill(tpl, lookup_for(ctx, lang)) end
  end
  local want = (res == PASS)
  local msgs = {}
  for _, p in ipairs(rule.parts) do
    local r = p.cond.eval(ctx)
    if r == want or (res == PASS and rule.mode == "any" and r == true) then
      insert(msgs, part_message(ctx, p, lang, r))
    end
  end
  if rule.mode == "any" and res == FAIL then
    return concat(msgs, w.any_sep)
  end
  return concat(msgs, w.sep)
end

---------------------------------------------------------------------------
-- One record
---------------------------------------------------------------------------

local function missing_text(dec, set, lang)
  local names = {}
  for i = 1, #dec.columns do
    if set[i] then insert(names, lang == "zh" and dec.columns[i].zh or dec.columns[i].name) end
  end
  return names
end

-- Put every upvalue of the rule functions back to its value at load.
local function restore_upvalues(rs)
  local snap = rs.snapshot
  for i = 1, #snap do
    local s = snap[i]
    setupvalue(s[1], s[2], s[3])
  end
end

-- Evaluate ctx's record (already filled).  Returns verdict, score (number
-- or nil), grade, failed, missing (both ';'-joined), reason.
local function evaluate(ctx, lang)
  local dec = ctx.dec
  local rules = dec.rules
  local res, decides = ctx.res, ctx.decides
  clear(ctx.cache)
  for k = 1, #rules do res[k] = nil end
  -- Put back every upvalue a rule function might have changed.
  restore_upvalues(dec.rs)
  -- Every rule, in declaration order.
  for k = 1, #rules do
    ctx.current_rule = rules[k].id
    local r = eval_rule(ctx, rules[k])
    res[k] = r
    if r == NA then decides[k] = false else decides[k] = rules[k].decides.eval(ctx) end
  end
  ctx.current_rule = nil
  -- Missing columns read by rules that came out UNKNOWN.
  local set = ctx.missing_set
  clear(set)
  local failed = {}
  for k = 1, #rules do
    if res[k] == FAIL then insert(failed, rules[k].id)
    elseif res[k] == UNK then
      ctx.current_rule = rules[k].id
      blame_rule(ctx, rules[k], set)
    end
  end
  ctx.current_rule = nil
  -- Score.
  local score, grade
  if dec.scored then
    ctx.current_rule = "score"
    score = compute_score(ctx, dec, set)
    if score ~= nil then grade = grade_of(dec, score) end
    ctx.current_rule = nil
  end
  -- Verdict: the first entry that is TRUE; an UNKNOWN one first gives
  -- INCOMPLETE, and the entries after it, up to the first TRUE, are what
  -- the missing values would choose between: theirs are blamed too, so
  -- that one round of filling in decides the record (native_eval.c
  -- does the same).
  local verdict, entry, by_unknown
  for _, e in ipairs(dec.verdicts) do
    ctx.current_rule = "verdict " .. (e.token or "graded")
    local c
    if e.graded then
      if score == nil then c = nil else c = true end
    else
      c = e.cond.eval(ctx)
    end
    if c == true then
      if not entry then verdict, entry = e.graded and grade or e.token, e end
      break
    end
    if c == nil then
      if not entry then verdict, entry, by_unknown = "INCOMPLETE", e, true end
      if not e.graded then e.cond.blame(ctx, set) end
    end
  end
  ctx.current_rule = nil
  if verdict == nil then
    ctx.current_rule = "verdicts"
    error("no verdict applies: the verdict list of decision '" .. dec.name ..
      "' should end with an entry that always applies", 0)
  end
  if entry and entry.token and not entry.graded and dec.scored and verdict ~= "INCOMPLETE" then
    -- A verdict given before the grade (e.g. UNQUALIFIED for a missing
    -- report) is also the record's grade.
    grade = verdict
  end
  if verdict == "INCOMPLETE" and dec.scored then score, grade = nil, nil end
  ctx.verdict_entry, ctx.by_unknown, ctx.score, ctx.grade = entry, by_unknown, score, grade
  local missing_en = missing_text(dec, set, "en")
  return verdict, score, grade, concat(failed, ";"), concat(missing_en, ";"), set
end

-- The one-sentence reason.
-- The placeholders a template names, computed once per template.
local placeholders = setmetatable({}, { __mode = "k" })
local function names_in(tpl)
  local names = placeholders[tpl]
  if not names then
    names = {}
    for name in tpl:gmatch("{([%w_%.]+)}") do names[name] = true end
    placeholders[tpl] = names
  end
  return names
end

-- {missing_deciding}: the missing columns of the rules that came out
-- UNKNOWN and decide, or may (then also the columns that would tell
-- whether they do), leaving out those the verdict's own
-- any_deciding_unknown { except = ... } passes over.  What the record
-- needs filled in to be decided, where {missing} is every missing column
-- a rule read (contract 3 and 4).  native_eval.c's nat_missing_deciding
-- does the same.
local function missing_deciding(ctx, entry)
  local dec = ctx.dec
  local rules, res, decides = dec.rules, ctx.res, ctx.decides
  local except = entry and entry.cond and entry.cond.except_of_unknown or {}
  local set = {}
  for k = 1, #rules do
    if res[k] == UNK and decides[k] ~= false and not except[rules[k].id] then
      blame_rule(ctx, rules[k], set)
      if decides[k] == nil then rules[k].decides.blame(ctx, set) end
    end
  end
  return set
end

local function reason_of(ctx, verdict, score, grade, set, lang)
  local dec = ctx.dec
  local rules, res, decides = dec.rules, ctx.res, ctx.decides
  local w = T.words[lang]
  local entry = ctx.verdict_entry
  local tpl = entry and (lang == "zh" and entry.zh or entry.en)
  if ctx.by_unknown then
    local missing = missing_text(dec, set, lang)
    if #missing == 0 then return w.unknown_value end
    local m = dec.incomplete
    tpl = m and (lang == "zh" and m.zh or m.en)
    if not tpl then return w.missing_prefix .. concat(missing, w.list_sep) end
    -- the decision's own sentence, {missing} and {missing_deciding} both
    -- naming these columns (what the verdict list left unknown)
  end
  local needs = tpl and names_in(tpl)
  if tpl and not next(needs) then return tpl end
  -- Only what the template names is worked out (messages cost the most).
  local extra = {}
  if not tpl or needs.reasons or needs.failed then
    local failed_ids, reasons = {}, {}
    for k = 1, #rules do
      if res[k] == FAIL and decides[k] ~= false then
        insert(failed_ids, rules[k].id)
        insert(reasons, rules[k].id .. ": " .. X.rule_message(ctx, rules[k], FAIL, lang))
      end
    end
    if not tpl then
      if #reasons > 0 then return concat(reasons, w.sep) end
      return verdict
    end
    extra.reasons, extra.failed = concat(reasons, w.sep), concat(failed_ids, ", ")
  end
  if needs.missing then extra.missing = concat(missing_text(dec, set, lang), w.list_sep) end
  if needs.missing_deciding and ctx.by_unknown then
    extra.missing_deciding = concat(missing_text(dec, set, lang), w.list_sep)
  elseif needs.missing_deciding then
    -- None to name (a parameter with no value on that date, a check
    -- that gave nil): the sentence an unknown verdict entry gives, not
    -- "missing " and nothing.
    local names = missing_text(dec, missing_deciding(ctx, entry), lang)
    if #names == 0 then return w.unknown_value end
    extra.missing_deciding = concat(names, w.list_sep)
  end
  if needs.score then extra.score = score and T.one_decimal(score) or w.missing end
  if needs.grade then
    extra.grade = grade and (lang == "zh" and V.report.verdict_label(dec, grade, "zh") or grade) or w.missing
  end
  return T.fill(tpl, lookup_for(ctx, lang, extra))
end
X.reason_of = reason_of

---------------------------------------------------------------------------
-- The trace (JSON Lines)
---------------------------------------------------------------------------

local function json_value(x, kind)
  if x == nil then return "null" end
  local t = type(x)
  if kind == "date" and math.type(x) == "integer" then return '"' .. C.date_format(x) .. '"' end
  if t == "boolean" then return x and "true" or "false" end
  if t == "number" then return T.number(x) end
  if t == "table" then
    local parts = {}
    for i = 1, #x do parts[i] = json_value(x[i]) end
    return "[" .. concat(parts, ",") .. "]"
  end
  if t ~= "string" then return json("(a " .. t .. ")") end   -- (not its address)
  return json(tostring(x))
end

local function inputs_json(ctx, refs)
  local dec = ctx.dec
  local out = {}
  for _, r in ipairs(refs) do
    local kind, name = r[1], r[2]
    local val
    if kind == "column" then
      local col = dec.columns[dec.col_index[name]]
      val = json_value(ctx.v[col.index], col.base)
    elseif kind == "param" then
      local pop = ctx.param_ops[name]
      if not pop then
        pop = V.compile.operand(dec, { tag = "operand", op = "param", name = name, where = "?" }, "?")
        ctx.param_ops[name] = pop
      end
      val = json_value(pop.eval(ctx), pop.kind)
    elseif kind == "value" then
      local op = dec.value_ops[name]
      val = json_value(op.eval(ctx), op.kind)
    elseif kind == "extra" then
      local x = ctx.x[name]
      val = x and json(x) or "null"
    else
      val = json_value(ctx.as_of, "date")
    end
    insert(out, json(name) .. ":" .. val)
  end
  return "{" .. concat(out, ",") .. "}"
end

local function decides_json(d)
  if d == nil then return "null" end
  return d and "true" or "false"
end

-- The static inputs of a rule plus what its plain-Lua functions read.
local function with_reads(dec, refs, reads)
  if #reads == 0 then return refs end
  local out, seen = {}, {}
  for _, r in ipairs(refs) do out[#out + 1] = r; seen[r[1] .. ":" .. r[2]] = true end
  for _, k in ipairs(reads) do
    local ref
    if type(k) == "table" then ref = k
    elseif dec.col_index[k] then ref = { "column", k }
    elseif dec.value_ops[k] then ref = { "value", k }
    else ref = { "extra", k } end
    local key = ref[1] .. ":" .. ref[2]
    if not seen[key] then seen[key] = true; out[#out + 1] = ref end
  end
  return out
end
X.with_reads = with_reads

function X.trace_json(ctx, lang)
  local dec = ctx.dec
  local out = {}
  for k, rule in ipairs(dec.rules) do
    local r = ctx.res[k]
    local parts = {}
    ctx.reads = {}
    if r ~= NA then
      for _, p in ipairs(rule.parts) do
        local pr = p.cond.eval(ctx)
        local pres = pr == nil and "unknown" or (pr and "pass" or "fail")
        insert(parts, '{"id":' .. json(p.id) .. ',"result":"' .. pres .. '","message":' ..
          json(part_message(ctx, p, lang, pr)) .. "}")
      end
    end
    local reads = ctx.reads
    ctx.reads = nil
    insert(out, '{"id":' .. json(rule.id) .. ',"clause":' .. json(rule.clause or "") ..
      ',"result":"' .. RESULT_NAME[r] .. '","decides":' .. decides_json(ctx.decides[k]) ..
      ',"inputs":' .. inputs_json(ctx, with_reads(dec, rule.refs, reads)) ..
      ',"message":' .. json(X.rule_message(ctx, rule, r, lang)) ..
      ',"parts":[' .. concat(parts, ",") .. "]}")
  end
  local s = ',"rules":[' .. concat(out, ",") .. "]"
  if #dec.rules == 0 and not dec.scored then
    -- No rule shows the record's cells as its inputs: the decision's
    -- columns, so that the trace holds every value read (native_text.c
    -- writes the same).
    local refs = {}
    for i, col in ipairs(dec.columns) do refs[i] = { "column", col.name } end
    s = s .. ',"inputs":' .. inputs_json(ctx, refs)
    -- ... and the decision's clause, which no rule's shows
    if dec.clause then s = s .. ',"clause":' .. json(dec.clause) end
  end
  if #dec.value_order > 0 then
    local vals = {}
    for _, name in ipairs(dec.value_order) do
      local op = dec.value_ops[name]
      vals[#vals + 1] = json(name) .. ":" .. json_value(op.eval(ctx), op.kind)
    end
    s = s .. ',"values":{' .. concat(vals, ",") .. "}"
  end
  local vr = ctx.verdict_entry
  if vr then
    s = s .. ',"verdict_step":' .. json(vr.graded and "graded" or tostring(vr.token)) ..
      ',"verdict_step_unknown":' .. (ctx.by_unknown and "true" or "false")
  end
  if dec.scored then
    local crit = {}
    local weights = weights_of(ctx, dec)
    for _, cr in ipairs(dec.criteria) do
      local sub = criterion_score(ctx, dec, cr)
      local w = weights and (weights[cr.id] or 0)
      -- The inputs, the column that scales the targets (three-year
      -- targets are the annual ones times 3) and the targets as used,
      -- so that each sub-score can be worked out again from the record.
      local refs, targets, scaled = {}, {}, false
      for _, ind in ipairs(cr.indicators) do
        for _, r in ipairs(ind.operand.refs) do insert(refs, r) end
        if ind.target then
          for _, r in ipairs(ind.target.refs) do insert(refs, r) end
          local t = indicator_target(ctx, dec, ind)
          local name = ind.operand.subject or ind.name or "?"
          insert(targets, json(name) .. ":" .. (t ~= nil and json_value(t, "number") or "null"))
          scaled = scaled or (ind.scaled and dec.scale ~= nil)
        end
      end
      if scaled then insert(refs, { "column", dec.scale.col.name }) end
      insert(crit, '{"id":' .. json(cr.id) .. ',"clause":' .. json(cr.clause or "") ..
        ',"weight":' .. (w and T.number(w) or "null") ..
        -- four decimals: contributions an auditor adds up come to the
        -- total's one decimal (at two, 2.67 + 1.38 + ... gave 10.45
        -- against a total of 10.4)
        ',"sub_score":' .. (sub and T.number(floor(sub * 10000 + 0.5) / 10000) or "null") ..
        ',"contribution":' .. ((sub and w) and T.number(floor(sub * w * 100 + 0.5) / 10000) or "null") ..
        ',"inputs":' .. inputs_json(ctx, refs) ..
        (#targets > 0 and (',"targets":{' .. concat(targets, ",") .. "}") or "") .. "}")
    end
    s = s .. ',"criteria":[' .. concat(crit, ",") .. "]"
    -- the cell that chose the weights (org_form): no criterion reads it
    if dec.weights then
      s = s .. ',"weights_by":' .. inputs_json(ctx, { { "column", dec.weights.col.name } })
    end
  end
  return s
end

---------------------------------------------------------------------------
-- The entry point for C.
---------------------------------------------------------------------------

-- An error as the one sentence of a reason (contract 4): line breaks and
-- tabs as spaces, and at most ERROR_TEXT_MAX bytes of it, cut where a
-- UTF-8 character begins (error(string.rep("x", 3e6)) put 3 MB into
-- every record's reason).
local ERROR_TEXT_MAX = 500
local function error_text(e, lang)
  if type(e) ~= "string" then
    e = "(error object is a " .. type(e) .. " value)"
  end
  if e == "not enough memory" then e = "memory limit exceeded (see --max-memory)" end
  e = T.in_rule_set(e):gsub("[\r\n\t]+", " ")
  if #e > ERROR_TEXT_MAX then
    local cut = ERROR_TEXT_MAX
    while cut > 1 and e:byte(cut + 1) and e:byte(cut + 1) >= 0x80 and e:byte(cut + 1) < 0xC0 do cut = cut - 1 end
    local more = #e - cut
    e = e:sub(1, cut) .. (lang == "zh" and ("……（另有" .. more .. "字节未列出）") or ("... (" .. more .. " bytes more)"))
  end
  return e
end

-- The reason of an ERROR: the rule (or verdict) that failed, and its error.
local function error_reason(rule, e, lang)
  if lang == "zh" then
    return "规则" .. (rule or "?") .. "运行出错：" .. T.problem(e, "zh")
  end
  return "rule " .. (rule or "?") .. " failed: " .. e
end

-- Where the rule (an id, "verdict TOKEN" or "score") is declared:
-- "path:line", or the decision's place.
local function place_of(dec, rule)
  for _, r in ipairs(dec.rules) do
    if r.id == rule then return r.where or dec.where end
  end
  for _, e in ipairs(dec.verdicts or {}) do
    if rule == "verdict " .. (e.token or "graded") then return e.where or dec.where end
  end
  return dec.where or "?"
end

-- A place in the engine's own code ("verdict/compile.lua:613: attempt to
-- compare ...") tells a rule's author nothing: the rule's own place
-- instead, relative to the rule set's directory.
local function at_rule(dec, rule, e)
  local tail = e:match("^verdict/[%w_]+%.lua:%d+: (.*)$")
  if not tail then return e end
  return T.in_rule_set(place_of(dec, rule)) .. ": " .. tail
end

-- Evaluate one filled record.  Returns verdict, score, grade, failed,
-- missing, reason, trace (or nil).  A rule that fails at run time gives
-- ERROR naming the rule.
function X.run(ctx, as_of, want_trace, lang)
  ctx.as_of = as_of
  local ok, verdict, score, grade, failed, missing, set = pcall(evaluate, ctx, lang)
  if not ok then
    -- Let go at once of whatever a failing rule kept in its upvalues, so
    -- that the collection after an ERROR can reclaim it.
    restore_upvalues(ctx.dec.rs)
    local e = error_text(verdict, lang)
    local rule = ctx.current_rule
    e = at_rule(ctx.dec, rule, e)
    ctx.current_rule = nil
    return "ERROR", nil, nil, "", "", error_reason(rule, e, lang), nil, rule
  end
  local ok2, reason = pcall(reason_of, ctx, verdict, score, grade, set, lang)
  if not ok2 then
    -- writing the verdict's message failed (a value only it names): the
    -- verdict is named, as a rule is
    local entry = ctx.verdict_entry
    local rule = "verdict " .. tostring(entry and (entry.token or "graded") or "?")
    local e = at_rule(ctx.dec, rule, error_text(reason, lang))
    return "ERROR", nil, nil, "", "", error_reason(rule, e, lang), nil, rule
  end
  local trace
  if want_trace then
    local ok3, t = pcall(X.trace_json, ctx, lang)
    if ok3 then trace = t else trace = ',"trace_error":' .. json(at_rule(ctx.dec, "trace", tostring(t))) end
  end
  return verdict, score, grade, failed, missing, reason, trace
end
