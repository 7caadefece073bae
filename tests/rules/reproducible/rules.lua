-- reproducible — plain-Lua rules whose answers would follow Lua's hash
-- order or an address in memory, both of which change from run to run
-- (tests/cli/check-reproducible).  pairs and next go through the keys in
-- a fixed order (numbers, then text byte by byte, then false, true);
-- tostring and string.format write a table or function as its kind; %p
-- and a walk over a table with a table for key are the record's ERROR.
-- A walk sorts once (in C, not counted against the rule's instructions):
-- 5,000 keys walked with next and with pairs stay far within the limit;
-- a field cleared during a walk is passed over, as Lua allows; an error
-- of string.format is at the rule's line, naming 'format'.
ruleset { name = "reproducible", version = "1" }

local limits = { users = 10, platforms = 10, institutes = 10, universities = 10, enterprises = 10,
  members = 10, patents = 10, projects = 10, standards = 10, talents = 10, [3] = 1, [1.5] = 1,
  [true] = 1, [false] = 1 }
-- a second function shares the upvalue (both froze it, which made a view
-- of the view, empty to pairs, before)

decision "r" {
  title = { en = "Rules that walk tables", zh = "遍历表的规则" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "序号", type = "int", required = true },
  },
  values = {
    -- every key of limits, in the order pairs gives them
    value "walked" { fn(function(r)
      local out = {}
      for k in pairs(limits) do out[#out + 1] = tostring(k) end
      return table.concat(out, " ")
    end) },
    -- the same with next
    value "stepped" { fn(function(r)
      local out, k = {}, next(limits)
      while k ~= nil do out[#out + 1] = tostring(k); k = next(limits, k) end
      return table.concat(out, " ")
    end) },
    -- n = 4: 5,000 keys walked with next and pairs, fields cleared as walked
    value "walks" { fn(function(r)
      if r.n ~= 4 then return "" end
      local t = {}
      for i = 1, 5000 do t["k" .. i] = i end
      local c, k = 0, next(t)
      while k ~= nil do c = c + 1; k = next(t, k) end
      local d = 0
      for _ in pairs(t) do d = d + 1 end
      local u = { a = 1, b = 2, c = 3 }
      k = next(u)
      while k ~= nil do u[k] = nil; k = next(u, k) end
      local e, w = 0, { p = 1, q = 2, r = 3 }
      for key in pairs(w) do w[key] = nil; e = e + 1 end
      return c .. " " .. d .. " " .. tostring(next(u)) .. " " .. e
    end) },
    value "shown" { fn(function(r)
      return tostring({}) .. " " .. tostring(tostring) .. " " .. string.format("%s|%5s|%%p", {}, "x")
    end) },
  },
  rules = {
    rule "K1" { clause = "1", when = check(function(r)
      if r.n == 1 then return string.format("%p", {}) ~= "" end
      return true
    end) },
    rule "K2" { clause = "2", when = check(function(r)
      if r.n == 2 then for _ in pairs({ [{}] = 1 }) do end end
      return true
    end) },
    rule "K3" { clause = "3", when = check(function(r)
      if r.n == 3 then return ("%p"):format("text") ~= "" end
      return true
    end) },
    rule "K5" { clause = "5", when = check(function(r)
      if r.n == 5 then return string.format("%d", {}) ~= "" end
      return true
    end) },
    rule "K6" { clause = "6", when = check(function(r) return r.walks == "" end),
      en = "walks: {walks}", zh = "遍历：{walks}" },
    -- fails on n = 0, to show what the values hold
    rule "K4" { clause = "4", when = check(function(r) return r.n ~= 0 and r.walked ~= "" end),
      en = "walked: {walked}; stepped: {stepped}; shown: {shown}",
      zh = "遍历：{walked}；逐个：{stepped}；显示：{shown}" },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "cannot be decided", zh = "无法确定" },
    verdict "OK" { when = always(), en = "{reasons}", zh = "{reasons}" },
  },
}
