-- A valid file after the two that never end: it must load (each file has
-- its own budget), so nothing is reported for it.
param "unused_but_fine" { value = 1 }
