-- shared/helpers.lua — plain Lua shared by the rule files; pulled in by
-- permit.lua with include "shared/helpers.lua" (it is below the rule set
-- directory, so it is not loaded on its own).

-- The last day of a pop-up (blue) stall's permit, one year after opening,
-- as text for a message.  Uses the date helpers of plain Lua.
function popup_end_text(r, p, as_of)
  return date.format(date.add_years(r.opened_on, 1))
end
