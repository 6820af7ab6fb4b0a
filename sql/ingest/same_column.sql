-- fragment: the earlier version (p) is of the same claim line as the checked row (s)
p.${col} = s.${col}
