load(string.char(27) .. "LuaT")
