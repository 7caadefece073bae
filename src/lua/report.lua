-- report.lua — texts for people: explanations, the rulebook, the schema.
--
-- Part of the engine's prelude (trusted).  Filled in by later work.
local V, C = ...
local R = {}
V.report = R
