-- fragment: a text column loaded as delivered
s.${col}
