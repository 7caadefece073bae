-- coverage.lua — which outcomes of which rules the test cases reached,
-- and the rule set's loose ends (parameters no rule reads).
--
-- Part of the engine's prelude (trusted).  Used by `verdict test` and
-- `verdict lint`.
local V, C = ...

local concat, insert = table.concat, table.insert
local X = V.eval
local T = V.text

local CV = {}
V.coverage = CV

-- Count the outcome of every rule for the record last evaluated in ctx.
function CV.note(ctx)
  local dec = ctx.dec
  local cov = dec.coverage
  if not cov then
    cov = { cases = 0 }
    for k = 1, #dec.rules do cov[k] = { [X.PASS] = 0, [X.FAIL] = 0, [X.UNK] = 0, [X.NA] = 0 } end
    dec.coverage = cov
  end
  cov.cases = cov.cases + 1
  for k = 1, #dec.rules do
    local r = ctx.res[k]
    if r ~= nil then cov[k][r] = cov[k][r] + 1 end   -- nil: after a rule that failed
  end
end

-- The words of the report, by language.
local W = {
  en = {
    outcomes = { "TRUE", "FALSE", "UNKNOWN" }, na = "n/a", rule = "rule", not_covered = "not covered",
    all = "TRUE, FALSE, UNKNOWN", anything = "anything", colon = ": ", sep = "; ",
    of = "coverage of decision %s (%d cases):", no_case = "coverage of decision %s: no test case",
    no_rules = "  (no rules: the verdicts read the columns directly)",
    none_applies = "none of the %d cases meets its applies condition: %s", none_makes = "no case makes it %s",
    gap = "rule %s is not exercised by any test case (%s)", no_case_for = "no case for decision %s",
    invalid = "(in %s, %d case%s stopped at INVALID, before any rule)", in_decision = "decision %s",
    in_all = "all decisions", unused = "parameter '%s' is not used by any rule",
    placeholder = "the message names {%s}, which is no column, value or parameter of decision %s%s; "
      .. "expected one of those names (the braces and the name are written out as they stand)",
    did_you_mean = " (did you mean {%s}?)",
    untranslated = "%s has %s in English (en) but not in Chinese (zh); with --lang zh the English is shown: "
      .. "expected zh = \"...\" beside it, in the policy's own words",
    a_message = "a message", a_title = "a title",
  },
  zh = {
    outcomes = { "通过", "未通过", "待定" }, na = "不适用", rule = "规则", not_covered = "未覆盖",
    all = "通过、未通过、待定", anything = "任何结果", colon = "：", sep = "；",
    of = "决策%s的规则覆盖情况（%d个测试用例）：", no_case = "决策%s的规则覆盖情况：没有测试用例",
    no_rules = "  （无规则：结论直接读取数据列）",
    none_applies = "%d个测试用例均不满足其适用条件：%s", none_makes = "没有测试用例得出%s",
    gap = "规则%s未被任何测试用例覆盖（%s）", no_case_for = "决策%s没有测试用例",
    invalid = "（%s中有%d个测试用例%s在任何规则之前即为INVALID）", in_decision = "决策%s",
    in_all = "全部决策", unused = "参数“%s”未被任何规则使用",
    placeholder = "说明文字中的{%s}不是决策%s的列、计算值或参数%s；应为其中之一的名称（否则花括号和名称将原样输出）",
    did_you_mean = "（是否想写{%s}？）",
    untranslated = "%s有英文（en）%s而没有中文（zh）；--lang zh时将显示英文：应在旁边写 zh = \"...\"，用政策原文的措辞",
    a_message = "说明", a_title = "标题",
  },
}
CV.words = W

-- Why an outcome (its word) was never seen.
local function why(dec, k, cov, outcome, lang)
  local c, w = cov[k], W[lang]
  if c[X.NA] == cov.cases then
    local rule = dec.rules[k]
    local cond = rule.raw and rule.raw.applies and V.compile.words(dec, rule.raw.applies, lang) or "?"
    return w.none_applies:format(cov.cases, cond)
  end
  return w.none_makes:format(outcome)
end

-- A line of the table: the rule's id, four counts, what is not covered.
local function row(id, counts, rest)
  local cells = { "  " .. T.pad(id, 24) }
  for j, width in ipairs({ 6, 6, 8, 6 }) do cells[j + 1] = T.pad(tostring(counts[j]), width, true) end
  return concat(cells, " ") .. "  " .. rest
end

-- What of rule k no case reached, as text ("-" where all was reached).
local function not_covered(dec, k, cov, lang)
  local c, w = cov[k], W[lang]
  if c[X.NA] == cov.cases then return w.all .. w.colon .. why(dec, k, cov, w.anything, lang) end
  local missing = {}
  for j, outcome in ipairs({ X.PASS, X.FAIL, X.UNK }) do
    local word = w.outcomes[j]
    if c[outcome] == 0 then insert(missing, word .. w.colon .. why(dec, k, cov, word, lang)) end
  end
  return #missing == 0 and "-" or concat(missing, w.sep)
end

-- The table of one decision that test cases reached, into out; its rules
-- no case exercises into gaps.
local function decision_table(out, gaps, dec, lang)
  local cov, w = dec.coverage, W[lang]
  insert(out, w.of:format(dec.name, cov.cases))
  insert(out, row(w.rule, { w.outcomes[1], w.outcomes[2], w.outcomes[3], w.na }, w.not_covered))
  if #dec.rules == 0 then insert(out, w.no_rules) end
  for k, rule in ipairs(dec.rules) do
    local c = cov[k]
    insert(out, row(rule.id, { c[X.PASS], c[X.FAIL], c[X.UNK], c[X.NA] }, not_covered(dec, k, cov, lang)))
    if c[X.PASS] + c[X.FAIL] + c[X.UNK] == 0 then
      insert(gaps, { where = rule.where, id = rule.id, msg = w.gap:format(rule.id, why(dec, k, cov, w.anything, lang)) })
    end
  end
end

-- The coverage table as text, and the gaps as { where, msg } problems: of
-- every decision, or only of the one called `only`; lang "en" or "zh".
function CV.report(invalid_cases, only, lang)
  local out, gaps, w = {}, {}, W[lang]
  for _, dec in ipairs(V.rs.decs) do
    if only and dec.name ~= only then
      -- another decision's: not asked for
    elseif dec.coverage then
      decision_table(out, gaps, dec, lang)
    else
      insert(out, w.no_case:format(dec.name))
      for _, rule in ipairs(dec.rules) do
        insert(gaps, { where = rule.where, id = rule.id, msg = w.gap:format(rule.id, w.no_case_for:format(dec.name)) })
      end
    end
  end
  if invalid_cases and invalid_cases > 0 then
    insert(out, w.invalid:format(only and w.in_decision:format(only) or w.in_all, invalid_cases,
      (invalid_cases == 1 or lang == "zh") and "" or "s"))
  end
  return concat(out, "\n") .. "\n", gaps
end

-- The names a message of dec may put in braces (a verdict's also the
-- record's: {reasons}, {missing}, ..., plan.lua's list).
local function is_extra(name)
  for _, n in ipairs(V.plan.VERDICT_EXTRAS) do
    if n == name then return true end
  end
  return false
end

local function known_names(dec, verdict)
  local names = {}
  for _, c in ipairs(dec.columns) do names[#names + 1] = c.name end
  for _, n in ipairs(dec.value_order or {}) do names[#names + 1] = n end
  for _, n in ipairs(V.rs.param_order) do names[#names + 1] = n end
  -- (in a fixed order: a tie in "did you mean" gives the same name each run)
  if verdict then for _, n in ipairs(V.plan.VERDICT_EXTRAS) do names[#names + 1] = n end end
  return names
end

-- A message's {name} that is no column, value or parameter: a typo
-- ({chain_memebrs}) is written out as it stands, in every record's
-- reason, with nothing said at load (the rule set still loads: lint's).
function CV.placeholders(lang)
  local out, w = {}, W[lang]
  for _, dec in ipairs(V.rs.decs or {}) do
    local function check(tpl, where, verdict)
      if type(tpl) ~= "string" then return end
      for name in tpl:gmatch("{([%w_%.]+)}") do
        local known = name:find(".", 1, true) or dec.col_index[name] or (dec.value_objs and dec.value_objs[name])
          or V.rs.pobj[name] or (verdict and is_extra(name))
        if not known then
          local best, bd = nil, 3
          for _, n in ipairs(known_names(dec, verdict)) do
            local d = V.dsl.distance(name, n)   -- (edits, for "did you mean")
            if d < bd then best, bd = n, d end
          end
          insert(out, (where or dec.where) .. ": " .. w.placeholder:format(name, dec.name,
            best and w.did_you_mean:format(best) or ""))
        end
      end
    end
    for _, r in ipairs(dec.rules) do
      check(r.en, r.where); check(r.zh, r.where)
      for _, p in ipairs(r.parts) do check(p.en, p.where or r.where); check(p.zh, p.where or r.where) end
    end
    for _, e in ipairs(dec.verdicts or {}) do check(e.en, e.where, true); check(e.zh, e.where, true) end
    if dec.incomplete then check(dec.incomplete.en, dec.where, true); check(dec.incomplete.zh, dec.where, true) end
  end
  return out
end

-- Messages and titles given in English only (every rule carries the
-- policy's Chinese wording: with --lang zh an English one would show).
function CV.untranslated(lang)
  local out, w = {}, W[lang]
  local function check(en, zh, what, kind, where)
    if en ~= nil and zh == nil then insert(out, where .. ": " .. w.untranslated:format(what, kind)) end
  end
  local function title(t, what, where)
    if type(t) == "table" then check(t.en, t.zh, what, w.a_title, where) end
  end
  for _, dec in ipairs(V.rs.decs or {}) do
    title(dec.title, lang == "zh" and ("决策“" .. dec.name .. "”") or ('decision "' .. dec.name .. '"'), dec.where)
    for _, r in ipairs(dec.rules) do
      local what = (lang == "zh" and "规则" or "rule ") .. r.id
      title(r.title, what, r.where)
      check(r.en, r.zh, what, w.a_message, r.where)
      for _, p in ipairs(r.parts) do
        check(p.en, p.zh, (lang == "zh" and "条件" or "part ") .. r.id .. "." .. tostring(p.id),
          w.a_message, p.where or r.where)
      end
    end
    for _, e in ipairs(dec.verdicts or {}) do
      check(e.en, e.zh, (lang == "zh" and "结论" or "verdict ") .. (e.token or (lang == "zh" and "（等级）" or "(graded)")), w.a_message, e.where or dec.where)
    end
    if dec.incomplete then
      check(dec.incomplete.en, dec.incomplete.zh, lang == "zh" and ("决策“" .. dec.name .. "”的信息不全说明")
        or ('the incomplete reason of decision "' .. dec.name .. '"'), w.a_message, dec.where)
    end
  end
  return out
end

-- Parameters no rule, value, criterion or function reads.
function CV.unused(lang)
  local out = {}
  for _, name in ipairs(V.rs.param_order) do
    local po = V.rs.pobj[name]
    if po and not po.used then
      insert(out, po.where .. ": " .. W[lang].unused:format(name))
    end
  end
  return out
end
