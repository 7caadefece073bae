package.loaded.os = nil
