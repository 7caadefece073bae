-- A rule set that does not load: a syntax error on line 9 (the closing
-- brace of the columns table is missing).  verdict must stop with exit 2
-- and name the file and line, before reading any record.
ruleset { name = "broken-syntax", version = "1" }
decision "app" {
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
  rules = {
    rule "R1" { clause = "1", when = at_least("id", 1) },
  },
}
