-- Altering the string metatable: getmetatable is not offered.
-- Input: tests/rules/hostile.csv (record B, n = 2, is the one attacked).
decision "h" {
  title = { en = "Hostile", zh = "恶意" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "数", type = "int" },
  },
  rules = {
    rule "R1" { clause = "1", when = at_least("n", 0) },
    rule "R2" { clause = "2", when = check(function(r)
      if r.n ~= 2 then return true end
      getmetatable("").__index.upper = function() return "X" end
      return true
    end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
