-- Included at run time by tests/rules/runtime-declare/app.lua: never run.
counter = 1
