-- evaluation.lua — decision "evaluation" (评估考核): the annual assessment
-- (年度评估) and the three-year assessment (三年定期考核) of a centre.
-- Contract 5.3; policy 四(三):
--
--   评估考核主要内容:创新中心关键共性技术成果数量及质量、技术成果转移扩散和
--   产业化、对行业发展的支撑作用、人才队伍建设、协同创新以及开展国际合作情况
--   等。创新中心每年需提交运行发展报告和定量定性指标完成情况。…
--   其中,创新中心(企业法人型)侧重考评行业关键共性技术研发、技术成果转移扩散
--   和产业化、行业标准、现代企业管理制度和自我造血功能等方面;创新中心(非企业
--   法人型)侧重考评对行业发展的支撑作用、行业技术服务、协同创新和开展国际合作
--   等方面。
--
-- The policy names the contents and each form's emphases but gives NO
-- numbers: the indicator targets (params.lua), the weights and the grade
-- bands below are this rule set's reading, written down with their reasons.
--
-- HOW A SCORE IS MADE
--   indicator sub-score = min(100, 100 * value / target)  (bool: 100 / 0)
--     - linear and capped: never falls when an indicator rises, 100 at or
--       above target, and half the target earns half the points, so a
--       centre is not rewarded for over-shooting one indicator at the cost
--       of the others;
--     - targets are ANNUAL values (params.lua); a three-year assessment
--       multiplies every count and money target by 3 (target_scale), the
--       three-year figures being cumulative; ratio and bool are not scaled.
--   criterion sub-score = mean of its indicators' sub-scores.
--   total = sum(weight * criterion sub-score) / 100, one decimal.
--   Only criteria with a weight above 0 for the record's form are needed:
--   an empty indicator of a weight-0 criterion does not make the record
--   INCOMPLETE.
--
-- WEIGHTS (per org_form, each sums to 100; see weights "org_form" below)
--                                   enterprise  non_enterprise
--   C1  key common technology          10+          3
--   C2  transfer / industrialisation   10+          3
--   C3  support to the industry         5          10+
--   C4  talent                          5           4
--   C5  collaborative innovation        5          10+
--   C6  international cooperation       5          10+
--   C7  industry standards             20*          0
--   C8  modern enterprise management   20*          0
--   C9  self-sustaining capacity       20*          0
--   C10 industry technical services     0          60*
--   (* = the form's emphasis criteria of contract 5.3 (C7-C9 enterprise,
--    C10 non-enterprise): 60 of 100, the contract's floor; + = the common
--    contents 四(三) ¶3 also lists under the form's 侧重, next in weight, so
--    that the policy's whole list carries 80 (enterprise) or 90
--    (non-enterprise).  Either reading of "the criteria the policy names as
--    that form's emphasis" then carries at least 60.)
--
-- GRADES: EXCELLENT >= 85, GOOD >= 70, QUALIFIED >= 60, else UNQUALIFIED
-- (contract 5.3; the usual 优秀/良好/合格/不合格 bands of Shanghai's
-- assessments; the policy gives none).

decision "evaluation" {
  title          = { en = "Annual and three-year assessment of a centre",
                     zh = "创新中心评估考核(年度评估和三年定期考核)" },
  id_column      = "center_id",
  reference_date = "period_end",

  columns = {
    column "center_id" { zh = "编号", type = "string", required = true,
      unique = true, meaning = "id of the centre",
      meaning_zh = "创新中心编号" },
    column "name" { zh = "名称", type = "string", optional = true,
      meaning = "name of the centre",
      meaning_zh = "创新中心名称" },
    column "org_form" { zh = "组织形式", type = "enum",
      values = { { "enterprise", "企业法人型" },
                 { "non_enterprise", "非企业法人型" } },
      meaning = "organisational form: chooses the weights",
      meaning_zh = "组织形式：决定各指标的权重" },
    column "evaluation_type" { zh = "考核类型", type = "enum",
      values = { { "annual", "年度评估" }, { "three_year", "三年考核" } },
      meaning = "annual assessment, or three-year assessment (targets x3)",
      meaning_zh = "年度评估，或三年考核（目标×3）" },
    column "period_end" { zh = "考核期末", type = "date",
      meaning = "last day of the period assessed",
      meaning_zh = "考核期的最后一天" },
    column "report_submitted" { zh = "提交运行发展报告", type = "bool",
      meaning = "the annual operation and development report was submitted",
      meaning_zh = "已提交年度运行发展报告" },
    column "key_tech_outputs" { zh = "关键共性技术成果数", type = "count",
      meaning = "key common technology results",
      meaning_zh = "关键共性技术成果数" },
    column "invention_patents" { zh = "发明专利授权数", type = "count",
      meaning = "invention patents granted",
      meaning_zh = "发明专利授权数" },
    column "tech_transfers" { zh = "成果转移转化项数", type = "count",
      meaning = "results transferred or licensed",
      meaning_zh = "成果转移转化项数" },
    column "industrialization_revenue_wan" { zh = "产业化收入(万元)",
      type = "money", meaning = "revenue from industrialisation, 万元",
      meaning_zh = "产业化收入，万元" },
    column "standards" { zh = "主导或参与制定标准数", type = "count",
      meaning = "standards led or joined",
      meaning_zh = "主导或参与制定的标准数" },
    column "talent_total" { zh = "人才队伍人数", type = "count",
      meaning = "size of the talent team",
      meaning_zh = "人才队伍规模" },
    column "leading_talent" { zh = "领军人才数", type = "count",
      meaning = "leading talents",
      meaning_zh = "领军人才数" },
    column "collaborative_projects" { zh = "协同创新项目数", type = "count",
      meaning = "collaborative innovation projects",
      meaning_zh = "协同创新项目数" },
    column "member_units" { zh = "联盟成员单位数", type = "count",
      meaning = "member units of the alliance",
      meaning_zh = "联盟成员单位数" },
    column "smes_served" { zh = "服务中小企业数", type = "count",
      meaning = "small and medium enterprises served",
      meaning_zh = "服务的中小企业数" },
    column "tech_service_revenue_wan" { zh = "技术服务收入(万元)",
      type = "money", meaning = "revenue from technical services, 万元",
      meaning_zh = "技术服务收入，万元" },
    column "international_projects" { zh = "国际合作项目数", type = "count",
      meaning = "international cooperation projects",
      meaning_zh = "国际合作项目数" },
    column "self_funding_ratio" { zh = "自我造血比例", type = "ratio",
      meaning = "share of income the centre earns itself, 0 to 1",
      meaning_zh = "自我造血收入占比，0至1" },
    column "modern_management" { zh = "现代企业管理制度", type = "bool",
      meaning = "a modern enterprise management system is in place",
      meaning_zh = "已建立现代企业管理制度" },
  },

  rules = {
    rule "R1" {
      clause = "四(三)",
      quote  = "创新中心每年需提交运行发展报告和定量定性指标完成情况。",
      title  = { en = "Annual operation and development report submitted",
                 zh = "每年提交运行发展报告" },
      when   = is_true "report_submitted",
      en = "operation and development report submitted: {report_submitted}; "
        .. "required every year",
      zh = "提交运行发展报告:{report_submitted};创新中心每年需提交运行发展报告",
    },
  },

  -- Criteria: the six common contents of 四(三) ¶2 (C1-C6) and the
  -- emphases of 四(三) ¶3 (C7-C9 enterprise, C10 non-enterprise).
  -- Mapping of indicators (each column used once, so no indicator counts
  -- twice):
  --   C1 quantity AND quality of key common technology: results + granted
  --      invention patents (the usual measure of quality);
  --   C2 transfer, diffusion AND industrialisation: transfers + revenue;
  --   C3 support to the industry: SMEs served (三(四)2 向企业尤其是中小企业
  --      源源不断提供…; member units measure the alliance, C5, instead);
  --   C4 talent: team size + leading talents;
  --   C5 collaborative innovation: joint projects + alliance member units
  --      (联盟 is the vehicle of 协同创新);
  --   C6 international cooperation: international projects;
  --   C7 industry standards: standards led or joined;
  --   C8 modern enterprise management: yes/no;
  --   C9 self-sustaining capacity (自我造血): self-funding ratio;
  --   C10 industry technical services: technical service revenue (三(四)2
  --      公共服务平台: 技术委托研发、试验检测…; SMEs served already
  --      measure reach, in C3).
  criteria = {
    criterion "C1" {
      clause = "四(三)",
      quote  = "创新中心关键共性技术成果数量及质量",
      title  = { en = "Key common technology outputs, quantity and quality",
                 zh = "关键共性技术成果数量及质量" },
      indicators = {
        { "key_tech_outputs",  target = param "target_key_tech_outputs" },
        { "invention_patents", target = param "target_invention_patents" },
      },
    },
    criterion "C2" {
      clause = "四(三)",
      quote  = "技术成果转移扩散和产业化",
      title  = { en = "Transfer, diffusion and industrialisation",
                 zh = "技术成果转移扩散和产业化" },
      indicators = {
        { "tech_transfers", target = param "target_tech_transfers" },
        { "industrialization_revenue_wan",
          target = param "target_industrialization_revenue_wan" },
      },
    },
    criterion "C3" {
      clause = "四(三)",
      quote  = "对行业发展的支撑作用",
      title  = { en = "Support to the industry", zh = "对行业发展的支撑作用" },
      indicators = {
        { "smes_served", target = param "target_smes_served" },
      },
    },
    criterion "C4" {
      clause = "四(三)",
      quote  = "人才队伍建设",
      title  = { en = "Talent", zh = "人才队伍建设" },
      indicators = {
        { "talent_total",   target = param "target_talent_total" },
        { "leading_talent", target = param "target_leading_talent" },
      },
    },
    criterion "C5" {
      clause = "四(三)",
      quote  = "协同创新",
      title  = { en = "Collaborative innovation", zh = "协同创新" },
      indicators = {
        { "collaborative_projects", target = param "target_collaborative_projects" },
        { "member_units",           target = param "target_member_units" },
      },
    },
    criterion "C6" {
      clause = "四(三)",
      quote  = "开展国际合作情况",
      title  = { en = "International cooperation", zh = "开展国际合作" },
      indicators = {
        { "international_projects", target = param "target_international_projects" },
      },
    },
    criterion "C7" {
      clause = "四(三)",
      quote  = "行业标准",
      title  = { en = "Industry standards (enterprise form)",
                 zh = "行业标准(企业法人型)" },
      indicators = {
        { "standards", target = param "target_standards" },
      },
    },
    criterion "C8" {
      clause = "四(三)",
      quote  = "现代企业管理制度",
      title  = { en = "Modern enterprise management (enterprise form)",
                 zh = "现代企业管理制度(企业法人型)" },
      indicators = {
        { "modern_management" },   -- bool: 100 when yes, 0 when no
      },
    },
    criterion "C9" {
      clause = "四(三)",
      quote  = "自我造血功能",
      title  = { en = "Self-sustaining capacity (enterprise form)",
                 zh = "自我造血功能(企业法人型)" },
      indicators = {
        { "self_funding_ratio", target = param "target_self_funding_ratio" },
      },
    },
    criterion "C10" {
      clause = "四(三)",
      quote  = "行业技术服务",
      title  = { en = "Industry technical services (non-enterprise form)",
                 zh = "行业技术服务(非企业法人型)" },
      indicators = {
        { "tech_service_revenue_wan",
          target = param "target_tech_service_revenue_wan" },
      },
    },
  },

  -- 评估考核分为年度评估和三年定期考核: three-year figures are cumulative,
  -- so count and money targets are three times the annual ones.
  target_scale = { column = "evaluation_type", annual = 1, three_year = 3 },

  -- WEIGHTS — each form sums to 100.  Contract 5.3 names C7-C9 (enterprise)
  -- and C10 (non-enterprise) as the emphases, which carry at least 60: here
  -- exactly 60.  四(三) ¶3's 侧重 lists also name common contents (below),
  -- which come next, so the policy's whole list carries more than 60 too.
  weights = weights "org_form" {
    -- 企业法人型 侧重: 行业标准 C7, 现代企业管理制度 C8, 自我造血功能 C9
    -- = 20+20+20 = 60; 行业关键共性技术研发 C1 and 技术成果转移扩散和产业化
    -- C2 (also in its 侧重 list) 10 each; the other common contents 5 each.
    -- C10 (technical services) is the other form's emphasis and already
    -- earns money that counts in C9: weight 0.
    enterprise     = { C1 = 10, C2 = 10, C3 = 5,  C4 = 5,  C5 = 5,
                       C6 = 5,  C7 = 20, C8 = 20, C9 = 20, C10 = 0 },
    -- 非企业法人型 侧重: 行业技术服务 C10 = 60; 对行业发展的支撑作用 C3,
    -- 协同创新 C5, 开展国际合作 C6 (also in its 侧重 list) 10 each; the other
    -- common contents C1, C2, C4 share 10.  Standards, enterprise management
    -- and self-funding are named only for the company form: weight 0.
    non_enterprise = { C1 = 3,  C2 = 3,  C3 = 10, C4 = 4,  C5 = 10,
                       C6 = 10, C7 = 0,  C8 = 0,  C9 = 0,  C10 = 60 },
  },

  -- EMPHASIS — contract 5.3: "the criteria the policy names as that form's
  -- emphasis carry at least 60" of its weights.  Checked at load: moving
  -- weight off them (C7 to C1, say) is a problem lint reports.
  emphasis = {
    enterprise     = { "C7", "C8", "C9", at_least = 60 },
    non_enterprise = { "C10", at_least = 60 },
  },

  -- GRADES — contract 5.3.
  grades = { { "EXCELLENT", 85, label = { en = "excellent", zh = "优秀" } },
             { "GOOD", 70, label = { en = "good", zh = "良好" } },
             { "QUALIFIED", 60, label = { en = "qualified", zh = "合格" } },
             { "UNQUALIFIED", 0, label = { en = "unqualified", zh = "不合格" } } },

  -- Contract 5.3: UNQUALIFIED when the report was not submitted, whatever
  -- else is missing; then INCOMPLETE while an indicator the score needs is
  -- missing; else the grade.  An EMPTY report_submitted leaves the first
  -- condition UNKNOWN, hence INCOMPLETE (section 3's first-match rule).
  verdicts = {
    verdict "UNQUALIFIED" { label = { en = "unqualified", zh = "不合格" },
      when = is_false "report_submitted",
      en = "the annual operation and development report was not submitted "
        .. "(创新中心每年需提交运行发展报告)",
      zh = "未提交运行发展报告(创新中心每年需提交运行发展报告),评估考核不合格" },
    graded {
      en = "total score {score}: {grade}",
      zh = "总分{score}:{grade}" },
  },
}
