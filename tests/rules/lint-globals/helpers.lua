-- helpers.lua — globals the functions of app.lua read (tests/cli/lint-globals).
member_limit = 500

-- Sets a global, but only while the rule set loads: fine.
function set_defaults() default_cap = 500 end
set_defaults()

-- A function of its own environment: its names are not globals.
function scoped()
  local _ENV = { one = 1 }
  return function() return one end                      -- fine: a local _ENV
end

-- Top-level code that loading did not reach is read too.
if member_limit < 0 then print("negative") end           -- found
