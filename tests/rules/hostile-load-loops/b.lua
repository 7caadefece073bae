-- Never ends.
while true do end
