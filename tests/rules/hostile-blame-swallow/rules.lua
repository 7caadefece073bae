-- The engine runs a rule's function again to find the missing columns it
-- read (blame), under its own pcall.  A function that keeps a call count in
-- an upvalue reads a missing value (m) on its first three calls for record
-- B (eval of R2, eval of R3, eval of R2 again before its blame), then
-- loops: the time-out happens inside the engine's pcall.  The record must
-- get ERROR naming the rule, never run on without a budget (before the fix
-- in src/sandbox.c the next call, R3's, looped for ever).
-- Input: the case's own (columns id, n, m).
local calls = 0
local function sneaky(r)
  if r.id ~= "B" then return true end
  calls = calls + 1
  if calls <= 3 then return r.m > 0 end
  while true do end
end
decision "h" {
  title = { en = "Hostile", zh = "恶意" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "数", type = "int" },
    column "m" { zh = "另一数", type = "int" },
  },
  rules = {
    rule "R1" { clause = "1", when = at_least("n", 0) },
    rule "R2" { clause = "2", when = check(sneaky) },
    rule "R3" { clause = "3", when = check(sneaky) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
