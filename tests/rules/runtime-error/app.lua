-- runtime-error — a rule set that loads but whose rule fails at run time
-- for some records (tests/cli/check-runtime-error): an error raised by the
-- rule (members = 13) and a limit exceeded (members = 99: a loop that never
-- ends, stopped by --max-instructions).  Those records get the verdict
-- ERROR with the rule and the error in `reason`; the others are evaluated
-- as usual, every record is written and the exit status is 1.
ruleset { name = "runtime-error", version = "1" }

decision "app" {
  title     = { en = "Rules that fail at run time", zh = "运行时出错的规则" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true, unique = true },
    column "members" { zh = "成员数", type = "count" },
  },
  rules = {
    rule "R1" { clause = "1",
      when = check(function(r)
        if r.members == 13 then error("thirteen is unlucky") end
        while r.members == 99 do end
        return r.members >= 2
      end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(),
      en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(),
      en = "missing {missing}", zh = "缺少{missing}" },
    verdict "OK" { when = always(), en = "all good", zh = "通过" },
  },
}
