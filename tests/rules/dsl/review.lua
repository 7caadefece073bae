-- review.lua — decision "review": a scored yearly (or three-year) review
-- of a stall.  Every construct of scores, weights and grades.
--
--   Q1 output     sales (count) and revenue (money): targets x3 for triple
--   Q2 quality    rating (ratio, never scaled) and certified (bool: 100/0)
--   Q3 community  events (count, scale = false: a yearly figure)
--   Q4 conduct    score = fn(...): 100 less a penalty per complaint
--
--   weights         trade  craft
--     Q1              40     20
--     Q2              30     30
--     Q3              10     50
--     Q4              20      0    (craft: complaints are not needed)
--   emphasis        Q1+Q2  Q3     (at least 60 and 50: emphasis below)

decision "review" {
  title          = { en = "Stall review", zh = "摊位评审" },
  id_column      = "review_id",
  reference_date = "period_end",      -- target_sales is read on it

  columns = {
    column "review_id" { zh = "评审编号", type = "string", required = true, unique = true },
    column "sector" { zh = "行业", type = "enum",
      values = { { "trade", "商贸" }, { "craft", "手工" } }, meaning = "chooses the weights" },
    column "kind" { zh = "评审类型", type = "enum",
      values = { { "single", "单年" }, { "triple", "三年" } }, meaning = "chooses the target scale" },
    column "period_end" { zh = "期末", type = "date" },
    column "report" { zh = "已交报告", type = "bool" },
    column "sales" { zh = "销售笔数", type = "count" },
    column "revenue" { zh = "收入(万元)", type = "money" },
    column "rating" { zh = "好评率", type = "ratio" },
    column "certified" { zh = "已认证", type = "bool" },
    column "events" { zh = "活动次数", type = "count" },
    column "complaints" { zh = "投诉次数", type = "count" },
  },

  rules = {
    rule "V1" {
      clause = "R",
      title  = { en = "Report submitted", zh = "已提交报告" },
      when   = is_true "report",
      en = "report submitted: {report}; required for the period ending {period_end}",
      zh = "提交报告：{report}；期末{period_end}须提交报告",
    },
  },

  criteria = {
    criterion "Q1" {
      title = { en = "Output", zh = "产出" },
      indicators = {
        { "sales",   target = param "target_sales" },
        { "revenue", target = param "target_revenue" },
      },
    },
    criterion "Q2" {
      title = { en = "Quality", zh = "质量" },
      indicators = {
        { "rating", target = 0.8 },
        { "certified" },
      },
    },
    criterion "Q3" {
      title = { en = "Community", zh = "社区" },
      indicators = {
        { "events", target = param "target_events", scale = false },
      },
    },
    criterion "Q4" {
      title = { en = "Conduct", zh = "守规" },
      score = fn(function(r, p, as_of) return 100 - p.complaint_penalty * r.complaints end),
    },
  },

  target_scale = { column = "kind", single = 1, triple = 3 },

  weights = weights "sector" {
    trade = { Q1 = 40, Q2 = 30, Q3 = 10, Q4 = 20 },
    craft = { Q1 = 20, Q2 = 30, Q3 = 50, Q4 = 0 },
  },
  -- What each sector's review stresses, and the least weight it carries
  -- (checked at load): trade Q1 and Q2, 70 of 60; craft Q3, 50 of 50.
  emphasis = {
    trade = { "Q1", "Q2", at_least = 60 },
    craft = { "Q3", at_least = 50 },
  },

  grades = { { "TOP", 85 }, { "PASS", 60 }, { "FAIL", 0 } },

  verdicts = {
    verdict "FAIL" { when = is_false "report",
      en = "no report for the period ending {period_end}: {reasons} (score {score})",
      zh = "期末{period_end}未提交报告：{reasons}（得分{score}）" },
    graded { en = "score {score}: {grade}", zh = "得分{score}：{grade}" },
  },
}
