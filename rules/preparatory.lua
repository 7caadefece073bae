-- preparatory.lua — decision "preparatory" (筹建期): the status of a centre
-- in preparation on a check date.  Contract 5.2; policy 六 ¶2:
--   筹建期为一年,如有特殊原因,可申请延期半年,延期后仍未满足创建要求的,
--   撤销筹建资格。
--
-- Deadlines (contract 5.5, both days inclusive):
--   base     = prep_start_date + 12 months            (prep_period_months)
--   extended = prep_start_date + (12 + 6) months      (+ prep_extension_months)
-- The extended deadline is counted from the start, not as base + 6 months:
-- 2024-02-29 + 18 months = 2025-08-29, while (2024-02-29 + 12) + 6 =
-- 2025-08-28.  The extension is granted only when it was requested AND a
-- special reason (特殊原因) is given.
--
-- The verdict list is written so that a value that cannot change the verdict
-- does not make the record INCOMPLETE (contract section 3): e.g. a centre
-- still inside its first year that has not met the requirements is IN_PREP
-- whether or not an extension was asked for; an extension asked for with no
-- reason is not granted whatever extension_requested says.
--
-- This decision has no rules of its own: the contract fixes none, and every
-- step of the reasoning is a derived value below, named in the verdict
-- messages (the deadline that applies and the days left).

decision "preparatory" {
  title     = { en = "Centre in preparation: status on a check date",
                zh = "筹建期创新中心状态核查" },
  clause    = "六 ¶2",
  quote     = "筹建期为一年,如有特殊原因,可申请延期半年,延期后仍未满足创建要求的,撤销筹建资格。",
  id_column = "center_id",
  -- A parameter given dated values is read as it stood when the
  -- preparation began: the terms a centre started under are its own, and
  -- the same record gives the same verdict whatever day it is checked on.
  reference_date = "prep_start_date",

  columns = {
    column "center_id" { zh = "编号", type = "string", required = true,
      unique = true, meaning = "id of the centre in preparation",
      meaning_zh = "筹建中的创新中心编号" },
    column "name" { zh = "名称", type = "string", optional = true,
      meaning = "name of the centre",
      meaning_zh = "创新中心名称" },
    column "prep_start_date" { zh = "筹建开始日期", type = "date",
      meaning = "first day of the preparatory period",
      meaning_zh = "筹建期的第一天" },
    column "extension_requested" { zh = "申请延期", type = "bool",
      meaning = "a half-year extension was requested",
      meaning_zh = "已申请延期半年" },
    column "extension_reason" { zh = "延期理由", type = "string",
      meaning = "the special reason; empty = none given",
      meaning_zh = "特殊原因；空 = 未给出" },
    column "meets_requirements" { zh = "达到创建要求", type = "bool",
      meaning = "has met the requirements for selection",
      meaning_zh = "已达到创建要求，可申请遴选" },
    column "requirements_met_date" { zh = "达标日期", type = "date",
      optional = true,
      meaning = "when it met them; empty = on the check date",
      meaning_zh = "达到要求的日期；空 = 核查日期" },
    column "check_date" { zh = "核查日期", type = "date", optional = true,
      meaning = "the date of the check; empty = --as-of",
      meaning_zh = "核查日期；空 = --as-of" },
  },

  values = {
    value "check_on" { first_present("check_date", as_of()),
      en = "check date", zh = "核查日期" },
    -- the parameters the deadlines are reckoned from, as read for this
    -- record: shown in its trace, for an auditor
    value "period_months" { param "prep_period_months",
      en = "months of the preparatory period", zh = "筹建期月数" },
    value "extension_months" { param "prep_extension_months",
      en = "months of the extension", zh = "延期月数" },
    value "base_deadline" {
      add_months("prep_start_date", param "prep_period_months"),
      en = "end of the one-year preparatory period", zh = "筹建期满日" },
    value "extended_deadline" {
      add_months("prep_start_date",
                 plus(param "prep_period_months", param "prep_extension_months")),
      en = "end of the half-year extension", zh = "延期届满日" },
    value "extension_granted" {
      all_of { is_true "extension_requested", present "extension_reason" },
      en = "extension requested with a special reason",
      zh = "已申请延期且有特殊原因" },
    value "met_on" { first_present("requirements_met_date", "check_on"),
      en = "date the requirements were met", zh = "达标日期" },
    value "days_left_base" { days_between("check_on", "base_deadline"),
      en = "days left in the preparatory period", zh = "筹建期剩余天数" },
    value "days_left_extended" { days_between("check_on", "extended_deadline"),
      en = "days left in the extension", zh = "延期剩余天数" },
  },

  rules = {},

  -- A record a missing value leaves undecided (an entry below UNKNOWN
  -- before any is TRUE): the columns to fill in, and, as contract 5.2
  -- asks of every reason, the deadlines (a deadline shows as missing
  -- while prep_start_date is).
  incomplete = {
    en = "missing {missing}; deadlines: the one-year preparatory period "
      .. "{base_deadline}, a half-year extension with a special reason "
      .. "{extended_deadline} (checked on {check_on})",
    zh = "未填写：{missing}；筹建期满日{base_deadline}，有特殊原因延期的延期届满日"
      .. "{extended_deadline}（核查日期{check_on}）" },

  -- Contract 5.2, first match wins.
  verdicts = {
    -- A check before the preparation began cannot be judged.
    verdict "INVALID" { label = { en = "cannot be judged", zh = "无效" },
      when = before("check_on", "prep_start_date"),
      en = "check date {check_on} is before the preparatory period began "
        .. "on {prep_start_date}",
      zh = "核查日期{check_on}早于筹建开始日期{prep_start_date}" },

    -- Met the requirements by the deadline that applies: the base deadline,
    -- or the extended one where the extension is granted.  Two entries, so
    -- that the reason names the one deadline that applied (contract 5.2).
    -- The second says "after the base deadline" too: where the first fails
    -- that holds anyway, and where the requirements were met in the first
    -- year the second is then FALSE, not UNKNOWN for want of
    -- extension_requested, which cannot change such a verdict (met in time
    -- or not met: contract 3, only the columns that would decide it).
    verdict "READY_FOR_SELECTION" { label = { en = "ready for selection", zh = "可申请遴选" },
      when = all_of { is_true "meets_requirements",
                      on_or_before("met_on", "base_deadline") },
      en = "requirements met on {met_on}, within the one-year preparatory "
        .. "period (deadline {base_deadline}): may apply for selection "
        .. "(待完成筹建工作后正式申请创新中心遴选)",
      zh = "已于{met_on}达到创建要求,在一年筹建期内(筹建期满日{base_deadline}),"
        .. "可正式申请创新中心遴选" },
    verdict "READY_FOR_SELECTION" { label = { en = "ready for selection", zh = "可申请遴选" },
      when = all_of { is_true "meets_requirements", after("met_on", "base_deadline"),
                      is_true "extension_granted", on_or_before("met_on", "extended_deadline") },
      en = "requirements met on {met_on}, within the half-year extension "
        .. "(deadline {extended_deadline}): may apply for selection "
        .. "(待完成筹建工作后正式申请创新中心遴选)",
      zh = "已于{met_on}达到创建要求,在延期期内(延期届满日{extended_deadline}),"
        .. "可正式申请创新中心遴选" },

    verdict "IN_PREP" { label = { en = "in preparation", zh = "筹建期内" },
      when = on_or_before("check_on", "base_deadline"),
      en = "in the one-year preparatory period: deadline {base_deadline}, "
        .. "{days_left_base} days left on {check_on}",
      zh = "筹建期内:筹建期满日{base_deadline},截至{check_on}剩余"
        .. "{days_left_base}天" },

    verdict "IN_EXTENSION" { label = { en = "in the extension", zh = "延期期内" },
     
      when = all_of { is_true "extension_granted",
                      on_or_before("check_on", "extended_deadline") },
      en = "in the half-year extension (reason: {extension_reason}): "
        .. "deadline {extended_deadline}, {days_left_extended} days left "
        .. "on {check_on}",
      zh = "延期期内(延期理由:{extension_reason}):延期届满日"
        .. "{extended_deadline},截至{check_on}剩余{days_left_extended}天" },

    -- Revoked (撤销筹建资格), with the reason that applies.  Each condition
    -- reads only filled cells (present ...), so it is never unknown: the
    -- last entry always holds.
    verdict "REVOKED" { label = { en = "revoked", zh = "撤销筹建资格" },
      when = all_of { present "meets_requirements", is_true "meets_requirements",
                      present "extension_requested", is_true "extension_granted" },
      en = "preparatory status revoked (撤销筹建资格): the requirements were met "
        .. "on {met_on}, after the half-year extension ended on {extended_deadline}",
      zh = "撤销筹建资格：于{met_on}才达到创建要求，已超过延期届满日{extended_deadline}" },
    -- Whether an extension was asked for is not known, but a reason is
    -- given: revoked either way (else an earlier entry was unknown, and
    -- the record INCOMPLETE), and the reason says so, claiming neither.
    verdict "REVOKED" { label = { en = "revoked", zh = "撤销筹建资格" },
      when = all_of { present "meets_requirements", is_true "meets_requirements",
                      missing "extension_requested", present "extension_reason" },
      en = "preparatory status revoked (撤销筹建资格): the requirements were met "
        .. "on {met_on}, after the one-year preparatory period ended on "
        .. "{base_deadline} and after the half-year extension, had one been "
        .. "asked for, ended on {extended_deadline}",
      zh = "撤销筹建资格：于{met_on}才达到创建要求，已超过筹建期满日{base_deadline}，"
        .. "即使申请延期，也已超过延期届满日{extended_deadline}" },
    verdict "REVOKED" { label = { en = "revoked", zh = "撤销筹建资格" },
      when = all_of { present "meets_requirements", is_true "meets_requirements" },
      en = "preparatory status revoked (撤销筹建资格): the requirements were met "
        .. "on {met_on}, after the one-year preparatory period ended on "
        .. "{base_deadline}, with no extension with a special reason granted",
      zh = "撤销筹建资格：于{met_on}才达到创建要求，已超过筹建期满日{base_deadline}，"
        .. "且未获有特殊原因的延期" },
    verdict "REVOKED" { label = { en = "revoked", zh = "撤销筹建资格" },
      when = all_of { present "extension_requested", is_true "extension_granted" },
      en = "preparatory status revoked (撤销筹建资格): the half-year extension "
        .. "ended on {extended_deadline} without the requirements met in "
        .. "time (checked on {check_on})",
      zh = "撤销筹建资格：延期已于{extended_deadline}届满，未在期限内达到创建要求"
        .. "（核查日期{check_on}）" },
    verdict "REVOKED" { label = { en = "revoked", zh = "撤销筹建资格" },
      when = all_of { missing "extension_requested", present "extension_reason" },
      en = "preparatory status revoked (撤销筹建资格): the one-year preparatory "
        .. "period ended on {base_deadline}, and the half-year extension, had "
        .. "one been asked for, on {extended_deadline}, without the "
        .. "requirements met in time (checked on {check_on})",
      zh = "撤销筹建资格：筹建期已于{base_deadline}届满，即使申请延期，延期也已于"
        .. "{extended_deadline}届满，未在期限内达到创建要求（核查日期{check_on}）" },
    verdict "REVOKED" { label = { en = "revoked", zh = "撤销筹建资格" },
      when = always(),
      en = "preparatory status revoked (撤销筹建资格): the one-year preparatory "
        .. "period ended on {base_deadline} without the requirements met in "
        .. "time, and no extension with a special reason was granted (checked "
        .. "on {check_on})",
      zh = "撤销筹建资格：筹建期已于{base_deadline}届满，未在期限内达到创建要求，且未获"
        .. "有特殊原因的延期（核查日期{check_on}）" },
  },
}
