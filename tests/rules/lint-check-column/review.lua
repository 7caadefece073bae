-- review.lua — a tiny scored decision: two criteria, weights per form,
-- grade bands.
decision "review" {
  title = { en = "Review", zh = "评估" },
  id_column = "rid",
  columns = {
    column "rid" { zh = "评估编号", type = "string", required = true, unique = true },
    column "rform" { zh = "评估形式", type = "enum", values = { { "ent", "企业" }, { "non", "非企业" } } },
    column "outputs" { zh = "成果数", type = "count" },
    column "report" { zh = "报告", type = "bool" },
  },
  rules = {
    rule "R1" { clause = "r", when = is_true "report" },
  },
  criteria = {
    criterion "C1" { clause = "c1", indicators = { { "outputs", target = param "target_outputs" } } },
    criterion "C2" { clause = "c2", indicators = { { "report" } } },
  },
  weights = weights "rform" {
    ent = { C1 = 60, C2 = 40 },
    non = { C1 = 50, C2 = 50 },
  },
  grades = {
    { "PASS", 60 },
    { "FAIL", 0 },
  },
  verdicts = {
    verdict "NO_REPORT" { when = is_false "report", en = "no report", zh = "未提交报告" },
    graded { en = "score {score}: {grade}", zh = "得分{score}：{grade}" },
  },
}
