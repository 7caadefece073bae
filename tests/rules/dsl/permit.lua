-- permit.lua — decision "permit": a market-stall permit.  A plain
-- decision (no score) using every operand, condition and rule form.
--
-- Colours: red (food) and green (crafts) are height-checked; blue
-- (pop-up) needs no inspection but must name its holder (P1, in
-- permit_extra.lua); grey is not permitted.

include "shared/helpers.lua"

decision "permit" {
  title          = { en = "Market stall permit", zh = "摊位许可" },
  id_column      = "permit_id",
  reference_date = "filed_on",        -- max_height and min_share are read on it

  columns = {
    column "permit_id" { zh = "许可编号", type = "string", required = true, unique = true,
      meaning = "id of the application" },
    column "holder" { zh = "持有人", type = "string", optional = true,
      meaning = "name of the holder; the column may be left out" },
    column "colour" { zh = "类别", type = "enum",
      values = { { "red", "红" }, { "green", "绿" }, { "blue", "蓝" }, { "grey", "灰" } },
      meaning = "kind of stall" },
    column "city" { zh = "城市", type = "string", meaning = "a token or label of param cities" },
    column "filed_on" { zh = "申请日期", type = "date" },
    column "opened_on" { zh = "开业日期", type = "date" },
    column "inspected_on" { zh = "检查日期", type = "date", meaning = "empty = not inspected yet" },
    column "inspection" { zh = "检查结果", type = "enum",
      values = { { "passed", "通过" }, { "failed", "未通过" } }, meaning = "empty = pending" },
    column "members" { zh = "人数", type = "count" },
    column "balance" { zh = "余额", type = "int", min = -100, max = 100, meaning = "万元" },
    column "height" { zh = "高度", type = "number", meaning = "metres" },
    column "fee" { zh = "费用", type = "money" },
    column "share" { zh = "本地比例", type = "ratio", meaning = "share of local goods" },
    column "insured" { zh = "已投保", type = "bool" },
    column "vetted" { zh = "已预审", type = "bool", meaning = "staff rule S1 does not decide" },
    column "waived" { zh = "免收费用", type = "bool" },
  },

  values = {
    -- Operands.
    value "inspect_deadline" { add_months("opened_on", param "window_months"),
      en = "inspection deadline", zh = "检查期限" },
    value "checked_on" { first_present("inspected_on", as_of()),
      en = "inspection date, or the evaluation date while not inspected", zh = "检查日" },
    value "wait_days" { days_between("filed_on", "checked_on"),
      en = "days from filing to inspection", zh = "等待天数" },
    value "share_from" { add_months("opened_on", 1),
      en = "first day the share of local goods counts", zh = "本地比例起算日" },
    value "expires_on" { add_years("opened_on", param "licence_years"),
      en = "licence expiry", zh = "许可到期日" },
    value "fee_due" { fn(function(r, p, as_of) return r.members * p.fee_per_member end),
      en = "fee due", zh = "应缴费用" },
    value "popup_ends" { fn(popup_end_text),
      en = "end of a pop-up permit", zh = "临时许可截止日" },
    -- A condition: TRUE / FALSE / UNKNOWN, read with is_true "covered".
    value "covered" { any_of { not_(is_true(param "require_insurance")), is_true "insured" },
      en = "insured where insurance is required", zh = "按要求投保" },
  },

  rules = {
    rule "W1" {
      clause = "1",
      title  = { en = "Filed while the plan is open", zh = "在开放期内申请" },
      when   = between("filed_on", param "plan_start", date "2025-12-31"),
      en = "filed on {filed_on}; must be from {plan_start} to 2025-12-31",
      zh = "申请日期为{filed_on}，须在{plan_start}至2025-12-31之间",
    },

    rule "K1" {
      clause = "3",
      title  = { en = "A permitted kind of stall", zh = "允许的摊位类别" },
      when   = one_of("colour", param "colours_ok"),
    },

    rule "K2" {
      clause = "4",
      title  = { en = "A listed city or the home city", zh = "所列城市或本市" },
      any = {
        part "listed" { one_of("city", param "cities"),
          en = "city is {city}; one of the listed cities (token or label) required",
          zh = "城市为{city}，须为所列城市之一" },
        part "home" { equals("city", param "home_city"),
          en = "city is {city}; or the home city {home_city}",
          zh = "城市为{city}，或为本市{home_city}" },
      },
    },

    rule "S1" {
      clause  = "2",
      title   = { en = "Staff", zh = "人员" },
      decides = is_false "vetted",
      all = {
        at_least("members", param "min_members"),
        at_most("members", 20),
      },
    },

    rule "H1" {
      clause  = "6",
      title   = { en = "Height of a food or craft stall", zh = "餐饮、手工摊位高度" },
      applies = one_of("colour", { "red", "绿" }),
      all = {
        part "cap" { less_than("height", param "max_height"),
          en = "height is {height} m; must be below {max_height} m (limit in force on {filed_on})",
          zh = "高度为{height}米，须低于{max_height}米（{filed_on}适用的限值）" },
        part "floor" { more_than("height", 0.5),
          en = "height is {height} m; must be more than 0.5 m",
          zh = "高度为{height}米，须高于0.5米" },
      },
    },

    rule "F1" {
      clause = "9",
      title  = { en = "Fee paid or waived", zh = "已缴费或免缴" },
      when   = any_of { is_true "waived", equals("fee", "fee_due") },
      en = "fee paid is {fee}; {fee_due} due ({members} x {fee_per_member}) unless waived (waived: {waived})",
      zh = "已缴费用{fee}，应缴{fee_due}（{members}人×{fee_per_member}），免缴：{waived}",
    },

    rule "G1" {
      clause = "5",
      title  = { en = "Insured and solvent", zh = "已投保且无净负债" },
      when   = all_of { is_true "covered", not_(less_than(plus("balance", "fee"), 0)) },
    },

    rule "D1" {
      clause = "8",
      title  = { en = "Opened within two years before filing", zh = "申请前两年内开业" },
      all = {
        on_or_after("opened_on", add_years("filed_on", -2)),
        before("opened_on", "filed_on"),
      },
    },

    rule "D2" {
      clause = "8",
      title  = { en = "Inspection in time", zh = "按时检查" },
      all = {
        part "after_opening" { after("checked_on", "opened_on"),
          en = "inspection date {checked_on}; must be after the opening on {opened_on}",
          zh = "检查日{checked_on}，须晚于开业日期{opened_on}" },
        part "in_time" { on_or_before("checked_on", "inspect_deadline"),
          en = "inspection date {checked_on}; must be on or before {inspect_deadline}",
          zh = "检查日{checked_on}，须不晚于{inspect_deadline}" },
        part "wait" { at_most("wait_days", 90),
          en = "{wait_days} days from filing to inspection; at most 90",
          zh = "申请至检查{wait_days}天，须不超过90天" },
      },
    },

    rule "L1" {
      clause = "7",
      title  = { en = "Local goods", zh = "本地商品" },
      -- r: columns and values by name; p: parameters in force on filed_on;
      -- as_of: the evaluation date as a day number.
      when = check(function(r, p, as_of)
        if as_of < r.share_from then return true end   -- too new to judge
        return r.share >= p.min_share
      end),
      en = "share of local goods is {share}; at least {min_share} required from {share_from}",
      zh = "本地商品比例为{share}，自{share_from}起须不低于{min_share}",
    },

    rule "R1" {
      clause = "10",
      title  = { en = "Licence not about to expire", zh = "许可未临近到期" },
      when   = more_than(minus("expires_on", as_of()), times(param "notice_weeks", 7)),
      en = "licence expires on {expires_on}; more than {notice_weeks} weeks must be left",
      zh = "许可于{expires_on}到期，须剩余超过{notice_weeks}周",
    },

    rule "X1" {
      clause  = "8",
      title   = { en = "Inspection passed", zh = "检查通过" },
      applies = is_not("colour", "blue"),
      when    = is("inspection", "passed"),
    },
  },

  verdicts = {
    verdict "INVALID" {
      when = all_of { present "inspected_on", before("inspected_on", "opened_on") },
      en = "inspected on {inspected_on}, before the stall opened on {opened_on}",
      zh = "检查日期{inspected_on}早于开业日期{opened_on}" },
    verdict "OUT_OF_WINDOW" { when = failed "W1",
      en = "filed on {filed_on}, outside the plan (from {plan_start}): {reasons}",
      zh = "申请日期{filed_on}不在开放期内（自{plan_start}起）：{reasons}" },
    verdict "REJECTED" { when = any_deciding_failed(),
      en = "rejected ({failed}): {reasons}", zh = "不予许可（{failed}）：{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown { except = { "X1" } },
      en = "missing {missing}", zh = "缺少{missing}" },
    verdict "GRANTED" { when = passed "X1",
      en = "granted: inspected on {inspected_on} (deadline {inspect_deadline}); height limit {max_height} m",
      zh = "准予许可：{inspected_on}检查（期限{inspect_deadline}）；限高{max_height}米" },
    verdict "PENDING" { when = unknown "X1",
      en = "waiting for the inspection result ({missing}); deadline {inspect_deadline}",
      zh = "待检查结果（{missing}）；期限{inspect_deadline}" },
    verdict "EXEMPT" { when = always(),
      en = "pop-up stall of {holder}: no inspection needed; the permit ends {popup_ends}",
      zh = "{holder}的临时摊位：无需检查；许可截至{popup_ends}" },
  },
}
