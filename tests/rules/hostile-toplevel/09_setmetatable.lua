setmetatable(string, {})
