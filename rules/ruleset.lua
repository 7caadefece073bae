-- ruleset.lua — the shipped rule set: 上海市制造业创新中心建设工程实施方案
-- (2022-2025年), as fixed by the contract (docs: ../shared/spec/contract.md,
-- section 5).  Parameters: params.lua.  Decisions: application.lua,
-- preparatory.lua, evaluation.lua.  Clause-by-clause map: docs/policy-map.md.

ruleset {
  name    = "shanghai-mic",
  version = "2022-2025.1",
  title   = { en = "Shanghai Manufacturing Innovation Centres, 2022-2025",
              zh = "上海市制造业创新中心建设工程实施方案(2022-2025年)" },
}
