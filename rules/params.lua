-- params.lua — every parameter of the shipped rule set, in one place.
--
-- A policy officer changes a number here and nothing else.  Each parameter
-- names the clause of the 上海市制造业创新中心建设工程实施方案(2022-2025年)
-- it serves and says why the default was chosen.  Where the policy text
-- gives no number at all (the evaluation targets), the note says so: those
-- defaults are this rule set's own reading, to be confirmed by 市经济信息化委.
--
-- The evaluation WEIGHTS and GRADE BANDS are declared in evaluation.lua
-- (section "WEIGHTS" and "GRADES" at the top of that file), because the DSL
-- declares them with the decision; their numbers are easy to find there.

------------------------------------------------------------------------
-- 六 申报受理: the plan's period (decision application, rule W1)
------------------------------------------------------------------------

param "plan_start" {
  value  = date "2022-08-10",
  clause = "六",
  note   = "本方案自发布日起施行: the plan was published on 2022-08-10 "
        .. "(发布时间 2022-08-10); the first day is inclusive",
}

param "plan_end" {
  value  = date "2025-12-31",
  clause = "六",
  note   = "有效期至2025年12月31日: the last day is inclusive",
}

------------------------------------------------------------------------
-- 三(一) 组建原则 and 附件 总体布局: the key industries (rule D1)
-- Contract 5.4.  The two lists are parallel (same order); an industry cell
-- is accepted when it is a token of the first OR a label of the second.
------------------------------------------------------------------------

param "industries" {
  value = {
    "integrated_circuits", "biomedicine", "artificial_intelligence",
    "electronic_information", "life_health", "automotive",
    "high_end_equipment", "advanced_materials", "fashion_consumer_goods",
    "producer_services", "digital_economy", "green_low_carbon",
  },
  clause = "三(一)、附件",
  note   = "the 10 重点产业领域 of the 附件 plus the 新赛道领域 数字经济 and "
        .. "绿色低碳 named in 三(一); English tokens as fixed by contract 5.4",
}

param "industry_labels" {
  value = {
    "集成电路", "生物医药", "人工智能",
    "电子信息", "生命健康", "汽车",
    "高端装备", "先进材料", "时尚消费品",
    "生产性服务业", "数字经济", "绿色低碳",
  },
  clause = "三(一)、附件",
  note   = "the same 12 fields by their Chinese names in the policy (附件 "
        .. "重点产业领域 column; 数字经济、绿色低碳 from 三(一)), in the order "
        .. "of the token list",
}

------------------------------------------------------------------------
-- 三(三) 基本条件 (rules E1-E3, N1-N3)
------------------------------------------------------------------------

param "min_top_ranked_members" {
  value  = 2,
  clause = "三(三)1 ¶2, 三(三)2 ¶2",
  note   = "若干家在本领域排名前列的企业: 若干 (several) read as at least two "
        .. "— one would not be 若干家; contract 5.1 default",
}

param "registration_window_months" {
  value  = 36,
  clause = "三(三)1 ¶1",
  note   = "三年内在本市新注册: three years = 36 months, counted back from the "
        .. "application date by contract 5.5 (PRC Civil Code arts. 201-202), "
        .. "the earliest allowed day included",
}

------------------------------------------------------------------------
-- 四(一) 发起单位(申请单位)要求 (rules S1-S3)
------------------------------------------------------------------------

param "min_years_in_field" {
  value  = 5,
  clause = "四(一)1",
  note   = "在所属领域长期从事研究开发: 长期 (long-term) read as five years "
        .. "(one 五年规划 period); contract 5.1 default",
}

param "min_core_technologies" {
  value  = 1,
  clause = "四(一)1",
  note   = "至少应有1-2项…核心技术: the lower end of 1-2项 is the minimum; "
        .. "raise to 2 for the stricter reading",
}

------------------------------------------------------------------------
-- 六 申报受理 ¶2: the preparatory period (decision preparatory)
------------------------------------------------------------------------

param "prep_period_months" {
  value  = 12,
  clause = "六 ¶2",
  note   = "筹建期为一年: 12 months from prep_start_date, by contract 5.5; "
        .. "the deadline day itself is inside the period",
}

param "prep_extension_months" {
  value  = 6,
  clause = "六 ¶2",
  note   = "如有特殊原因,可申请延期半年: half a year = 6 months; the extended "
        .. "deadline is prep_start_date + (12 + 6) months, counted from the "
        .. "start (not base deadline + 6, which differs for 29 Feb and "
        .. "month-end starts)",
}

------------------------------------------------------------------------
-- 四(三) 评估考核: indicator targets (decision evaluation)
--
-- The policy names the contents of the assessment but gives NO numbers.
-- The targets below are this rule set's reading of what a municipal
-- manufacturing innovation centre should reach in ONE year; a centre at or
-- above the target scores 100 on that indicator, below it
-- 100 * value / target.  For a three-year assessment (三年定期考核) the
-- decision multiplies every count and money target by 3 (target_scale in
-- evaluation.lua): the three-year figures are cumulative over the period.
-- The ratio target (self-funding) is not scaled.
------------------------------------------------------------------------

param "target_key_tech_outputs" {
  value  = 3,
  clause = "四(三) C1",
  note   = "关键共性技术成果数量: no number in the policy; three key common "
        .. "technology results a year (the 1-2 core technologies of 四(一)1 "
        .. "plus one) is a full score",
}

param "target_invention_patents" {
  value  = 10,
  clause = "四(三) C1",
  note   = "关键共性技术成果…质量, measured by invention patents granted: no "
        .. "number in the policy; ten a year",
}

param "target_tech_transfers" {
  value  = 5,
  clause = "四(三) C2",
  note   = "技术成果转移扩散: no number in the policy; five transfers or "
        .. "licences a year",
}

param "target_industrialization_revenue_wan" {
  value  = 2000,
  clause = "四(三) C2",
  note   = "产业化 (首次商业化) revenue: no number in the policy; 2000 万元 "
        .. "(CNY 20 million) a year",
}

param "target_smes_served" {
  value  = 50,
  clause = "四(三) C3",
  note   = "对行业发展的支撑作用, measured by the firms served (三(四)2: 向企业"
        .. "尤其是中小企业源源不断提供…): no number in the policy; 50 a year",
}

param "target_talent_total" {
  value  = 50,
  clause = "四(三) C4",
  note   = "人才队伍建设: no number in the policy; a team of 50.  Note: the "
        .. "three-year scaling (x3) applies to it too (the DSL scales every "
        .. "count), so three-year figures are read as person-years",
}

param "target_leading_talent" {
  value  = 3,
  clause = "四(三) C4",
  note   = "领军人才 (二(二) 四是领军人才与创新团队的摇篮): no number in the "
        .. "policy; three a year",
}

param "target_collaborative_projects" {
  value  = 5,
  clause = "四(三) C5",
  note   = "协同创新: no number in the policy; five joint projects a year",
}

param "target_member_units" {
  value  = 30,
  clause = "四(三) C5",
  note   = "协同创新 through the alliance (联盟应汇聚…各类创新主体): no number "
        .. "in the policy; 30 member units",
}

param "target_international_projects" {
  value  = 2,
  clause = "四(三) C6",
  note   = "开展国际合作: no number in the policy; two international projects "
        .. "a year",
}

param "target_standards" {
  value  = 2,
  clause = "四(三) C7",
  note   = "行业标准 (enterprise-form emphasis): no number in the policy; two "
        .. "standards led or joined a year",
}

param "target_self_funding_ratio" {
  value  = 0.5,
  clause = "四(三) C9",
  note   = "自我造血功能 (enterprise-form emphasis): no number in the policy; "
        .. "half of income earned by the centre itself (三(四)2 expects member "
        .. "funding as the base, so half is a full score); a ratio, not "
        .. "scaled for three-year assessments",
}

param "target_tech_service_revenue_wan" {
  value  = 500,
  clause = "四(三) C10",
  note   = "行业技术服务 (non-enterprise emphasis; 三(四)2 公共服务平台: 技术"
        .. "委托研发、试验检测…): no number in the policy; 500 万元 a year",
}
