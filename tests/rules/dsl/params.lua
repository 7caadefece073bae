-- params.lua — one parameter of every kind.

-- A date.
param "plan_start" {
  value  = date "2024-01-01",
  clause = "1",
  note   = "first day a permit may be filed; the last day is a date literal in W1",
}

-- A number.
param "min_members" { value = 3, clause = "2", note = "staff a stall needs" }

-- A list (one_of): a token and a Chinese label of the enum column colour.
param "colours_ok" {
  value  = { "red", "绿", "blue" },
  clause = "3",
  note   = "grey (灰) stalls are not permitted",
}

-- A list of { token, label } pairs: a string column matches either.
param "cities" {
  value  = { { "shanghai", "上海" }, { "beijing", "北京" } },
  clause = "4",
}

-- A string (compared with equals).
param "home_city" { value = "hangzhou", clause = "4" }

-- A boolean (read with is_true).
param "require_insurance" { value = true, clause = "5" }

-- Dated values: read on the record's reference date (filed_on).
param "max_height" {
  values = {
    { from = date "2024-01-01", value = 10 },
    { from = date "2025-01-01", value = 12 },
  },
  clause = "6",
  note   = "metres; raised to 12 from 2025",
}

-- Dated, and read only from plain Lua (p.min_share).
param "min_share" {
  values = {
    { from = date "2024-01-01", value = 0.2 },
    { from = date "2025-01-01", value = 0.3 },
  },
  clause = "7",
}

param "window_months"  { value = 6,   clause = "8", note = "months from opening to inspection" }
param "fee_per_member" { value = 2.5, clause = "9", note = "万元 per member of staff" }
param "licence_years"  { value = 3,   clause = "10" }
param "notice_weeks"   { value = 4,   clause = "10" }

-- Decision "review": indicator targets (one year; target_scale multiplies
-- counts and money for a three-year review).
param "target_sales" {
  values = {
    { from = date "2024-01-01", value = 100 },
    { from = date "2025-01-01", value = 120 },
  },
  clause = "R",
}
param "target_revenue"    { value = 50, clause = "R" }
param "target_events"     { value = 4,  clause = "R", note = "not scaled: events are yearly" }
param "complaint_penalty" { value = 25, clause = "R", note = "points lost per complaint" }
