-- fragment: the code matches the pattern held in a rule variable
regexp_full_match(${code}, getvariable('${var}_pattern'))
