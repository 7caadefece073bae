rawget(string, "rep")
