-- api.lua — what the C side calls: load a rule set, describe its
-- decisions, make an evaluation context, evaluate a record.
--
-- Part of the engine's prelude (trusted); the last file loaded.  Returns
-- the API table to C, which keeps it in the registry.
local V, C = ...

local A = {}
V.api = A

-- Load the rule set directory `dir` (used in messages).  Returns true, or
-- false and a list of "file:line: message" strings in declaration order,
-- in language lang ("en" or "zh") where the message has a Chinese form.
function A.load(dir, lang)
  local ok, errs = V.dsl.load(dir)
  if ok then return true end
  local out = {}
  for i, e in ipairs(errs) do out[i] = e.where .. ": " .. V.text.problem(e.msg, lang) end
  return false, out
end

-- The rule set's name and version.
function A.info()
  local info = V.rs.info
  return tostring(info.name or "rules"), tostring(info.version or "")
end

-- Plain descriptions of the decisions, for the C side's typing of cells.
function A.decisions()
  local out = {}
  for i, dec in ipairs(V.rs.decs) do
    local cols = {}
    for j, c in ipairs(dec.columns) do
      cols[j] = { name = c.name, zh = c.zh, type = c.type, base = c.base, required = c.required,
                  optional = c.optional, unique = c.unique, min = c.min, max = c.max,
                  tokens = c.tokens, labels = c.labels, meaning = c.meaning, meaning_zh = c.meaning_zh }
    end
    out[i] = { name = dec.name, id_col = dec.id_col, columns = cols, scored = dec.scored == true,
               title_en = V.text.pick(dec.title, "en") or dec.name,
               title_zh = V.text.pick(dec.title, "zh") or dec.name }
  end
  return out
end

-- An evaluation context for decision number i, and its record tables:
-- v (slot j = declared column j) and x (undeclared columns by name; false
-- for an empty one).
function A.context(i)
  local ctx = V.eval.context(V.rs.decs[i])
  return ctx, ctx.v, ctx.x
end

-- The native plan of decision i (see plan.lua), or nil and why there is none.
function A.plan(i)
  return V.plan.decision(V.rs.decs[i])
end

A.run = V.eval.run
A.explain = V.report.explain
A.cover = V.coverage.note
A.rulebook = V.report.rulebook

-- The coverage table as text and the problems lint reports
-- ("file:line: message" strings), in language lang: of every decision, or
-- only of the one called `only` (parameters no rule reads are the rule
-- set's, always).  Rules named in `skip` (" ID1 ID2 ", or nil) are left
-- out of the problems; all of them with skip "*" (some test file could
-- not be run: every rule would look unexercised).
function A.coverage(invalid_cases, only, lang, skip)
  local text, gaps = V.coverage.report(invalid_cases, only, lang)
  local problems = {}
  for _, g in ipairs(gaps) do
    if skip ~= "*" and not (skip and skip:find(" " .. g.id .. " ", 1, true)) then
      problems[#problems + 1] = g.where .. ": " .. g.msg
    end
  end
  for _, u in ipairs(V.coverage.unused(lang)) do problems[#problems + 1] = u end
  for _, u in ipairs(V.coverage.placeholders(lang)) do problems[#problems + 1] = u end
  for _, u in ipairs(V.coverage.untranslated(lang)) do problems[#problems + 1] = u end
  return text, problems
end

-- What lint finds in the rule files' compiled code without running it
-- (lint.lua, loaded now, the first time): "file:line: message" strings
-- in language lang.
function A.lint(lang)
  if not V.lint then C.load_piece("lint.lua")(V, C) end
  return V.lint.problems(lang)
end

return A
