param "min_members" { value = 2, clause = "1", note = "test" }
param "plan_start" { value = date "2022-08-10" }
param "plan_end" { value = date "2025-12-31" }
param "kinds" { value = { "a", "b" } }
param "target_outputs" { value = 10 }
