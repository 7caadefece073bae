-- Writing a global at run time: globals are read-only once the rule set has loaded.
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
      counter = 1
      return true
    end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
