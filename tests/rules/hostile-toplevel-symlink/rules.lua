-- a rule file at the top that is a symbolic link leading outside the directory: refused (read, not included).
decision "h" {
  title = { en = "Hostile", zh = "恶意" },
  id_column = "id",
  columns = {
    column "id" { zh = "编号", type = "string", required = true },
    column "n" { zh = "数", type = "int" },
  },
  rules = {
    rule "R1" { clause = "1", when = at_least("n", 0) },
  },
  verdicts = {
    verdict "REJECTED" { when = any_deciding_failed(), en = "{reasons}" },
    verdict "INCOMPLETE" { when = any_deciding_unknown(), en = "missing {missing}" },
    verdict "OK" { when = always(), en = "fine" },
  },
}
