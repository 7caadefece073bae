table.insert = nil
