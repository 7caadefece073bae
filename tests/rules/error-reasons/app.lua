-- error-reasons — how a run-time failure and an unknown with no column to
-- name read in `reason` (tests/cli/check-error-reasons-*):
--   members 7: an error whose text has a line break: one line in reason;
--   members 8: an error of 5,000 bytes: the first 500, then how many more;
--   members 5: the check gives nil (unknown) while no cell is missing: the
--              INCOMPLETE message's {missing_deciding} names no column, so
--              the reason is the sentence for an unknown value;
--   members 6: the value only the OK verdict's message names fails: the
--              ERROR names that verdict;
--   members 1: no verdict entry applies (R1 passes, OK wants 2): the ERROR
--              names the verdicts.
ruleset { name = "error-reasons", version = "1" }

decision "app" {
  title     = { en = "Reasons of errors and unknowns", zh = "出错与待定的说明" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true, unique = true },
    column "members" { zh = "成员数", type = "count" },
    column "note" { zh = "备注", type = "string" },
  },
  values = {
    value "shown" { fn(function(r)
      if r.members == 6 then error("no value for six") end
      return r.members
    end) },
  },
  rules = {
    rule "R1" { clause = "1",
      when = check(function(r)
        if r.members == 7 then error("first line\nsecond line") end
        if r.members == 8 then error(string.rep("x", 5000)) end
        if r.members == 5 then return nil end
        return r.members >= 1
      end) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(),
      en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(),
      en = "missing {missing_deciding}", zh = "缺少{missing_deciding}" },
    verdict "OK" { when = at_least("members", 2), en = "all good with {shown}", zh = "通过（{shown}）" },
  },
}
