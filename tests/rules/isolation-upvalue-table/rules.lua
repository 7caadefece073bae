-- A rule function that keeps state in a table reached through an upvalue
-- (U2): the ids seen so far.  A record's verdict must not depend on the
-- records before it.  The table is frozen once the rule set has loaded, so
-- the write is an error for every record alike (ERROR naming U2); what
-- must not happen is a verdict that changes with the record's position.
-- Input: tests/rules/hostile.csv.
local seen = {}
decision "h" {
  title = { en = "Isolation", zh = "隔离" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "数", type = "int" },
  },
  rules = {
    rule "R1" { clause = "1", when = at_least("n", 0) },
    rule "U2" { clause = "u2", when = check(function(r)
      seen[#seen + 1] = r.id
      return #seen == 1
    end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
