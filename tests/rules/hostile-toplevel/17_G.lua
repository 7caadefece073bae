_G.os = nil
