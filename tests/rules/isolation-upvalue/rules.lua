-- A rule function that keeps a counter in an upvalue (U1).  A record's
-- verdict must not depend on the records before it: every record must come
-- out as if it were alone (U1 TRUE), whatever the order.
-- Input: tests/rules/hostile.csv.
local count = 0
decision "h" {
  title = { en = "Isolation", zh = "隔离" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "数", type = "int" },
  },
  rules = {
    rule "R1" { clause = "1", when = at_least("n", 0) },
    rule "U1" { clause = "u1", when = check(function(r)
      count = count + 1
      return count <= 2
    end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
