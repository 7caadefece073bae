xpcall(error, error)
