-- A rule file whose top level grows a string without end while the rule
-- set loads: refused, with the memory limit named (not Lua's "not enough
-- memory").
local s = "x"
while true do s = s .. s end
