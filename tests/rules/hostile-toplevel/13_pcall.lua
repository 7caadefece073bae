pcall(error)
