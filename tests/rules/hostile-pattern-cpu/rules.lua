-- A pattern that backtracks in C (string.find), where the instruction count
-- does not run: with k ".-" items on n characters the matcher takes about
-- n^(k+1)/(k+1)! steps.  Here n = 150, k = 3: some 2e7 steps, a fraction
-- of a second -- but n = 3000, k = 6 takes years, and the memory cap does
-- not help (no allocation).  Right: ERROR, as for an endless loop in Lua;
-- the work in C must count against the instruction budget (or be bounded).
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
      local s = string.rep("a", 150)
      return s:find(string.rep(".-", 3) .. "b") == nil
    end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
