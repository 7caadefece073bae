-- application.lua — decision "application" (申报): an application for
-- selection as a centre (request = create, 创建) or for preparatory status
-- (request = prepare, 筹建).  Contract 5.1.
--
-- Which rules decide (contract 5.1):
--   W1, D1          always;
--   E1-E3 / N1-N3   apply to the form (enterprise / non_enterprise) and
--                   decide only for create;
--   S1-S3, M1-M4    apply to every request and decide only for create;
--   X1, X2          apply to (and decide) create only; pending = UNKNOWN;
--   P1              applies to (and decides) prepare only.
-- For prepare the E/N/S/M rules are still evaluated and reported in
-- `failed` / `missing` (what the applicant has left to reach) but do not
-- decide: a preparatory request is by definition for those not yet meeting
-- them (六 ¶2 暂未达到创新中心遴选要求).

decision "application" {
  title          = { en = "Application (selection or preparatory status)",
                     zh = "申报(创建遴选或筹建)" },
  id_column      = "applicant_id",
  reference_date = "application_date",

  columns = {
    column "applicant_id" { zh = "申报编号", type = "string", required = true,
      unique = true, meaning = "unique id of the application",
      meaning_zh = "申报的唯一编号" },
    column "name" { zh = "单位名称", type = "string", optional = true,
      meaning = "name of the applying organisation",
      meaning_zh = "申报单位名称" },
    column "org_form" { zh = "组织形式", type = "enum",
      values = { { "enterprise", "企业法人型" },
                 { "non_enterprise", "非企业法人型" } },
      meaning = "organisational form of the centre (三(二))",
      meaning_zh = "创新中心的组织形式（三(二)）" },
    column "request" { zh = "申报类型", type = "enum",
      values = { { "create", "创建" }, { "prepare", "筹建" } },
      meaning = "selection as a centre, or preparatory status",
      meaning_zh = "申报创新中心遴选，或申请筹建资格" },
    column "application_date" { zh = "申报日期", type = "date",
      meaning = "date the application was filed",
      meaning_zh = "提交申报的日期" },
    column "registered_in_shanghai" { zh = "本市注册", type = "bool",
      meaning = "the legal person is registered in Shanghai",
      meaning_zh = "法人在本市注册" },
    column "registration_date" { zh = "注册日期", type = "date",
      meaning = "legal person's registration",
      meaning_zh = "法人的注册日期" },
    column "legal_form" { zh = "法人类型", type = "enum",
      values = { { "joint_stock", "股份有限公司" },
                 { "limited_liability", "有限责任公司" },
                 { "social_organization", "社会团体" },
                 { "private_non_enterprise", "民办非企业单位" },
                 { "other", "其他" } },
      meaning = "legal form of the legal person",
      meaning_zh = "法人的类型" },
    column "operating_model" { zh = "运行模式", type = "enum",
      values = { { "company_alliance", "公司+联盟" },
                 { "nonprofit_alliance", "非企业法人+联盟" },
                 { "other", "其他" } },
      meaning = "operating model",
      meaning_zh = "运行模式" },
    column "industry" { zh = "重点产业领域", type = "string",
      meaning = "a key industry of the 附件, by its token or Chinese label "
             .. "(parameters industries, industry_labels), or anything else "
             .. "(then D1 is FALSE)",
      meaning_zh = "附件所列重点产业领域，填代码或中文名称（参数industries、industry_labels）；填其他内容则D1不成立" },
    column "subfield" { zh = "细分领域", type = "string", optional = true,
      meaning = "sub-field within the industry (附件 细分领域)",
      meaning_zh = "产业领域内的细分领域（附件细分领域）" },
    column "top_ranked_members" { zh = "行业排名前列成员数", type = "count",
      meaning = "top-ranked enterprises among shareholders (enterprise) or "
             .. "founding units (non-enterprise)",
      meaning_zh = "股东（企业法人型）或发起单位（非企业法人型）中在本领域排名前列的企业数" },
    column "backbone_members" { zh = "骨干企业数", type = "count",
      meaning = "backbone enterprises of the field among them",
      meaning_zh = "其中本领域骨干企业数" },
    column "chain_members" { zh = "上下游单位数", type = "count",
      meaning = "upstream/downstream units among them",
      meaning_zh = "其中产业链上下游单位数" },
    column "capital_linked" { zh = "资本纽带", type = "bool",
      meaning = "shareholders bound by capital",
      meaning_zh = "股东以资本为纽带" },
    column "founding_universities" { zh = "发起高校数", type = "count",
      meaning = "universities among the founding units",
      meaning_zh = "发起单位中的高校数" },
    column "founding_institutes" { zh = "发起科研院所数", type = "count",
      meaning = "research institutes among the founding units",
      meaning_zh = "发起单位中的科研院所数" },
    column "alliance_enterprises" { zh = "联盟企业数", type = "count",
      meaning = "enterprises in the alliance",
      meaning_zh = "联盟中的企业数" },
    column "alliance_users" { zh = "联盟用户单位数", type = "count",
      meaning = "user organisations in the alliance",
      meaning_zh = "联盟中的用户单位数" },
    column "alliance_universities" { zh = "联盟高校数", type = "count",
      meaning = "universities in the alliance",
      meaning_zh = "联盟中的高校数" },
    column "alliance_institutes" { zh = "联盟科研院所数", type = "count",
      meaning = "research institutes in the alliance",
      meaning_zh = "联盟中的科研院所数" },
    column "alliance_platforms" { zh = "联盟创新平台数", type = "count",
      meaning = "national or provincial innovation platforms",
      meaning_zh = "国家级和省市级创新平台数" },
    column "rd_spend_wan" { zh = "研发投入(万元)", type = "money",
      meaning = "sponsors' annual R&D spend, 万元",
      meaning_zh = "发起单位的年度研发投入，万元" },
    column "years_in_field" { zh = "领域从业年限", type = "count",
      meaning = "years of R&D in the field",
      meaning_zh = "在本领域从事研究开发的年数" },
    column "has_facilities" { zh = "具备科研设施", type = "bool",
      meaning = "advanced research infrastructure and instruments",
      meaning_zh = "具备先进的科研基础设施、仪器装备" },
    column "key_projects_done" { zh = "完成重点项目数", type = "count",
      meaning = "national or industry key R&D projects completed",
      meaning_zh = "完成的国家或行业重点研发项目数" },
    column "core_technologies" { zh = "核心技术数", type = "count",
      meaning = "core technologies with own IP to break through",
      meaning_zh = "拟突破的具有自主知识产权的核心技术数" },
    column "commercialization_cases" { zh = "成果转化案例数", type = "count",
      meaning = "cases of commercialising results",
      meaning_zh = "成果转化案例数" },
    column "has_rd_platform" { zh = "具备研发平台", type = "bool",
      meaning = "R&D or commercial application platform",
      meaning_zh = "具备研究开发平台或商业应用平台" },
    column "high_end_talent" { zh = "高端人才数", type = "count",
      meaning = "high-end R&D talent",
      meaning_zh = "高端研发人才数" },
    column "has_expert_committee" { zh = "技术专家委员会", type = "bool",
      meaning = "a technical expert committee is set up",
      meaning_zh = "已设立技术专家委员会" },
    column "committee_chair_leading_expert" { zh = "主任为领军专家", type = "bool",
      meaning = "the committee is chaired by a leading expert of the industry",
      meaning_zh = "委员会主任由行业领军专家担任" },
    column "has_ip_mechanism" { zh = "知识产权机制", type = "bool",
      meaning = "market-based IP sharing and commercialisation mechanism",
      meaning_zh = "市场化的知识产权分享与技术成果转化机制" },
    column "has_sharing_platform" { zh = "开放共享平台", type = "bool",
      meaning = "platform for open sharing of resources",
      meaning_zh = "资源开放共享平台" },
    column "has_tech_roadmap" { zh = "技术路线图", type = "bool",
      meaning = "a clear technology roadmap",
      meaning_zh = "明确的技术路线图" },
    column "significant_advantage" { zh = "显著领先优势", type = "bool",
      meaning = "(prepare) significant leading and competitive advantage",
      meaning_zh = "（筹建）具有显著的领先和竞争优势" },
    column "prep_plan_compliant" { zh = "筹建方案符合要求", type = "bool",
      meaning = "(prepare) preparatory plan meets centre requirements",
      meaning_zh = "（筹建）筹建方案符合创新中心建设要求" },
    column "expert_review" { zh = "专家评审", type = "enum",
      values = { { "passed", "通过" }, { "failed", "未通过" } },
      meaning = "result of the expert review; empty = pending",
      meaning_zh = "专家评审结果；空 = 待评审" },
    column "site_visit" { zh = "现场考察", type = "enum",
      values = { { "passed", "通过" }, { "failed", "未通过" } },
      meaning = "result of the site visit; empty = pending",
      meaning_zh = "现场考察结果；空 = 待考察" },
  },

  values = {
    -- 三年内: on or after the application date minus 36 months (contract
    -- 5.5: same day number, or the month's last day where it has none;
    -- 2024-02-29 minus 36 months is 2021-02-28).
    value "earliest_registration" {
      add_months("application_date",
                 times(param "registration_window_months", -1)),
      en = "earliest registration date allowed", zh = "最早注册日期" },
  },

  rules = {
    ------------------------------------------------------------------
    -- W1  六: the plan is in force 2022-08-10 .. 2025-12-31
    ------------------------------------------------------------------
    rule "W1" {
      clause = "六",
      quote  = "本方案自发布日起施行,有效期至2025年12月31日。",
      title  = { en = "Application filed while the plan is in force",
                 zh = "在本方案有效期内申报" },
      all = {
        part "not_before_plan" {
          on_or_after("application_date", param "plan_start"),
          en = "application date is {application_date}; must be on or after "
            .. "{plan_start}, when the plan took effect",
          zh = "申报日期为{application_date};须不早于本方案施行日{plan_start}" },
        part "not_after_plan" {
          on_or_before("application_date", param "plan_end"),
          en = "application date is {application_date}; must be on or before "
            .. "{plan_end}, the last day of the plan",
          zh = "申报日期为{application_date};须不晚于本方案有效期截止日{plan_end}" },
      },
    },

    ------------------------------------------------------------------
    -- D1  三(一), 附件: one of the key industries
    ------------------------------------------------------------------
    rule "D1" {
      clause = "三(一)、附件",
      quote  = "聚焦集成电路、生物医药、人工智能、电子信息、生命健康、汽车、"
            .. "高端装备、先进材料、时尚消费品等重点产业以及数字经济、绿色低碳"
            .. "等新赛道领域",
      title  = { en = "A key industry of the plan",
                 zh = "属于本方案重点产业领域" },
      any = {
        part "token" { one_of("industry", param "industries") },
        part "label" { one_of("industry", param "industry_labels") },
      },
      en = "industry \"{industry}\" is not one of the key industries of "
        .. "三(一) and the 附件 (named by its token or its Chinese label)",
      zh = "重点产业领域“{industry}”不属于三(一)及附件所列重点产业领域",
    },

    ------------------------------------------------------------------
    -- E1-E3  三(三)1: basic conditions, enterprise form
    ------------------------------------------------------------------
    rule "E1" {
      clause  = "三(三)1 ¶1",
      quote   = "三年内在本市新注册的股份制独立法人,采取“公司+联盟”模式运行。",
      title   = { en = "Joint-stock company newly registered in Shanghai "
                    .. "within 3 years, run as company + alliance",
                  zh = "三年内在本市新注册的股份制独立法人,“公司+联盟”模式" },
      applies = is("org_form", "enterprise"),
      decides = is("request", "create"),
      all = {
        part "registered_in_shanghai" { is_true "registered_in_shanghai",
          en = "registered in Shanghai: {registered_in_shanghai}; must be "
            .. "registered in Shanghai (在本市注册)",
          zh = "本市注册:{registered_in_shanghai};须在本市注册" },
        part "legal_form" { is("legal_form", "joint_stock"),
          en = "legal form is {legal_form}; must be joint_stock (股份制独立法人)",
          zh = "法人类型为{legal_form};须为股份有限公司(股份制独立法人)" },
        part "operating_model" { is("operating_model", "company_alliance"),
          en = "operating model is {operating_model}; must be company_alliance "
            .. "(公司+联盟)",
          zh = "运行模式为{operating_model};须为“公司+联盟”" },
        part "registration_window" {
          on_or_after("registration_date", "earliest_registration"),
          en = "registered on {registration_date}; must be on or after "
            .. "{earliest_registration} (within {registration_window_months} "
            .. "months before the application date {application_date})",
          zh = "注册日期为{registration_date};须不早于{earliest_registration}"
            .. "(申报日期{application_date}前{registration_window_months}个月内)" },
        part "registration_not_after_application" {
          on_or_before("registration_date", "application_date"),
          en = "registered on {registration_date}; must be on or before the "
            .. "application date {application_date}",
          zh = "注册日期为{registration_date};须不晚于申报日期{application_date}" },
      },
    },

    rule "E2" {
      clause  = "三(三)1 ¶2",
      quote   = "公司应是面向行业,由本领域骨干企业及产业链上下游单位以资本为纽带"
             .. "组成的独立企业法人,股东中应包括若干家在本领域排名前列的企业。",
      title   = { en = "Shareholders bound by capital: backbone, chain and "
                    .. "top-ranked enterprises",
                  zh = "以资本为纽带,股东含骨干企业、上下游单位及排名前列企业" },
      applies = is("org_form", "enterprise"),
      decides = is("request", "create"),
      all = {
        part "capital_linked" { is_true "capital_linked",
          en = "shareholders bound by capital: {capital_linked}; required "
            .. "(以资本为纽带)",
          zh = "资本纽带:{capital_linked};须以资本为纽带组成" },
        part "backbone_members" { at_least("backbone_members", 1) },
        part "chain_members" { at_least("chain_members", 1) },
        part "top_ranked_members" {
          at_least("top_ranked_members", param "min_top_ranked_members") },
      },
    },

    rule "E3" {
      clause  = "三(三)1 ¶3",
      quote   = "联盟应汇聚包括用户在内的企业、科研院所、高校等各类创新主体,"
             .. "以及本领域内各类国家级和省市级创新平台。",
      title   = { en = "Alliance of enterprises, users, universities, "
                    .. "institutes and innovation platforms",
                  zh = "联盟汇聚企业(含用户)、高校、科研院所及创新平台" },
      applies = is("org_form", "enterprise"),
      decides = is("request", "create"),
      all = {
        part "alliance_enterprises" { at_least("alliance_enterprises", 1) },
        part "alliance_users" { at_least("alliance_users", 1) },
        part "alliance_universities" { at_least("alliance_universities", 1) },
        part "alliance_institutes" { at_least("alliance_institutes", 1) },
        part "alliance_platforms" { at_least("alliance_platforms", 1) },
      },
    },

    ------------------------------------------------------------------
    -- N1-N3  三(三)2: basic conditions, non-enterprise form
    ------------------------------------------------------------------
    rule "N1" {
      clause  = "三(三)2 ¶1",
      quote   = "在本市注册的非企业法人,采取“非企业法人+联盟”模式运行。",
      title   = { en = "Non-enterprise legal person (research association) "
                    .. "registered in Shanghai, run as non-enterprise + alliance",
                  zh = "在本市注册的非企业法人,“非企业法人+联盟”模式" },
      applies = is("org_form", "non_enterprise"),
      decides = is("request", "create"),
      all = {
        part "registered_in_shanghai" { is_true "registered_in_shanghai",
          en = "registered in Shanghai: {registered_in_shanghai}; must be "
            .. "registered in Shanghai (在本市注册)",
          zh = "本市注册:{registered_in_shanghai};须在本市注册" },
        -- 研究型社团法人 (三(三)2 ¶2, 三(二)): a 社会团体; a 民办非企业单位
        -- is a non-enterprise legal person too but not a 社团.
        part "legal_form" { is("legal_form", "social_organization"),
          en = "legal form is {legal_form}; must be social_organization "
            .. "(研究型社团法人)",
          zh = "法人类型为{legal_form};须为社会团体(研究型社团法人)" },
        part "operating_model" { is("operating_model", "nonprofit_alliance"),
          en = "operating model is {operating_model}; must be "
            .. "nonprofit_alliance (非企业法人+联盟)",
          zh = "运行模式为{operating_model};须为“非企业法人+联盟”" },
      },
    },

    rule "N2" {
      clause  = "三(三)2 ¶2",
      quote   = "非企业法人应是面向行业,由本领域骨干企业及产业链上下游单位、高校、"
             .. "科研院所联合组成的研究型社团法人。发起单位中应包括若干家在本领域"
             .. "排名前列的企业。",
      title   = { en = "Founded by backbone and chain enterprises, universities "
                    .. "and institutes, incl. top-ranked enterprises",
                  zh = "由骨干企业、上下游单位、高校、科研院所联合发起,含排名前列企业" },
      applies = is("org_form", "non_enterprise"),
      decides = is("request", "create"),
      all = {
        part "backbone_members" { at_least("backbone_members", 1) },
        part "chain_members" { at_least("chain_members", 1) },
        part "founding_universities" { at_least("founding_universities", 1) },
        part "founding_institutes" { at_least("founding_institutes", 1) },
        part "top_ranked_members" {
          at_least("top_ranked_members", param "min_top_ranked_members") },
      },
    },

    rule "N3" {
      clause  = "三(三)2 ¶3",
      quote   = "联盟应汇聚包括用户在内的企业、科研院所、高校等各类创新主体,"
             .. "以及本领域内各类国家级和省市级创新平台。",
      title   = { en = "Alliance of enterprises, users, universities, "
                    .. "institutes and innovation platforms",
                  zh = "联盟汇聚企业(含用户)、高校、科研院所及创新平台" },
      applies = is("org_form", "non_enterprise"),
      decides = is("request", "create"),
      all = {
        part "alliance_enterprises" { at_least("alliance_enterprises", 1) },
        part "alliance_users" { at_least("alliance_users", 1) },
        part "alliance_universities" { at_least("alliance_universities", 1) },
        part "alliance_institutes" { at_least("alliance_institutes", 1) },
        part "alliance_platforms" { at_least("alliance_platforms", 1) },
      },
    },

    ------------------------------------------------------------------
    -- S1-S3  四(一): the sponsors (发起单位) — every request, decide create
    ------------------------------------------------------------------
    rule "S1" {
      clause  = "四(一)1",
      quote   = "具备比较雄厚的科研投入和经济实力,在所属领域长期从事研究开发且有"
             .. "持续研发投入,有先进的科研基础设施、仪器装备;有承担并较好完成国家"
             .. "或行业重点研发项目的经验,在该领域有一定的核心竞争力;创新中心成立"
             .. "后至少应有1-2项有待突破、可促进形成国内领先或国际先进的、拥有自主"
             .. "知识产权的核心技术。",
      title   = { en = "R&D strength: spend, years in the field, facilities, "
                    .. "key projects, core technologies",
                  zh = "科研实力:研发投入、从业年限、科研设施、重点项目、核心技术" },
      decides = is("request", "create"),
      all = {
        part "rd_spend_wan" { more_than("rd_spend_wan", 0),
          en = "R&D spend is {rd_spend_wan} 万元; continuing R&D spend "
            .. "(持续研发投入) must be above 0",
          zh = "研发投入为{rd_spend_wan}万元;须有持续研发投入(大于0)" },
        part "years_in_field" {
          at_least("years_in_field", param "min_years_in_field") },
        part "has_facilities" { is_true "has_facilities",
          en = "advanced research facilities: {has_facilities}; required",
          zh = "具备科研设施:{has_facilities};须有先进的科研基础设施、仪器装备" },
        part "key_projects_done" { at_least("key_projects_done", 1) },
        part "core_technologies" {
          at_least("core_technologies", param "min_core_technologies") },
      },
    },

    rule "S2" {
      clause  = "四(一)2",
      quote   = "有较强国际视野和整合行业创新资源能力,以及技术转移和扩散能力;"
             .. "有较丰富的成果转化和商业化经验;有比较完善的研究开发平台或商业"
             .. "应用平台。",
      title   = { en = "Commercialisation experience and an R&D or "
                    .. "commercial platform",
                  zh = "成果转化和商业化经验,研究开发或商业应用平台" },
      decides = is("request", "create"),
      all = {
        part "commercialization_cases" { at_least("commercialization_cases", 1) },
        part "has_rd_platform" { is_true "has_rd_platform",
          en = "R&D or commercial application platform: {has_rd_platform}; "
            .. "required",
          zh = "具备研发平台:{has_rd_platform};须有研究开发平台或商业应用平台" },
      },
    },

    rule "S3" {
      clause  = "四(一)3",
      quote   = "对创建创新中心积极性高,并有开展研发的高端人才,具备为技术创新"
             .. "发展提供支撑的能力。",
      title   = { en = "High-end R&D talent", zh = "有开展研发的高端人才" },
      decides = is("request", "create"),
      when    = at_least("high_end_talent", 1),
    },

    ------------------------------------------------------------------
    -- M1-M4  三(四)1: operating mechanisms — every request, decide create
    ------------------------------------------------------------------
    rule "M1" {
      clause  = "三(四)1",
      quote   = "应设立技术专家委员会。技术专家委员会由来自学术界、企业界和政府"
             .. "委派的专家组成,负责研判行业发展重大问题并筛选确定研究方向。技术"
             .. "专家委员会主任应由行业领军专家担任。",
      title   = { en = "Technical expert committee chaired by a leading expert",
                  zh = "设立技术专家委员会,主任由行业领军专家担任" },
      decides = is("request", "create"),
      all = {
        part "has_expert_committee" { is_true "has_expert_committee",
          en = "technical expert committee: {has_expert_committee}; required",
          zh = "技术专家委员会:{has_expert_committee};应设立技术专家委员会" },
        part "committee_chair_leading_expert" {
          is_true "committee_chair_leading_expert",
          en = "committee chaired by a leading expert: "
            .. "{committee_chair_leading_expert}; required",
          zh = "主任为领军专家:{committee_chair_leading_expert};"
            .. "主任应由行业领军专家担任" },
      },
    },

    rule "M2" {
      clause  = "三(四)1",
      quote   = "应建立市场化的知识产权分享与技术成果转化机制。建立知识产权创造、"
             .. "运用、管理和收益制度,以及科学合理的成果转化机制和专利许可转让制度。",
      title   = { en = "Market-based IP sharing and commercialisation mechanism",
                  zh = "市场化的知识产权分享与技术成果转化机制" },
      decides = is("request", "create"),
      when    = is_true "has_ip_mechanism",
      en = "IP sharing and commercialisation mechanism: {has_ip_mechanism}; "
        .. "required",
      zh = "知识产权机制:{has_ip_mechanism};应建立市场化的知识产权分享与技术"
        .. "成果转化机制",
    },

    rule "M3" {
      clause  = "三(四)1",
      quote   = "应建立资源开放共享的平台。充分发挥现有资源优势,实现与成员之间、"
             .. "行业领域的资源开放共享,具备持续提升创新水平的能力。",
      title   = { en = "Platform for open sharing of resources",
                  zh = "资源开放共享的平台" },
      decides = is("request", "create"),
      when    = is_true "has_sharing_platform",
      en = "open sharing platform: {has_sharing_platform}; required",
      zh = "开放共享平台:{has_sharing_platform};应建立资源开放共享的平台",
    },

    rule "M4" {
      clause  = "三(四)1",
      quote   = "应发挥行业引领作用。在技术专家委员会的指导下,按照市场需求,结合"
             .. "行业发展,制定明确的技术路线图,并组织本领域国内外企业、高校、研究"
             .. "机构共同实施。",
      title   = { en = "A clear technology roadmap", zh = "制定明确的技术路线图" },
      decides = is("request", "create"),
      when    = is_true "has_tech_roadmap",
      en = "technology roadmap: {has_tech_roadmap}; required",
      zh = "技术路线图:{has_tech_roadmap};应制定明确的技术路线图",
    },

    ------------------------------------------------------------------
    -- X1-X2  四(二)2: selection steps — create only; empty = pending
    ------------------------------------------------------------------
    rule "X1" {
      clause  = "四(二)2",
      quote   = "创新中心的遴选必须经过专家评审、现场考察等环节。由上海市经济和"
             .. "信息化委员会组织建立包括来自经济、技术、产业、管理、法律等领域专家"
             .. "的上海市制造业创新中心专家组。专家组根据企业所申报的类别,对申报"
             .. "创新中心的单位进行评审和考察。经审核通过后,申报单位可被遴选为上海"
             .. "市制造业创新中心。",
      title   = { en = "Expert review passed", zh = "通过专家评审" },
      applies = is("request", "create"),
      when    = is("expert_review", "passed"),
      en = "expert review: {expert_review}; must be passed",
      zh = "专家评审:{expert_review};须通过专家评审",
    },

    rule "X2" {
      clause  = "四(二)2",
      quote   = "创新中心的遴选必须经过专家评审、现场考察等环节。由上海市经济和"
             .. "信息化委员会组织建立包括来自经济、技术、产业、管理、法律等领域专家"
             .. "的上海市制造业创新中心专家组。专家组根据企业所申报的类别,对申报"
             .. "创新中心的单位进行评审和考察。经审核通过后,申报单位可被遴选为上海"
             .. "市制造业创新中心。",
      title   = { en = "Site visit passed", zh = "通过现场考察" },
      applies = is("request", "create"),
      when    = is("site_visit", "passed"),
      en = "site visit: {site_visit}; must be passed",
      zh = "现场考察:{site_visit};须通过现场考察",
    },

    ------------------------------------------------------------------
    -- P1  六 ¶2: preparatory status — prepare only
    ------------------------------------------------------------------
    rule "P1" {
      clause  = "六 ¶2",
      quote   = "对于暂未达到创新中心遴选要求,但在相关领域具有显著领先优势和竞争"
             .. "优势,筹建方案符合创新中心要求,申报单位可向上海市经济和信息化委员会"
             .. "申请筹建制造业创新中心,待完成筹建工作后正式申请创新中心遴选。",
      title   = { en = "Significant leading advantage and a compliant "
                    .. "preparatory plan",
                  zh = "具有显著领先优势和竞争优势,筹建方案符合要求" },
      applies = is("request", "prepare"),
      all = {
        part "significant_advantage" { is_true "significant_advantage",
          en = "significant leading and competitive advantage: "
            .. "{significant_advantage}; required",
          zh = "显著领先优势:{significant_advantage};须在相关领域具有显著领先"
            .. "优势和竞争优势" },
        part "prep_plan_compliant" { is_true "prep_plan_compliant",
          en = "preparatory plan meets the centre requirements: "
            .. "{prep_plan_compliant}; required",
          zh = "筹建方案符合要求:{prep_plan_compliant};筹建方案须符合创新中心要求" },
      },
    },
  },

  -- Contract 5.1, first match wins (INVALID is given by the engine first).
  verdicts = {
    verdict "OUT_OF_WINDOW" { label = { en = "outside the plan's period", zh = "不在有效期内" },
      when = failed "W1",
      en = "application date outside the plan's period "
        .. "({plan_start} to {plan_end}): {reasons}",
      zh = "申报日期不在本方案有效期({plan_start}至{plan_end})内:{reasons}" },
    verdict "REJECTED" { label = { en = "rejected", zh = "不符合条件" },
      when = any_deciding_failed(),
      en = "{reasons}", zh = "{reasons}" },
    -- Pending selection steps (X1, X2) do not make a record INCOMPLETE.
    verdict "INCOMPLETE" { label = { en = "information missing", zh = "信息不全" },
      when = any_deciding_unknown { except = { "X1", "X2" } },
      en = "missing {missing_deciding}", zh = "未填写：{missing_deciding}" },
    verdict "SELECTED" { label = { en = "selected", zh = "遴选通过" },
     
      when = all_of { is("request", "create"), passed "X1", passed "X2" },
      en = "meets every condition and passed expert review and site visit",
      zh = "符合全部条件,已通过专家评审和现场考察,可遴选为创新中心" },
    verdict "ELIGIBLE" { label = { en = "eligible, ready for expert review", zh = "符合条件，待评审" },
      when = is("request", "create"),
      en = "meets every condition; awaiting {missing}",
      zh = "符合全部条件,待{missing}" },
    verdict "PREP_ELIGIBLE" { label = { en = "may prepare a centre", zh = "可申请筹建" },
      when = is("request", "prepare"),
      en = "may apply to prepare a centre (筹建); conditions for selection "
        .. "not yet met are reported but do not decide",
      zh = "可申请筹建制造业创新中心;尚未满足的创建条件仅作提示,不影响本次筹建申报" },
  },
}
