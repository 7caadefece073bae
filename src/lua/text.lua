-- text.lua — how values, names and messages read, in English and Chinese.
--
-- Part of the engine's prelude (trusted code, loaded before any rule file).
-- Receives the shared module table V and the C helpers C.  Knows nothing of
-- any policy: names, labels and messages come from the rule set.
local V, C = ...

local T = {}
V.text = T

local concat, format, floor = table.concat, string.format, math.floor

-- Engine words, by language.
T.words = {
  en = {
    yes = "yes", no = "no", missing = "(missing)", sep = "; ", list_sep = ", ",
    pass = "pass", fail = "fail", unknown = "unknown", not_applicable = "not applicable",
    any_sep = "; and ", not_prefix = "must not hold: ", a_value = "a value it needs",
    missing_prefix = "missing ",
    unknown_value = "incomplete: a value it needs is not known (e.g. a parameter with no value on that date)",
  },
  zh = {
    yes = "是", no = "否", missing = "（未填写）", sep = "；", list_sep = "、",
    pass = "通过", fail = "未通过", unknown = "待定", not_applicable = "不适用",
    any_sep = "；且", not_prefix = "须不满足：", a_value = "所需数值", missing_prefix = "未填写：",
    unknown_value = "信息不全：所需数值无法确定（如参数在该日期尚无取值）",
  },
}

-- A number as a person writes it: 3, 2.5, 0.125 (never 3.0 or 2.5000001).
function T.number(x)
  if x == floor(x) and x > -1e15 and x < 1e15 then
    return format("%d", x)
  end
  -- the shortest text that reads back as x (an auditor sees the value
  -- used: 1999.99999999 is not 2000); numtext.c's numtext_g10 the same
  local s = format("%.15g", x)
  if tonumber(s) == x then return s end
  s = format("%.16g", x)
  if tonumber(s) == x then return s end
  return (format("%.17g", x))
end

-- One decimal, half away from zero, for scores.
-- Half up; 1e-11 absorbs the rounding of a weighted sum near 1,000 (a few
-- units of 1e-13) so that 84.95 computed as 84.94999999999999 gives 85.0,
-- while a total truly below the tie (84.949999999975, from 1979.99999999
-- 万元) still gives 84.9 (with 1e-9 it gave 85.0; found by an audit).
function T.one_decimal(x)
  local r = floor(x * 10 + 0.5 + 1e-11) / 10
  return format("%.1f", r), r
end

local TYPE_ZH = { table = "表", ["function"] = "函数", userdata = "用户数据", thread = "协程" }

-- A value of a given type as text.  kind: "date", "bool", "enum", "number",
-- "string", "list"; col: the column (for enum labels) or nil.
function T.value(x, kind, lang, col)
  local w = T.words[lang]
  if x == nil then return w.missing end
  local tx = type(x)
  if kind == "date" and math.type(x) == "integer" then return C.date_format(x) end
  if tx == "boolean" then return x and w.yes or w.no end
  if tx == "number" then return T.number(x) end
  if tx == "table" then
    local parts = {}
    for i = 1, #x do parts[i] = T.value(x[i], nil, lang) end
    return concat(parts, w.list_sep)
  end
  if kind == "enum" and col and lang == "zh" then
    local label = col.label_of[x]
    if label then return label end
  end
  -- (an fn's function: its type, not an address that changes every run)
  if tx ~= "string" then return lang == "zh" and ("（" .. (TYPE_ZH[tx] or tx) .. "）") or ("(a " .. tx .. ")") end
  return tostring(x)
end

-- Display width of a text: CJK and other wide characters count two.
function T.width(s)
  local n = 0
  for _, c in utf8.codes(s) do n = n + (c >= 0x1100 and 2 or 1) end
  return n
end

-- s padded with spaces to display width w: on the right, or (right_align)
-- on the left.
function T.pad(s, w, right_align)
  local fill = string.rep(" ", w - T.width(s))
  return right_align and fill .. s or s .. fill
end

-- Fill {name} placeholders from a lookup function(name) -> text or nil.
-- Unknown names are left as written, so a typo shows in the output.
function T.fill(template, lookup)
  return (template:gsub("{([%w_%.]+)}", function(name)
    local s = lookup(name)
    if s == nil then return nil end
    return s
  end))
end

-- A bilingual text field: a string (same in both languages) or {en=, zh=}.
function T.pick(field, lang)
  if field == nil then return nil end
  if type(field) == "string" then return field end
  return field[lang] or field.en or field.zh
end

-- Wording of the automatic messages of conditions.  %X is the subject's
-- name, %x its value, %y / %lo / %hi the other operands.
T.auto = {
  en = {
    [">="] = "%X is %x; at least %y required",
    [">"] = "%X is %x; more than %y required",
    ["<="] = "%X is %x; at most %y allowed",
    ["<"] = "%X is %x; less than %y required",
    ["=="] = "%X is %x; must equal %y",
    ["d>="] = "%X is %x; must be on or after %y",
    ["d>"] = "%X is %x; must be after %y",
    ["d<="] = "%X is %x; must be on or before %y",
    ["d<"] = "%X is %x; must be before %y",
    between = "%X is %x; must be from %lo to %hi",
    is = "%X is %x; must be %y",
    is_not = "%X is %x; must not be %y",
    is_true = "%X is %x; must be yes",
    is_false = "%X is %x; must be no",
    one_of = "%X is %x; must be one of %y",
    present = "%X is %x; a value is required",
    missing = "%X is %x; must be empty",
    unknown = "%X is missing",
    check = "%X: condition at %y is not met",
  },
  zh = {
    [">="] = "%X为%x，须不少于%y",
    [">"] = "%X为%x，须多于%y",
    ["<="] = "%X为%x，须不多于%y",
    ["<"] = "%X为%x，须少于%y",
    ["=="] = "%X为%x，须等于%y",
    ["d>="] = "%X为%x，须不早于%y",
    ["d>"] = "%X为%x，须晚于%y",
    ["d<="] = "%X为%x，须不晚于%y",
    ["d<"] = "%X为%x，须早于%y",
    between = "%X为%x，须在%lo至%hi之间",
    is = "%X为%x，须为%y",
    is_not = "%X为%x，不得为%y",
    is_true = "%X为%x，须为是",
    is_false = "%X为%x，须为否",
    one_of = "%X为%x，须为%y之一",
    present = "%X为%x，须填写",
    missing = "%X为%x，须为空",
    unknown = "%X未填写",
    check = "%X：%y处的条件未满足",
  },
}

function T.auto_message(lang, key, subs)
  local pattern = T.auto[lang][key] or key
  return (pattern:gsub("%%(%a+)", function(k)
    local s = subs[k]
    if s == nil then return "%" .. k end
    return s
  end))
end

-- What a condition requires of its subject, without the subject's value
-- (for "what would decide it").
T.need = {
  en = {
    [">="] = "at least %y", [">"] = "more than %y", ["<="] = "at most %y", ["<"] = "less than %y",
    ["=="] = "equal to %y", ["d>="] = "on or after %y", ["d>"] = "after %y",
    ["d<="] = "on or before %y", ["d<"] = "before %y", between = "from %lo to %hi",
    is = "%y", is_not = "anything but %y", is_true = "yes", is_false = "no",
    one_of = "one of %y", present = "filled in", missing = "empty",
  },
  zh = {
    [">="] = "不少于%y", [">"] = "多于%y", ["<="] = "不多于%y", ["<"] = "少于%y",
    ["=="] = "等于%y", ["d>="] = "不早于%y", ["d>"] = "晚于%y",
    ["d<="] = "不晚于%y", ["d<"] = "早于%y", between = "在%lo至%hi之间",
    is = "%y", is_not = "不为%y", is_true = "是", is_false = "否",
    one_of = "%y之一", present = "已填写", missing = "为空",
  },
}

function T.need_text(lang, key, subs)
  local pattern = T.need[lang][key] or key
  return (pattern:gsub("%%(%a+)", function(k) return subs[k] or ("%" .. k) end))
end

-- A declaration as messages name it ('rule "E1"', "graded"), in Chinese.
local KIND_ZH = { column = "列", value = "计算值", part = "条件", rule = "规则", verdict = "结论",
  criterion = "考评指标", param = "参数", decision = "决策", extend = "扩展" }
local function label_zh(label)
  local kind, name = label:match('^(%a+) "(.*)"$')
  if kind and KIND_ZH[kind] then return KIND_ZH[kind] .. "“" .. name .. "”" end
  if label == "ruleset" then return "规则集声明" end
  if label == "graded" then return "分级结论" end
  return label
end
local function list_zh(list) return (list:gsub(", ", "、")) end

-- Lua's own run-time errors in a rule's plain Lua, in Chinese: the kinds
-- of value and of name Lua words them with.
local LUA_KIND_ZH = { number = "数字", string = "文本", ["nil"] = "空值（nil）", boolean = "是/否值",
  table = "表", ["function"] = "函数", userdata = "userdata", thread = "协程" }
local LUA_NAME_ZH = { field = "字段", ["local"] = "局部变量", global = "全局变量", upvalue = "上值",
  constant = "常量", method = "方法" }
local function kind_zh(k) return LUA_KIND_ZH[k] or k end
-- " (field 'x')" after Lua's message, in Chinese: "（字段“x”）".
local function lua_name_zh(tail)
  local what, name = tail:match("^ %((%a+) '(.-)'%)$")
  if not what then return tail end
  return "（" .. (LUA_NAME_ZH[what] or what) .. "“" .. name .. "”）"
end

-- The problems lint reports most often, in Chinese: an English form (a
-- pattern of the whole message) and its Chinese with the same captures
-- (or a function of them).  A message of no form here stays as written
-- (Lua's own syntax errors too).
T.problems = {
  zh = {
    { '^(.-): unknown field "(.-)"; did you mean "(.-)"%?$', function(label, k, best)
      return label_zh(label) .. "：未知字段“" .. k .. "”；是否应为“" .. best .. "”？" end },
    { '^(.-): unknown field "(.-)"; expected one of (.*)$', function(label, k, list)
      return label_zh(label) .. "：未知字段“" .. k .. "”；应为" .. list_zh(list) .. "之一" end },
    { '^extend "(.-)": field "(.-)" cannot be extended; it belongs in decision "(.-)" itself; expected one of (.*)$',
      function(name, k, _, list)
        return "扩展“" .. name .. "”：字段“" .. k .. "”不能用extend添加，只能写在决策“" .. name
          .. "”本身中；应为" .. list_zh(list) .. "之一" end },
    { '^extend "(.-)": found an entry with no field name; expected the entries in one of (.-), e%.g%. (.*)$',
      function(name, list, eg)
        return "扩展“" .. name .. "”：有一项没有字段名；各项应写在" .. list_zh(list) .. "之一中，如 " .. eg end },
    { "^not valid UTF%-8 %(byte (0x%x%x), byte (%d+) of the line%); a rule file must be saved as UTF%-8 %(one saved as GBK or GB18030: (.-)%)$",
      "不是有效的UTF-8（该行第%2个字节为%1）；规则文件须以UTF-8编码保存（以GBK或GB18030保存的文件可用 %3 转换）" },
    { '^ruleset is declared twice %(first at (.-)%)$', '规则集声明（ruleset）重复（首次声明于%1）' },
    { '^unknown column or value "(.-)" in decision "(.-)"; for a date write date "(.-)"$',
      '决策“%2”中没有列或计算值“%1”；日期应写作 date "%3"' },
    { '^unknown column or value "(.-)" in decision "(.-)"$', '决策“%2”中没有列或计算值“%1”' },
    { '^unknown column or value "(.-)" in decision "(.-)"; for a number write (.-) without quotes$',
      '决策“%2”中没有列或计算值“%1”；数字应写作 %3，不加引号' },
    { '^unknown rule "(.-)" in except$', 'except中没有规则“%1”' },
    { "^'(.-)' is not available to rule files: (.*)$", function(name, why)
      for key, en in pairs(V.dsl.denied_reasons.en) do
        if en == why then return "规则文件不能使用“" .. name .. "”：" .. V.dsl.denied_reasons.zh[key] end
      end
      return "规则文件不能使用“" .. name .. "”：" .. why
    end },
    { "^undefined name '(.-)'$", "未定义的名称“%1”" },
    { "^attempt to compare two (%a+) values$", function(k) return "无法比较两个" .. kind_zh(k) end },
    { "^attempt to compare (%a+) with (%a+)$", function(a, b) return "无法比较" .. kind_zh(a) .. "与" .. kind_zh(b) end },
    { "^attempt to perform arithmetic on a (%a+) value(.*)$", function(k, t)
      return "无法对" .. kind_zh(k) .. "做算术运算" .. lua_name_zh(t) end },
    { "^attempt to index a (%a+) value(.*)$", function(k, t) return "无法从" .. kind_zh(k) .. "中取值" .. lua_name_zh(t) end },
    { "^attempt to call a (%a+) value(.*)$", function(k, t) return "无法调用" .. kind_zh(k) .. lua_name_zh(t) end },
    { "^attempt to concatenate a (%a+) value(.*)$", function(k, t) return "无法连接" .. kind_zh(k) .. lua_name_zh(t) end },
    { "^attempt to get length of a (%a+) value(.*)$", function(k, t) return "无法取" .. kind_zh(k) .. "的长度" .. lua_name_zh(t) end },
    { "^number has no integer representation$", "数字没有整数表示" },
    { "^string%.format: '%%p' writes an address in memory, .*$",
      "string.format：“%%p”写出的是内存地址，每次运行都不同；应改用其他格式（同一输入须得出同一结论）" },
    { "^(%a+): a key of the table is a (%a+), which has no order .*$", function(f, k)
      return f .. "：表的某个键是" .. kind_zh(k) .. "，没有每次运行都相同的顺序；键应为数字、文本或true/false（列表请用ipairs遍历）" end },
    { "^bad argument #(%d+) to '(.-)' %((.*)%)$", "函数“%2”的第%1个参数有误（%3）" },
    { "^no column or value '(.-)' in decision '(.-)'$", '决策“%2”中没有列或计算值“%1”' },
    { '^unknown parameter "(.-)"$', '未知参数“%1”' },
    { "^(.-) %(the character '(.-)' outside a string: a rule's code is ASCII; .*%)$",
      "%1（字符串之外的字符“%2”：规则代码只能用ASCII字符；全角标点 ， “ ” （ ） ： ； 和全角空格应写成 , \" ( ) : ; 和半角空格）" },
    { '^parameter "(.-)" gives both value and values; expected one: .*$',
      '参数“%1”同时给出了value和values；应只给其一：单一取值用value = ...，按日期取值用values = { { from = date "...", value = ... }, ... }' },
    { '^(.-) compares (.-) %((.-)%) with (.-) %((.-)%); they can never be equal: expected two of one kind$',
      '%1比较的%2（%3）与%4（%5）永远不可能相等：两者应为同一类型' },
    { "^unknown parameter '(.-)'$", '未知参数“%1”' },
    { '^parameter "(.-)" is declared twice %(first at (.-)%)$', '参数“%1”重复声明（首次声明于%2）' },
    { '^decision "(.-)" is declared twice %(first at (.-)%)$', '决策“%1”重复声明（首次声明于%2）' },
    { '^column "(.-)" is declared twice in decision "(.-)"$', '决策“%2”中列“%1”重复声明' },
    { '^rule id "(.-)" is used twice %(first at (.-)%)$', '规则编号“%1”重复使用（首次使用于%2）' },
    { '^part "(.-)" of rule "(.-)" is declared twice %(first at (.-)%)$',
      '规则“%2”的条件“%1”重复声明（首次声明于%3）' },
    { '^unknown rule "(.-)" in decision "(.-)"$', '决策“%2”中没有规则“%1”' },
    { '^"(.-)" is not a value of (.-) %(allowed: (.-)%)$', '“%1”不是%2的取值（可取：%3）' },
    { '^weights for (.-) = (.-) add up to (.-), not 100$', '%1为%2时权重合计为%3，而非100' },
    { '^emphasis for (.-): criterion "(.-)" is listed twice; expected each criterion once$',
      '“%1”的侧重考评指标中“%2”列了两次；每个指标应只列一次' },
    { '^weights for (.-) give its emphasis %((.-)%) (.-) of 100; it must carry at least (.*)$',
      '“%1”的权重中，侧重考评的指标（%2）合计为%3（满分100），须不少于%4' },
    { '^grade bands leave a gap: no grade for a total below (.-)$', '等级区间有空缺：总分低于%1时没有对应等级' },
    { '^verdict "(.-)": a verdict token must be upper case %(A%-Z, 0%-9, _%), e%.g%. "(.-)"$',
      '结论“%1”：结论代码须为大写（A-Z、0-9、_），如“%2”' },
    { '^memory limit exceeded while the file ran at load %(see %-%-max%-memory%)$',
      '加载时运行该文件超出内存上限（见--max-memory）' },
    { "^no rule files %(%*%.lua%) in the rule set directory$", "规则集目录中没有规则文件（*.lua）" },
    { "^the rule set declares no decision$", "规则集未声明任何决策" },
    -- at run time, a rule's
    { "^instruction limit exceeded %(more than (%d+) per record; see %-%-max%-instructions%)$",
      "超出指令上限（每条记录至多%1条；见--max-instructions）" },
    { "^instruction limit exceeded %(more than (%d+), (%d+) times the per%-record limit; see %-%-max%-instructions%)$",
      "超出指令上限（至多%1条，即每条记录上限的%2倍；见--max-instructions）" },
    { "^memory limit exceeded %(see %-%-max%-memory%)$", "超出内存上限（见--max-memory）" },
    { "^date out of range: (.-) plus (%d+) months is after (.-), the last date verdict can hold$",
      "日期超出范围：%1加%2个月晚于%3，即verdict能表示的最后一天" },
    { "^date out of range: (.-) minus (%d+) months is before (.-), the first date verdict can hold$",
      "日期超出范围：%1减%2个月早于%3，即verdict能表示的第一天" },
    { "^date out of range %(day (%-?%d+)%)$", "日期超出范围（第%1天）" },
    { "^no verdict applies: the verdict list of decision '(.-)' should end with an entry that always applies$",
      "没有适用的结论：决策“%1”的结论列表应以一个总是适用的条目（always()）结尾" },
    { "^undefined name '(.-)'$", "未定义的名称“%1”" },
    -- a rule function writing what it may only read (dsl.lua, eval.lua)
    { "^cannot change parameter '(.-)' %(item (.-)%): parameters are read%-only; to change the list, copy it into a local table$",
      function(name, item)
        local k, at = item:match("^(.-) of item (.*)$")
        item = k and (at .. "项的第" .. k) or item
        return "不能修改参数“" .. name .. "”（第" .. item .. "项）：参数是只读的；如需改动该列表，请先复制到局部表中"
      end },
    { "^cannot change parameter '(.-)': parameters are read%-only; use a local variable$",
      "不能修改参数“%1”：参数是只读的；请改用局部变量" },
    { "^a rule cannot change the record %('(.-)'%)$", "规则不能修改记录（“%1”）" },
    { "^cannot change '(.-)': rule data is read%-only once loaded$", "不能修改“%1”：规则数据加载后即为只读" },
    { "^cannot change ([%w_]+%.[%w_]+): it is read%-only$", "不能修改%1：它是只读的" },
    -- a rule function's result of the wrong kind (compile.lua, dsl.lua)
    { "^check function returned (.-); expected true, false or nil %(unknown%)$",
      function(x) return "check函数返回了" .. T.zh_shown(x) .. "；应为true、false或nil（未知）" end },
    { "^fn returned (.-); expected (.-) or nil %(unknown%)$",
      function(x, want) return "fn函数返回了" .. T.zh_shown(x) .. "；应为" .. (T.zh_want[want] or want) .. "或nil（未知）" end },
    { "^([%w_.]+): n is (.-) %(from (.-)%); expected a whole number of (%a+)$",
      function(f, n, from, unit)
        from = from:gsub('parameter "(.-)", declared at ', "参数“%1”，声明于"):gsub('"(.-)"', "“%1”")
        return f .. "：n为" .. n .. "（来自" .. from .. "）；应为整数" .. (unit == "years" and "年" or "个月")
      end },
    { "^([%w_.]+): n is (.-) %(from (.-)%); expected at most (%d+) years either way %(the calendar holds years 1 to 9999%)$",
      "%1：n为%2（取自%3）；向前或向后至多%4年（日历只含1至9999年）" },
    { "^([%w_.]+): n is (.-) %(from (.-)%); expected at most (%d+) months either way %(the calendar holds years 1 to 9999%)$",
      "%1：n为%2（取自%3）；向前或向后至多%4个月（日历只含1至9999年）" },
    { "^([%w_.]+): n is (.-); expected at most (%d+) years either way %(the calendar holds years 1 to 9999%)$",
      "%1：n为%2；向前或向后至多%3年（日历只含1至9999年）" },
    { "^([%w_.]+): n is (.-); expected at most (%d+) months either way %(the calendar holds years 1 to 9999%)$",
      "%1：n为%2；向前或向后至多%3个月（日历只含1至9999年）" },
    { "^([%w_.]+): n is (.-); expected a whole number of (%a+)$",
      function(f, n, unit) return f .. "：n为" .. T.zh_shown(n) .. "；应为整数" .. (unit == "years" and "年" or "个月") end },
    { "^([%w_.]+): d is (.-); expected a date %(a day number%)$",
      function(f, d) return f .. "：d为" .. T.zh_shown(d) .. "；应为日期（天数）" end },
    { "^cannot set global '(.-)' after the rule set has loaded$", "规则集加载后不能再设置全局变量“%1”" },
  },
}

-- dsl.lua's D.shown in Chinese: 0 (a number) -> 0（数字）, "x" (text) ->
-- "x"（文本）, a table -> 表.
local SHOWN_ZH = { ["a number"] = "数字", ["text"] = "文本", ["yes/no"] = "是/否" }
function T.zh_shown(s)
  local v, what = s:match("^(.*) %((.-)%)$")
  if v and SHOWN_ZH[what] then return v .. "（" .. SHOWN_ZH[what] .. "）" end
  local t = s:match("^a (%a+)$")
  if t and TYPE_ZH[t] then return TYPE_ZH[t] end
  local bytes = s:match("^text of (%d+) bytes$")
  if bytes then return bytes .. "字节的文本" end
  return s
end
T.zh_want = {
  ["a number"] = "数字", ["a date (a day number)"] = "日期（天数）",
  ["a number or a date (a day number)"] = "数字或日期（天数）", ["a list"] = "列表",
  ["true, false"] = "true、false",
}

-- A message that begins with a place in a rule file ("DIR/app.lua:19: ..."
-- or, for a condition, "DIR/app.lua:18"), as a record's output shows it:
-- the place relative to the rule set's directory ("app.lua:19"), so that
-- the same rules give the same bytes however their directory was written
-- (-r rules, -r ./rules/, an absolute path, VERDICT_RULES).  Only a
-- leading place of a file the rule set loaded, followed by its line, is
-- changed: the text after it is the rule's own.  Lua shortens a long
-- path to "..." and its last 56 bytes: such a place too.
function T.in_rule_set(s)
  local rs = V.rs
  local dir = rs and rs.dir
  if type(s) ~= "string" or not dir then return s end
  local prefix = dir .. "/"
  local short = s:sub(1, 3) == "..."
  if not short and s:sub(1, #prefix) ~= prefix then return s end
  for _, rel in ipairs(rs.files or {}) do
    local full = prefix .. rel
    if short then
      -- "...<tail of full>:<line>": the tail ends where ":<digits>" follows
      local tail, rest = s:match("^%.%.%.([^\n]-)(:%d.*)$")
      if tail and #tail <= #full and full:sub(-#tail) == tail then return rel .. rest end
    elseif s:sub(1, #full + 1) == full .. ":" and s:sub(#full + 2, #full + 2):match("%d") then
      return s:sub(#prefix + 1)
    end
  end
  return s
end

-- A problem in the language: msg, or the Chinese of its form; a place
-- before it ("file:line: ") is kept first, as written.
function T.problem(msg, lang)
  local forms = T.problems[lang]
  if not forms then return msg end
  -- (A long message, which a rule's error() may make, is left as it is:
  -- the patterns below, with several (.-), are not held to the budget.)
  if #msg > 1000 then return msg end
  local where, rest = msg:match("^(.-:%d+: )(.*)$")
  if not where then where, rest = "", msg end
  -- A name's nearest spelling (D.nearest_hint), after any message:
  -- translated apart, unless the form itself has it.
  local base, best = rest:match('^(.-); did you mean "([^"]*)"%?$')
  if not base then base, best = rest:match("^(.-); did you mean '([^']*)'%?$") end
  local tail = ""
  if base and not base:find("unknown field", 1, true) then
    rest, tail = base, "；是否应为“" .. best .. "”？"
  end
  for _, f in ipairs(forms) do
    local s, n = rest:gsub(f[1], f[2])
    if n > 0 then return where .. s .. tail end
  end
  if tail ~= "" then return where .. rest .. tail end
  return msg
end
