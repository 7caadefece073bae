-- lint-unused-param — lint-ok with ONE problem, for tests/cli/lint-unused-param:
-- params.lua: parameter max_members (line 6) is read by no rule.

ruleset { name = "lint-ok", version = "1" }

decision "app" {
  title = { en = "Toy", zh = "玩具" },
  id_column = "id",
  reference_date = "date",
  columns = {
    column "id" { zh = "编号", type = "string", required = true, unique = true },
    column "form" { zh = "形式", type = "enum", values = { { "ent", "企业" }, { "non", "非企业" } } },
    column "date" { zh = "日期", type = "date" },
    column "members" { zh = "成员数", type = "count" },
    column "linked" { zh = "关联", type = "bool" },
    column "kind" { zh = "类型", type = "string" },
  },
  rules = {
    rule "W1" { clause = "六", when = between("date", param "plan_start", param "plan_end") },
    rule "K1" { clause = "k", when = one_of("kind", param "kinds") },
    rule "E1" { clause = "e", applies = is("form", "ent"),
      all = { at_least("members", param "min_members"), is_true "linked" } },
    rule "F1" { clause = "f", when = check(function(r) return r.members < 100 end) },
  },
  verdicts = {
    verdict "OUT" { when = failed "W1", en = "out: {reasons}", zh = "超期：{reasons}" },
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}", zh = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}", zh = "缺少{missing}" },
    verdict "OK" { when = always(), en = "all good", zh = "通过" },
  },
}
