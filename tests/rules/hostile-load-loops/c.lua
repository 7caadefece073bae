-- Never ends either, after the time-out of b.lua was caught by the loader.
local n = 0
while true do n = n + 1 end
