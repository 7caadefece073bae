-- months-fraction — add_months and add_years with a month or year count
-- read from the record (tests/cli/check-months-fraction*): a whole number
-- (6, or 2.0) moves the date; 1.5 months is no date, so that record is
-- ERROR naming the rule and the count, in both engines (the compiled one
-- hands such a record to Lua).  Input: months-fraction.csv.
ruleset { name = "months-fraction", version = "1" }

decision "m" {
  title = { en = "Month counts from the record", zh = "记录中的月数" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "start" { zh = "开始日期", type = "date" },
    column "months" { zh = "月数", type = "number" },
    column "years" { zh = "年数", type = "number" },
  },
  values = {
    value "deadline" { add_months("start", "months"), zh = "截止日期" },
  },
  rules = {
    rule "M1" { clause = "1", when = on_or_after("deadline", date "2025-01-01"),
      en = "deadline {deadline} is before 2025-01-01", zh = "截止日期{deadline}早于2025-01-01" },
    rule "Y1" { clause = "2", when = on_or_after(add_years("start", "years"), date "2025-01-01") },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}", zh = "缺少{missing}" },
    verdict "OK" { when = always(), en = "all good", zh = "通过" },
  },
}
