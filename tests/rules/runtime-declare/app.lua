-- A rule set whose rules try, at run time (inside a rule's function, for
-- one record), what may only be done while the rule set loads: include a
-- file (one that exists, one that does not, one outside the set) and
-- declare a decision or a parameter.  Each such record must be ERROR
-- naming the rule; the others are evaluated as usual.
ruleset { name = "runtime-declare", version = "1" }

decision "app" {
  title = { en = "Declarations at run time", zh = "运行时声明" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "数", type = "int" },
  },
  rules = {
    rule "R1" { clause = "1", when = check(function(r)
      if r.n == 1 then include "lib/other.lua" end
      if r.n == 2 then include "missing.lua" end
      if r.n == 3 then include "../../../etc/passwd" end
      return true
    end) },
    rule "R2" { clause = "2", when = check(function(r)
      if r.n == 4 then decision "late" {} end
      if r.n == 5 then param "late" { value = 1 } end
      return true
    end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "all good" },
  },
}
