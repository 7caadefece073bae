-- coverage.lua — which outcomes of which rules the test cases reached,
-- and the rule set's loose ends (parameters no rule reads).
--
-- Part of the engine's prelude (trusted).  Used by `verdict test` and
-- `verdict lint`.
local V, C = ...

local concat, insert = table.concat, table.insert
local X = V.eval

local CV = {}
V.coverage = CV

-- Count the outcome of every rule for the record last evaluated in ctx.
function CV.note(ctx)
  local dec = ctx.dec
  local cov = dec.coverage
  if not cov then
    cov = { cases = 0 }
    for k = 1, #dec.rules do cov[k] = { [X.PASS] = 0, [X.FAIL] = 0, [X.UNK] = 0, [X.NA] = 0 } end
    dec.coverage = cov
  end
  cov.cases = cov.cases + 1
  for k = 1, #dec.rules do
    local r = ctx.res[k]
    if r ~= nil then cov[k][r] = cov[k][r] + 1 end   -- nil: after a rule that failed
  end
end

local OUTCOMES = { { X.PASS, "TRUE" }, { X.FAIL, "FALSE" }, { X.UNK, "UNKNOWN" } }

-- Why an outcome was never seen.
local function why(dec, k, cov, outcome)
  local c = cov[k]
  if c[X.NA] == cov.cases then
    local rule = dec.rules[k]
    local cond = rule.raw and rule.raw.applies and V.compile.words(dec, rule.raw.applies, "en") or "?"
    return "none of the " .. cov.cases .. " cases meets its applies condition: " .. cond
  end
  return "no case makes it " .. outcome
end

-- The coverage table as text, and the gaps as { where, msg } problems: of
-- every decision, or only of the one called `only`.
function CV.report(invalid_cases, only)
  local out, gaps = {}, {}
  for _, dec in ipairs(V.rs.decs) do
    local cov = dec.coverage
    if only and dec.name ~= only then
      -- another decision's: not asked for
    elseif cov then
      insert(out, ("coverage of decision %s (%d cases):"):format(dec.name, cov.cases))
      insert(out, ("  %-24s %6s %6s %8s %6s  %s"):format("rule", "TRUE", "FALSE", "UNKNOWN", "n/a", "not covered"))
      if #dec.rules == 0 then insert(out, "  (no rules: the verdicts read the columns directly)") end
      for k, rule in ipairs(dec.rules) do
        local c = cov[k]
        local missing = {}
        if c[X.NA] == cov.cases then
          insert(missing, "TRUE, FALSE, UNKNOWN: " .. why(dec, k, cov, "anything"))
        else
          for _, o in ipairs(OUTCOMES) do
            if c[o[1]] == 0 then insert(missing, o[2] .. ": " .. why(dec, k, cov, o[2])) end
          end
        end
        insert(out, ("  %-24s %6d %6d %8d %6d  %s"):format(rule.id, c[X.PASS], c[X.FAIL], c[X.UNK], c[X.NA],
          #missing == 0 and "-" or concat(missing, "; ")))
        if c[X.PASS] + c[X.FAIL] + c[X.UNK] == 0 then
          insert(gaps, { where = rule.where, id = rule.id, msg = "rule " .. rule.id .. " is not exercised by any test case (" ..
            why(dec, k, cov, "anything") .. ")" })
        end
      end
    else
      insert(out, ("coverage of decision %s: no test case"):format(dec.name))
      for _, rule in ipairs(dec.rules) do
        insert(gaps, { where = rule.where, id = rule.id, msg = "rule " .. rule.id .. " is not exercised by any test case (no case for decision " .. dec.name .. ")" })
      end
    end
  end
  if invalid_cases and invalid_cases > 0 then
    insert(out, ("(in %s, %d case%s stopped at INVALID, before any rule)"):format(
      only and "decision " .. only or "all decisions", invalid_cases, invalid_cases == 1 and "" or "s"))
  end
  return concat(out, "\n") .. "\n", gaps
end

-- Parameters no rule, value, criterion or function reads.
function CV.unused()
  local out = {}
  for _, name in ipairs(V.rs.param_order) do
    local po = V.rs.pobj[name]
    if po and not po.used then
      insert(out, po.where .. ": parameter '" .. name .. "' is not used by any rule")
    end
  end
  return out
end
