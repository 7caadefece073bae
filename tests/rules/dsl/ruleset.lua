-- ruleset.lua — the DSL's own test rule set: every construct of
-- docs/dsl.md, exercised by the cases in tests/.  Not a policy: a small,
-- made-up market-stall permit (decision "permit", plain) and a yearly
-- review of stalls (decision "review", scored).
--
-- Files: params.lua (every kind of parameter), permit.lua (the plain
-- decision; includes shared/helpers.lua), permit_extra.lua (extend),
-- review.lua (the scored decision).

ruleset {
  name    = "dsl-test",
  version = "1",
  title   = { en = "Every construct of the rule DSL", zh = "规则语言全部构件测试" },
}
