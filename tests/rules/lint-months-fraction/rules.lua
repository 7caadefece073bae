-- lint-months-fraction — month and year counts known when the rules load
-- that are not whole numbers (tests/cli/lint-months-fraction*): each is a
-- problem at the line of its add_months or add_years, naming the
-- parameter it comes from; a whole count (window 36, times -1) is fine.
ruleset { name = "lint-months-fraction", version = "1" }

param "window_months" { value = 36.5 }           -- line 7
param "good_window" { value = 36 }
param "grace_years" { values = {
  { from = date "2024-01-01", value = 1 },
  { from = date "2025-01-01", value = 1.5 },
} }

decision "m" {
  title = { en = "Month counts", zh = "月数" },
  id_column = "id",
  reference_date = "start",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "start" { zh = "开始日期", type = "date" },
  },
  values = {
    value "earliest" { add_months("start", times(param "window_months", -1)) },   -- line 23
    value "fine" { add_months("start", times(param "good_window", -1)) },
  },
  rules = {
    rule "M1" { clause = "1", when = on_or_after("earliest", date "2020-01-01") },
    rule "M2" { clause = "2", when = on_or_after("fine", date "2020-01-01") },
    rule "M3" { clause = "3", when = on_or_before(add_months("start", 1.5), date "2030-01-01") },
    rule "Y1" { clause = "4", when = on_or_before(add_years("start", param "grace_years"), date "2030-01-01") },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}", zh = "缺少{missing}" },
    verdict "OK" { when = always(), en = "all good", zh = "通过" },
  },
}
