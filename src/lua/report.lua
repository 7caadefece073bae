-- report.lua — texts for people: the explanation of one record.
--
-- Part of the engine's prelude (trusted).  Reads the evaluation state the
-- last call of V.eval.run left in a context; changes nothing.
local V, C = ...

local concat, insert = table.concat, table.insert
local floor = math.floor
local T = V.text
local X = V.eval

local R = {}
V.report = R

local W = {
  en = {
    title = "record %s (line %s), id %s", decision = "decision", verdict = "verdict",
    reason = "reason", score = "score", failed = "failed", missing = "missing",
    ruleset = "rule set", as_of = "as of", engine = "engine", none = "(none)",
    deciding = "Deciding rules", reported = "Rules reported, not deciding (what is left to reach)",
    undecided = "Rules whose deciding is unknown", na = "Rules that do not apply",
    policy = "policy", read = "read", would = "What would decide it",
    needed_by = "needed by %s", values = "Values", scores = "Score",
    crit_head = { "criterion", "indicators (value / target)", "sub-score", "weight", "contribution" },
    sum = "sum of contributions %s; total %s (one decimal); grade %s",
    no_weights = "weights depend on %s, which is missing",
    weights_by = "weights for %s = %s",
    result = { pass = "pass", fail = "FAIL", unknown = "unknown", not_applicable = "n/a" },
    alternative = "(other)", message = "message",
    steps = "Verdict, step by step (each step's condition, and whether it holds; the first that holds gives the verdict)",
    condition = "condition: ",
    record = "Values read", holds = { pass = "holds", fail = "no", unknown = "unknown" },
  },
  zh = {
    title = "第%s条记录（第%s行），编号%s", decision = "决策", verdict = "结论",
    reason = "理由", score = "得分", failed = "未通过", missing = "缺失",
    ruleset = "规则集", as_of = "评估日期", engine = "引擎", none = "（无）",
    deciding = "决定结论的规则", reported = "仅报告、不决定结论的规则（尚待达到的条件）",
    undecided = "是否决定结论尚不确定的规则", na = "不适用的规则",
    policy = "政策原文", read = "读取", would = "决定结论所需的信息",
    needed_by = "%s需要", values = "计算值", scores = "评分",
    crit_head = { "指标", "数据（实际 / 目标）", "单项得分", "权重", "贡献" },
    sum = "贡献合计%s；总分%s（保留一位小数）；等级%s",
    no_weights = "权重取决于%s，该项缺失",
    weights_by = "权重按%s = %s取",
    result = { pass = "通过", fail = "未通过", unknown = "待定", not_applicable = "不适用" },
    alternative = "（备选）", message = "说明",
    steps = "结论的判定步骤（各步的条件及是否成立；第一个成立的一步给出结论）",
    condition = "条件：",
    record = "读取的数据", holds = { pass = "成立", fail = "不成立", unknown = "待定" },
  },
}
R.words = W

-- Names of the engine's own verdicts; a rule set names its own with
-- `label = { en = ..., zh = ... }` on a verdict or grade.
local ENGINE_VERDICTS = {
  INVALID = { en = "a cell could not be read", zh = "无法读取" },
  ERROR = { en = "a rule failed at run time", zh = "规则运行出错" },
  INCOMPLETE = { en = "information missing", zh = "信息不全" },
}

function R.verdict_label(dec, token, lang)
  for _, e in ipairs(dec.verdicts) do
    if e.token == token and e.label then return T.pick(e.label, lang) end
  end
  for _, g in ipairs(dec.grades or {}) do
    if g.token == token and g.label then return T.pick(g.label, lang) end
  end
  local e = ENGINE_VERDICTS[token]
  return e and e[lang]
end

-- The record's grade, in Chinese with its label: EXCELLENT（优秀）.
local function grade_shown(ctx, lang)
  local g = tostring(ctx.grade)
  local label = lang == "zh" and R.verdict_label(ctx.dec, ctx.grade, lang)
  return label and (g .. "（" .. label .. "）") or g
end

-- "name = value" for every input a rule or criterion read.
local function read_text(ctx, refs, lang)
  local dec = ctx.dec
  local out = {}
  local lookup = X.lookup_for(ctx, lang)
  for _, r in ipairs(refs) do
    local kind, name = r[1], r[2]
    local label = name
    if kind == "column" and lang == "zh" then
      label = dec.columns[dec.col_index[name]].zh
    end
    local val = kind == "as_of" and C.date_format(ctx.as_of) or lookup(name)
    insert(out, label .. " = " .. tostring(val))
  end
  return concat(out, T.words[lang].list_sep)
end

local function result_of(cond, ctx)
  local r = cond.eval(ctx)
  if r == nil then return "unknown" end
  return r and "pass" or "fail"
end

local function rule_block(out, ctx, k, rule, lang)
  local w = W[lang]
  local res = X.RESULT_NAME[ctx.res[k]]
  local title = T.pick(rule.title, lang)
  insert(out, ("  [%s] %s%s%s"):format(w.result[res], rule.id, title and (" — " .. title) or "",
    rule.clause and ("  (" .. rule.clause .. ")") or ""))
  if rule.quote then insert(out, "         " .. w.policy .. ": " .. rule.quote) end
  if res == "not_applicable" then return end
  if res == "fail" and (lang == "zh" and rule.zh or rule.en) then
    insert(out, "         " .. w.message .. ": " .. X.rule_message(ctx, rule, ctx.res[k], lang))
  end
  local lines = {}
  ctx.reads = {}
  for _, p in ipairs(rule.parts) do
    local pr = result_of(p.cond, ctx)
    local msg = X.part_message(ctx, p, lang, p.cond.eval(ctx))
    if pr == "fail" and p.cond.gap then
      local g = p.cond.gap(ctx, lang)
      if g then msg = msg .. " — " .. g end
    end
    -- In an any-of rule that passed, the alternatives not taken are not failures.
    local shown = w.result[pr]
    if rule.mode == "any" and res == "pass" and pr ~= "pass" then shown = w.alternative end
    lines[#lines + 1] = ("         %-8s %s: %s"):format(shown, p.id, msg)
  end
  local reads = ctx.reads
  ctx.reads = nil
  insert(out, "         " .. w.read .. ": " .. read_text(ctx, X.with_reads(ctx.dec, rule.refs, reads), lang))
  for _, l in ipairs(lines) do insert(out, l) end
end

-- The verdict list walked in order, up to the step that gave the verdict.
local function verdict_steps(out, ctx, lang)
  local dec = ctx.dec
  local w = W[lang]
  insert(out, "")
  insert(out, w.steps)
  for i, e in ipairs(dec.verdicts) do
    local r, msg
    if e.graded then
      r = ctx.score ~= nil
      msg = ctx.score and (T.one_decimal(ctx.score) .. " → " .. grade_shown(ctx, lang)) or w.none
      if ctx.score == nil then r = nil end
    else
      r = e.cond.eval(ctx)
      msg = e.cond.message(ctx, lang, r)
      if msg ~= "" then msg = w.condition .. msg end
    end
    local res = r == nil and "unknown" or (r and "pass" or "fail")
    local token = e.graded and (lang == "zh" and "等级" or "grade") or e.token
    insert(out, ("  %d. %-20s %-8s %s"):format(i, token, w.holds[res], msg ~= "" and msg or ""))
    if r ~= false then break end
  end
end

-- For each missing column: what it would have to be, and for which rule.
local function would_decide(out, ctx, lang)
  local dec = ctx.dec
  local w = W[lang]
  local lines, seen = {}, {}
  local function add(i, text)
    local key = i .. "\0" .. text
    if seen[key] then return end
    seen[key] = true
    local col = dec.columns[i]
    insert(lines, { i, ("  %s (%s): %s"):format(col.name, col.zh, text) })
  end
  for k, rule in ipairs(dec.rules) do
    -- a rule that is only reported (decides FALSE: the E/N/S/M rules of a
    -- preparatory request) decides nothing, whatever its missing cells
    if ctx.res[k] == X.UNK and ctx.decides[k] ~= false then
      local conds = {}
      if rule.applies.eval(ctx) == nil then insert(conds, { cond = rule.applies, id = rule.id }) end
      for _, p in ipairs(rule.parts) do
        if p.cond.eval(ctx) == nil then insert(conds, { cond = p.cond, id = p.id }) end
      end
      for _, c in ipairs(conds) do
        local set = {}
        c.cond.blame(ctx, set)
        for i = 1, #dec.columns do
          if set[i] then
            local subject = c.cond.subject == dec.columns[i].name
            if subject and c.cond.need then
              add(i, c.cond.need(ctx, lang) .. " (" .. c.id .. ")")
            else
              add(i, w.needed_by:format(c.id))
            end
          end
        end
      end
    end
  end
  local entry = ctx.verdict_entry
  if ctx.by_unknown and entry and entry.cond then
    local set = {}
    entry.cond.blame(ctx, set)
    for i = 1, #dec.columns do
      if set[i] then add(i, w.needed_by:format(lang == "zh" and ("结论" .. entry.token) or ("verdict " .. entry.token))) end
    end
  end
  if dec.scored and ctx.score == nil then
    local set = {}
    X.compute_score(ctx, dec, set)
    for i = 1, #dec.columns do
      if set[i] then add(i, w.needed_by:format(lang == "zh" and "评分" or "the score")) end
    end
  end
  if #lines == 0 then return end
  table.sort(lines, function(a, b) return a[1] < b[1] end)
  insert(out, "")
  insert(out, w.would)
  for _, l in ipairs(lines) do insert(out, l[2]) end
end

local function score_table(out, ctx, lang)
  local dec = ctx.dec
  local w = W[lang]
  insert(out, "")
  insert(out, w.scores)
  local weights = X.weights_of(ctx, dec)
  if not weights then
    local col = dec.weights.col
    insert(out, "  " .. w.no_weights:format(lang == "zh" and col.zh or col.name))
  elseif dec.weights then
    -- the cell that chose them (no criterion reads it)
    local col = dec.weights.col
    insert(out, "  " .. w.weights_by:format(lang == "zh" and col.zh or col.name,
      T.value(ctx.v[col.index], col.base, lang, col)))
  end
  local rows = { w.crit_head }
  local sum = 0
  for _, cr in ipairs(dec.criteria) do
    local weight = weights and (weights[cr.id] or 0)
    local inds = {}
    for _, ind in ipairs(cr.indicators) do
      local t = X.indicator_target(ctx, dec, ind)
      local name = ind.operand.label(lang) or tostring(ind.name)
      local xv = ind.operand.text(ctx, lang)
      if ind.kind == "bool" then
        insert(inds, name .. " " .. xv)
      else
        insert(inds, name .. " " .. xv .. " / " .. (t and T.number(t) or T.words[lang].missing))
      end
    end
    local sub = X.criterion_score(ctx, dec, cr)
    local contrib = (sub and weight) and sub * weight / 100 or nil
    if contrib then sum = sum + contrib end
    local title = T.pick(cr.title, lang)
    rows[#rows + 1] = {
      cr.id .. (title and (" " .. title) or ""), concat(inds, "; "),
      sub and ("%.4f"):format(sub) or "-", weight and T.number(weight) or "-",
      contrib and ("%.4f"):format(contrib) or "-",
    }
  end
  -- Align the columns (CJK characters count two).
  local width = {}
  local dw = T.width
  for _, row in ipairs(rows) do
    for j, cell in ipairs(row) do width[j] = math.max(width[j] or 0, dw(cell)) end
  end
  for _, row in ipairs(rows) do
    local cells = {}
    for j, cell in ipairs(row) do
      cells[j] = cell .. string.rep(" ", (j < #row) and (width[j] - dw(cell)) or 0)
    end
    insert(out, "  " .. concat(cells, "  "))
  end
  if ctx.score ~= nil then
    insert(out, "  " .. w.sum:format(("%.4f"):format(sum), T.one_decimal(ctx.score), grade_shown(ctx, lang)))
  end
end

-- The explanation of the record last evaluated in ctx.  meta: row, line,
-- id, verdict, reason, failed, missing, digest, ruleset, version, as_of,
-- engine, invalid.
function R.explain(ctx, lang, meta)
  local dec = ctx.dec
  local w = W[lang]
  local out = {}
  local title = T.pick(dec.title, lang)
  insert(out, w.title:format(meta.row, meta.line, meta.id))
  local function field(name, value)
    local label = name .. (lang == "zh" and "：" or ":")
    insert(out, label .. string.rep(" ", math.max(1, 11 - T.width(label))) .. value)
  end
  field(w.decision, dec.name .. (title and (" (" .. title .. ")") or ""))
  local vlabel = R.verdict_label(dec, meta.verdict, lang)
  field(w.verdict, meta.verdict .. (vlabel and (lang == "zh" and ("（" .. vlabel .. "）") or (" (" .. vlabel .. ")")) or ""))
  field(w.reason, meta.reason)
  if dec.scored and not meta.invalid then
    field(w.score, ctx.score and (T.one_decimal(ctx.score) ..
      (lang == "zh" and ("，" .. grade_shown(ctx, lang)) or (" (" .. grade_shown(ctx, lang) .. ")"))) or w.none)
  end
  field(w.failed, meta.failed ~= "" and meta.failed or w.none)
  field(w.missing, meta.missing ~= "" and meta.missing or w.none)
  field(w.ruleset, meta.ruleset .. " " .. meta.version .. ", sha256:" .. meta.digest)
  field(w.as_of, meta.as_of)
  field(w.engine, meta.engine)
  if meta.invalid or meta.verdict == "ERROR" then return concat(out, "\n") .. "\n" end
  -- Rules: deciding first, then the reported ones, then the rest.
  local groups = { {}, {}, {}, {} }
  for k, rule in ipairs(dec.rules) do
    local g
    if ctx.res[k] == X.NA then g = 4
    elseif ctx.decides[k] == true then g = 1
    elseif ctx.decides[k] == false then g = 2
    else g = 3 end
    insert(groups[g], k)
  end
  -- Within the deciding rules, the ones that failed or are unknown first.
  local order = { [X.FAIL] = 1, [X.UNK] = 2, [X.PASS] = 3 }
  table.sort(groups[1], function(a, b)
    local oa, ob = order[ctx.res[a]] or 4, order[ctx.res[b]] or 4
    if oa ~= ob then return oa < ob end
    return a < b
  end)
  local heads = { w.deciding, w.reported, w.undecided, w.na }
  for g = 1, 3 do
    if #groups[g] > 0 then
      insert(out, "")
      insert(out, heads[g])
      for _, k in ipairs(groups[g]) do rule_block(out, ctx, k, dec.rules[k], lang) end
    end
  end
  if #groups[4] > 0 then
    local ids = {}
    for _, k in ipairs(groups[4]) do insert(ids, dec.rules[k].id) end
    insert(out, "")
    insert(out, heads[4] .. ": " .. concat(ids, ", "))
  end
  if #dec.rules == 0 then
    -- No rules: show the record's own values, then the verdict's steps.
    insert(out, "")
    insert(out, w.record)
    local lookup = X.lookup_for(ctx, lang)
    for _, c in ipairs(dec.columns) do
      insert(out, ("  %s (%s) = %s"):format(c.name, c.zh, lookup(c.name)))
    end
  end
  verdict_steps(out, ctx, lang)
  local any_failed = false
  for k = 1, #dec.rules do
    if ctx.res[k] == X.FAIL and ctx.decides[k] == true then any_failed = true end
  end
  if not any_failed then would_decide(out, ctx, lang) end
  if #dec.value_order > 0 then
    insert(out, "")
    insert(out, w.values)
    local lookup = X.lookup_for(ctx, lang)
    for _, name in ipairs(dec.value_order) do
      local decl = dec.value_objs[name].decl
      local label = T.pick(decl.title, lang) or (lang == "zh" and decl.zh) or (lang ~= "zh" and decl.en) or nil
      insert(out, ("  %s = %s%s"):format(name, lookup(name), label and ("  (" .. label .. ")") or ""))
    end
  end
  if dec.scored then score_table(out, ctx, lang) end
  return concat(out, "\n") .. "\n"
end


---------------------------------------------------------------------------
-- The rulebook: the rule set read back for people, as Markdown or HTML.
---------------------------------------------------------------------------

local K = V.compile

local B = {
  en = {
    title = "Rulebook", ruleset = "Rule set", params = "Parameters",
    param_head = { "parameter", "value", "in force from", "clause", "note" },
    columns = "Columns", col_head = { "column", "中文", "type", "allowed values", "required", "meaning" },
    forms = { bool = "yes/no (also true/false, y/n, 1/0, 是/否; any case)",
              date = "YYYY-MM-DD (also 2024/3/15, 2024.3.15, 2024年3月15日)" },
    values = "Derived values", rules = "Rules", verdicts = "Verdicts (the first that holds)",
    applies = "applies", decides = "decides", condition = "condition", all = "all of", any = "any of",
    always = "always", scores = "Scores", criteria_head = { "criterion", "clause", "indicators (target)" },
    weights = "Weights by %s", grades = "Grade bands", grade_head = { "grade", "minimum total" },
    scale = "Targets of counts and amounts are multiplied by: %s", since = "since", yes = "yes", no = "",
    required = "required", optional = "optional column", needed = "column needed, cell may be empty",
    message = "message", engine = "INCOMPLETE where the first condition reached is unknown",
    incomplete = "; its reason then: %s",
    graded = "the grade of the total score",
  },
  zh = {
    title = "规则手册", ruleset = "规则集", params = "参数",
    param_head = { "参数", "取值", "生效日期", "条款", "说明" },
    columns = "数据列", col_head = { "列名", "English", "类型", "取值", "必填", "含义" },
    forms = { bool = "是/否（也可 true/false、yes/no、y/n、1/0，不分大小写）",
              date = "YYYY-MM-DD（也可 2024/3/15、2024.3.15、2024年3月15日）" },
    values = "计算值", rules = "规则", verdicts = "结论（按顺序取第一个成立者）",
    applies = "适用", decides = "决定结论", condition = "条件", all = "同时满足", any = "满足其一",
    always = "总是", scores = "评分", criteria_head = { "指标", "条款", "数据（目标）" },
    weights = "权重（按%s）", grades = "等级", grade_head = { "等级", "总分下限" },
    scale = "计数与金额类目标乘以：%s", since = "自", yes = "是", no = "",
    required = "必填", optional = "可无此列", needed = "列须有，可空",
    message = "说明", engine = "无论进行到哪一步：若该步条件待定（需要缺失的数据），结论为INCOMPLETE（信息不全）。INVALID（单元格无法读取）与ERROR（规则运行出错）先于此列表给出。",
    incomplete = "此时的说明：%s",
    graded = "总分对应的等级",
  },
}

-- Blocks: { "h", level, text } { "p", text } { "quote", text }
-- { "list", items } { "table", rows (first = header) }.
local function param_rows(rs, lang)
  local w = B[lang]
  local rows = { w.param_head }
  for _, name in ipairs(rs.param_order) do
    local po = rs.pobj[name]
    if po.dated then
      for _, d in ipairs(po.dated) do
        rows[#rows + 1] = { name, T.value(d.value, po.kind, lang), C.date_format(d.from), po.clause or "", po.note or "" }
      end
    else
      rows[#rows + 1] = { name, T.value(po.value, po.kind, lang), "", po.clause or "", po.note or "" }
    end
  end
  return rows
end

-- A column's type and allowed values as `verdict schema` gives them
-- (src/cmd_schema.c): the contract's type words (int, number), the rule
-- set's finer kind (count, money, ratio) said after the bounds.
local SHOWN_TYPE = { count = "int", money = "number", ratio = "number" }

local function allowed(c, w, zh)
  local vals = {}
  for k, tok in ipairs(c.tokens) do
    vals[k] = zh and (c.labels[k] .. " (" .. tok .. ")") or (tok .. " (" .. c.labels[k] .. ")")
  end
  local s = concat(vals, zh and "、" or ", ")
  local min, max = c.min, c.max
  if min and max then s = s .. T.number(min) .. (zh and "至" or " to ") .. T.number(max)
  elseif min then s = s .. T.number(min) .. (zh and "或以上" or " or more")
  elseif max then s = s .. T.number(max) .. (zh and "或以下" or " or less") end
  if c.type == "bool" or c.type == "date" then s = s .. w.forms[c.type] end
  if c.type == "money" then s = s .. (zh and "，单位万元" or ", in 万元") end
  if SHOWN_TYPE[c.type] then s = s .. (zh and ("（" .. c.type .. "）") or (" (" .. c.type .. ")")) end
  return s
end

local function decision_blocks(out, dec, lang)
  local w = B[lang]
  local zh = lang == "zh"
  local title = T.pick(dec.title, lang)
  out[#out + 1] = { "h", 2, dec.name .. (title and (" — " .. title) or "") }
  -- The clause the decision as a whole carries out (one without rules of
  -- its own, such as preparatory), with the policy's own words.
  if dec.clause or dec.quote then
    out[#out + 1] = { "p", (zh and "条款：" or "Clause: ") .. (dec.clause or "")
      .. (dec.quote and ((dec.clause and " " or "") .. "「" .. dec.quote .. "」") or "") }
  end
  out[#out + 1] = { "h", 3, w.columns }
  local rows = { w.col_head }
  for _, c in ipairs(dec.columns) do
    rows[#rows + 1] = { zh and c.zh or c.name, zh and c.name or c.zh, SHOWN_TYPE[c.type] or c.type,
      allowed(c, w, zh), c.required and w.required or c.optional and w.optional or w.needed,
      (zh and c.meaning_zh) or c.meaning or "" }
  end
  out[#out + 1] = { "table", rows }
  if #dec.value_order > 0 then
    out[#out + 1] = { "h", 3, w.values }
    local items = {}
    for _, name in ipairs(dec.value_order) do
      local decl = dec.value_objs[name].decl
      items[#items + 1] = name .. " = " .. K.operand_words(dec, decl.expr, lang)
    end
    out[#out + 1] = { "list", items }
  end
  if #dec.rules > 0 then
    out[#out + 1] = { "h", 3, w.rules }
    for _, rule in ipairs(dec.rules) do
      local rt = T.pick(rule.title, lang)
      out[#out + 1] = { "h", 4, rule.id .. (rt and (" — " .. rt) or "") .. (rule.clause and (" (" .. rule.clause .. ")") or "") }
      if rule.quote then out[#out + 1] = { "quote", rule.quote } end
      local items = {}
      items[#items + 1] = w.applies .. ": " .. (rule.raw.applies and K.words(dec, rule.raw.applies, lang) or w.always)
      items[#items + 1] = w.decides .. ": " .. (rule.raw.decides and K.words(dec, rule.raw.decides, lang) or w.always)
      if #rule.parts == 1 and rule.raw.when then
        items[#items + 1] = w.condition .. ": " .. K.words(dec, rule.parts[1].raw, lang)
      else
        local mode = rule.mode == "any" and w.any or w.all
        items[#items + 1] = w.condition .. " (" .. mode .. "):"
        for _, p in ipairs(rule.parts) do
          items[#items + 1] = "  " .. p.id .. ": " .. K.words(dec, p.raw, lang)
        end
      end
      local msg = zh and rule.zh or rule.en
      if msg then items[#items + 1] = w.message .. ": " .. msg end
      out[#out + 1] = { "list", items }
    end
  end
  out[#out + 1] = { "h", 3, w.verdicts }
  local items = {}
  for i, e in ipairs(dec.verdicts) do
    local cond = e.graded and w.graded or K.words(dec, e.raw, lang)
    -- in Chinese with the verdict's Chinese label: READY_FOR_SELECTION（可申请遴选）
    local label = zh and e.token and e.label and T.pick(e.label, lang)
    items[i] = (e.token or (zh and "等级" or "grade")) .. (label and ("（" .. label .. "）") or "") .. (zh and "：" or ": ") .. cond
  end
  out[#out + 1] = { "list", items, ordered = true }
  local m = dec.incomplete and (zh and (dec.incomplete.zh or dec.incomplete.en) or dec.incomplete.en)
  out[#out + 1] = { "p", w.engine .. (m and w.incomplete:format(m) or "") }
  if dec.scored then
    out[#out + 1] = { "h", 3, w.scores }
    local crows = { w.criteria_head }
    for _, cr in ipairs(dec.criteria) do
      local inds = {}
      for _, ind in ipairs(cr.indicators) do
        local target = ""
        if ind.target then
          local po = ind.target.param
          local t = po and (po.name .. " = " .. (po.dated and (zh and "按日期" or "dated") or T.value(po.value, po.kind, lang)))
            or (ind.target.literal and ind.target.text({}, lang)) or "?"
          target = (zh and "，目标 " or ", target ") .. t .. (ind.scaled and "" or (zh and "，不随考核类型倍增" or ", not scaled"))
        end
        inds[#inds + 1] = tostring(ind.name) .. target
      end
      if cr.score then inds[#inds + 1] = zh and "Lua计算" or "computed in Lua" end
      local ct = T.pick(cr.title, lang)
      -- the clause with the policy's own words, as for a rule
      local clause = (cr.clause or "") .. (cr.quote and ((cr.clause and " " or "") .. "「" .. cr.quote .. "」") or "")
      crows[#crows + 1] = { cr.id .. (ct and (" " .. ct) or ""), clause, concat(inds, "; ") }
    end
    out[#out + 1] = { "table", crows }
    if dec.scale then
      local f = {}
      for _, tok in ipairs(dec.scale.col.tokens) do
        if dec.scale.factors[tok] then f[#f + 1] = tok .. " × " .. T.number(dec.scale.factors[tok]) end
      end
      out[#out + 1] = { "p", w.scale:format(concat(f, ", ")) }
    end
    if dec.weights then
      local col = dec.weights.col
      out[#out + 1] = { "h", 4, w.weights:format(zh and col.zh or col.name) }
      local head = { zh and "指标" or "criterion" }
      for _, tok in ipairs(col.tokens) do head[#head + 1] = tok end
      local wrows = { head }
      for _, cr in ipairs(dec.criteria) do
        local row = { cr.id }
        for _, tok in ipairs(col.tokens) do row[#row + 1] = T.number((dec.weights.by[tok] or {})[cr.id] or 0) end
        wrows[#wrows + 1] = row
      end
      out[#out + 1] = { "table", wrows }
    end
    out[#out + 1] = { "h", 4, w.grades }
    local grows = { w.grade_head }
    for _, g in ipairs(dec.grades) do grows[#grows + 1] = { g.token, T.number(g.min) } end
    out[#out + 1] = { "table", grows }
  end
end

local function md_escape(s) return (tostring(s):gsub("|", "\\|"):gsub("\n", " ")) end
local function html_escape(s)
  return (tostring(s):gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function render_md(blocks)
  local out = {}
  for _, b in ipairs(blocks) do
    local kind = b[1]
    if kind == "h" then out[#out + 1] = string.rep("#", b[2]) .. " " .. b[3] .. "\n"
    elseif kind == "p" then out[#out + 1] = b[2] .. "\n"
    elseif kind == "quote" then out[#out + 1] = "> " .. b[2] .. "\n"
    elseif kind == "list" then
      local lines = {}
      for i, item in ipairs(b[2]) do
        local indent, text = item:match("^(%s*)(.*)$")
        lines[i] = indent .. (b.ordered and (i .. ". ") or "- ") .. text
      end
      out[#out + 1] = concat(lines, "\n") .. "\n"
    elseif kind == "table" then
      local lines = {}
      for i, row in ipairs(b[2]) do
        local cells = {}
        for j, c in ipairs(row) do cells[j] = md_escape(c) end
        lines[#lines + 1] = "| " .. concat(cells, " | ") .. " |"
        if i == 1 then lines[#lines + 1] = "|" .. string.rep(" --- |", #row) end
      end
      out[#out + 1] = concat(lines, "\n") .. "\n"
    end
  end
  return concat(out, "\n")
end

local function render_html(blocks, lang, title)
  local out = { '<!DOCTYPE html>\n<html lang="' .. (lang == "zh" and "zh-CN" or "en") .. '">\n<head><meta charset="utf-8">' ..
    "<title>" .. html_escape(title) .. "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:auto}" ..
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}" ..
    "blockquote{color:#444;border-left:3px solid #ccc;margin-left:0;padding-left:1em}</style></head>\n<body>" }
  for _, b in ipairs(blocks) do
    local kind = b[1]
    if kind == "h" then out[#out + 1] = ("<h%d>%s</h%d>"):format(b[2], html_escape(b[3]), b[2])
    elseif kind == "p" then out[#out + 1] = "<p>" .. html_escape(b[2]) .. "</p>"
    elseif kind == "quote" then out[#out + 1] = "<blockquote>" .. html_escape(b[2]) .. "</blockquote>"
    elseif kind == "list" then
      local tag = b.ordered and "ol" or "ul"
      local items = {}
      for i, item in ipairs(b[2]) do items[i] = "<li>" .. html_escape(item) .. "</li>" end
      out[#out + 1] = "<" .. tag .. ">" .. concat(items) .. "</" .. tag .. ">"
    elseif kind == "table" then
      local rows = {}
      for i, row in ipairs(b[2]) do
        local cells = {}
        local t = i == 1 and "th" or "td"
        for j, c in ipairs(row) do cells[j] = "<" .. t .. ">" .. html_escape(c) .. "</" .. t .. ">" end
        rows[i] = "<tr>" .. concat(cells) .. "</tr>"
      end
      out[#out + 1] = "<table>" .. concat(rows, "\n") .. "</table>"
    end
  end
  out[#out + 1] = "</body>\n</html>\n"
  return concat(out, "\n")
end

-- The rulebook of the loaded rule set.  fmt: "md" or "html".  only: nil
-- for every decision, or the name of the one to describe (the rule set's
-- title and parameters are given either way).
function R.rulebook(lang, fmt, digest, only)
  local rs = V.rs
  local w = B[lang]
  local title = T.pick(rs.info.title, lang) or rs.info.name
  local blocks = {
    { "h", 1, w.title .. ": " .. tostring(title) },
    { "p", w.ruleset .. " `" .. tostring(rs.info.name) .. "` " .. tostring(rs.info.version or "") ..
      ", sha256:" .. digest },
    { "h", 2, w.params },
    { "table", param_rows(rs, lang) },
  }
  for _, dec in ipairs(rs.decs) do
    if not only or dec.name == only then decision_blocks(blocks, dec, lang) end
  end
  if fmt == "html" then return render_html(blocks, lang, w.title .. ": " .. tostring(title)) end
  return render_md(blocks)
end
