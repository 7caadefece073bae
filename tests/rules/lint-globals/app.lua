-- app.lua — lint reads the rules' functions without running them
-- (tests/cli/lint-globals, lint-globals-zh).  Every line marked "found"
-- holds a problem lint must report at that line; lines marked "fine"
-- hold what it must not report.  The test cases reach none of them: each
-- function returns on its first line for every case.
ruleset { name = "lint-globals", version = "1" }

local limits = { top = 900 }

decision "app" {
  title = { en = "Toy", zh = "玩具" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "members" { zh = "成员数", type = "count" },
  },
  rules = {
    -- Names the sandbox leaves out, each with dsl.lua's reason.
    rule "G1" { clause = "1", when = check(function(r, p, as_of)
      if r.members < 100 then return true end
      if r.members > 990 then return os.time() > as_of end             -- found: os
      if r.members > 980 then return io.open("/etc/passwd") ~= nil end -- found: io
      if r.members > 970 then return require("x") end                   -- found
      if r.members > 960 then return load("return true")() end          -- found
      if r.members > 950 then return pcall(error, "x") end              -- found
      if r.members > 940 then print(r.members) end                      -- found
      if r.members > 930 then return math.random(2) == 1 end            -- found
      if r.members > 920 then return #string.dump(tostring) > 0 end     -- found
      if r.members > 910 then return getmetatable("") ~= nil end        -- found
      return coroutine ~= nil                                           -- found
    end) },
    -- Misspelt names, with the nearest one the environment has.
    rule "G2" { clause = "2", when = check(function(r, p, as_of)
      if r.members < 100 then return true end
      if r.members > 990 then return r.members > membr_limit end            -- found
      if r.members > 980 then return tonumbr("1") == 1 end                  -- found
      if r.members > 970 then return string.fromat("%d", r.members) end     -- found
      if r.members > 960 then return date.pars("2024-01-01") > as_of end    -- found
      if r.members > 950 then return mth.floor(r.members) > 1 end           -- found
      if r.members > 940 then return r.membrs > 1 end                       -- fine: a column
      if r.members > 930 then return limits.tpo == nil end                  -- fine: a local
      if r.members > 920 then return math.floor(r.members) > member_limit end -- fine
      return date.parse("2024-01-01") < as_of                               -- fine
    end) },
    -- Globals set inside a function.
    rule "G3" { clause = "3", when = check(function(r, p, as_of)
      if r.members < 100 then return true end
      if r.members > 990 then counter = 1 end                -- found
      if r.members > 980 then default_cap = 2 end            -- found: set at load, but set again per record
      if r.members > 970 then math.floor = nil end           -- found: the libraries are read-only
      if r.members > 960 then include "helpers.lua" end      -- found: include is for load only
      local total = r.members                                -- fine: a local
      return total > default_cap
    end) },
    rule "G4" { clause = "4", when = check(function(r, p, as_of)
      if r.members < 100 then return true end
      return long_score(r) > 0 and scoped()() == 1
    end) },
  },
  verdicts = {
    verdict "OK" { when = always(), en = "fine", zh = "通过" },
  },
}
