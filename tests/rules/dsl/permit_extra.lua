-- permit_extra.lua — a rule added to decision "permit" from another file.

extend "permit" {
  rules = {
    rule "P1" {
      clause  = "11",
      title   = { en = "Pop-up stall: holder named, no inspection", zh = "临时摊位：写明持有人，无检查结果" },
      applies = is("colour", "blue"),
      all = {
        part "holder" { present "holder",
          en = "holder: {holder}; a pop-up stall must name its holder",
          zh = "持有人：{holder}；临时摊位须写明持有人" },
        part "no_inspection" { missing "inspection",
          en = "inspection result: {inspection}; a pop-up stall is not inspected",
          zh = "检查结果：{inspection}；临时摊位不检查" },
      },
    },
  },
}
