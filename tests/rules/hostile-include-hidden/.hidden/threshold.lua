param "x" { value = 1 }
