-- rule-writes — plain-Lua rules that write what they may only read, or
-- return what is no answer (tests/cli/check-rule-writes*).  Each record
-- sets off one rule by its n; the others pass.  Input: rule-writes.csv,
-- where records with n = 0 come before and after the failing ones and
-- must pass every time: a list parameter is read-only (a write is the
-- record's ERROR, and the next record sees the list as declared); a
-- check returns true, false or nil only; an fn's value has the kind its
-- place needs; date.add_months takes whole months; an error inside the
-- engine's code names the rule's place, not the engine's.
-- pairs over a read-only view gives the view as its state, not the table
-- underneath (L16-L18: a list parameter, a library, an upvalue table);
-- a function an fn gives is shown as one, not by its address (V19).
ruleset { name = "rule-writes", version = "1" }

local seen = {}

param "colours" { value = { "red", "绿" } }
param "cities" { value = { { "shanghai", "上海" }, { "suzhou", "苏州" } } }

decision "w" {
  title = { en = "Rule functions that write or answer wrongly", zh = "写入或返回错误的规则函数" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "序号", type = "int", required = true },
  },
  values = {
    value "colour_list" { param "colours" },
    value "letters" { { "a", "b" } },
    value "fnval" { fn(function(r) return function() end end) },
  },
  rules = {
    -- the lists as declared, read every way plain Lua reads a table
    rule "L0" { clause = "0", when = check(function(r, p)
      local c = p.colours
      local n = 0
      for _ in ipairs(c) do n = n + 1 end
      for _ in pairs(c) do n = n + 1 end
      return #c == 2 and n == 4 and rawlen(c) == 2 and next(c) == 1
        and table.concat(c, ",") == "red,绿" and p.cities[1][2] == "上海"
        and #p.cities[2] == 2 and #r.colour_list == 2 and r.letters[2] == "b"
    end) },
    rule "L1" { clause = "1", when = check(function(r, p)
      if r.n == 1 then table.insert(p.colours, "x") end
      return #p.colours == 2
    end) },
    rule "L2" { clause = "2", when = check(function(r, p)
      if r.n == 2 then p.cities[1][2] = "x" end
      return true
    end) },
    rule "L3" { clause = "3", when = check(function(r, p)
      if r.n == 3 then p.colours = {} end
      return true
    end) },
    rule "L4" { clause = "4", when = check(function(r, p)
      if r.n == 4 then table.remove(r.colour_list, 1) end
      return true
    end) },
    rule "L5" { clause = "5", when = check(function(r, p)
      if r.n == 5 then r.letters[1] = "z" end
      return true
    end) },
    rule "C6" { clause = "6", when = check(function(r)
      if r.n == 6 then return 0 end
      return true
    end) },
    rule "C7" { clause = "7", when = check(function(r)
      if r.n == 7 then return "false" end
      return true
    end) },
    rule "C8" { clause = "8", when = check(function(r)
      if r.n == 8 then return {} end
      return true
    end) },
    rule "C9" { clause = "9", when = check(function(r)
      if r.n == 9 then return nil end
      return true
    end) },
    rule "F10" { clause = "10", when = at_least(fn(function(r)
      if r.n == 10 then return "x" end
      return 1
    end), 0) },
    rule "F11" { clause = "11", when = one_of("id", fn(function(r)
      if r.n == 11 then return "B1" end
      return { r.id }
    end)) },
    rule "F12" { clause = "12", when = is_true(fn(function(r)
      if r.n == 12 then return "yes" end
      return true
    end)) },
    rule "D13" { clause = "13", when = check(function(r, p, as_of)
      return date.add_months(as_of, r.n == 13 and 1.5 or 2) > as_of
    end) },
    rule "D14" { clause = "14", when = check(function(r, p, as_of)
      return date.add_years(as_of, r.n == 14 and 0.5 or 1) > as_of
    end) },
    -- the state pairs gives is the view, not the list underneath
    rule "L16" { clause = "16", when = check(function(r, p)
      if r.n == 16 then
        local _, s = pairs(p.colours)
        s[1] = "x"
      end
      return true
    end) },
    -- nor for a library (a read-only copy)
    rule "L17" { clause = "17", when = check(function(r, p)
      if r.n == 17 then
        local _, s = pairs(string)
        s.upper = nil
      end
      return string.upper("a") == "A"
    end) },
    -- nor for a table reached through an upvalue (frozen at load)
    rule "L18" { clause = "18", when = check(function(r, p)
      if r.n == 18 then
        local _, s = pairs(seen)
        s[1] = r.id
      end
      return seen[1] == nil
    end) },
    -- a function an fn gives, in a message: its type, not its address
    rule "V19" { clause = "19", when = check(function(r) return r.n ~= 19 end),
      en = "fnval is {fnval}", zh = "fnval为{fnval}" },
    -- an fn's text compared, through first_present: the error names
    -- the rule's place, not the engine's
    rule "F15" { clause = "15", when = at_least(first_present(fn(function(r)
      if r.n == 15 then return "x" end
      return 1
    end)), 0) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "cannot be decided", zh = "无法确定" },
    verdict "OK" { when = always(), en = "all good", zh = "通过" },
  },
}
