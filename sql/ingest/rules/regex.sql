-- rule kind regex: the row fails when a delivered value does not match the whole pattern
${col} is not null and not regexp_full_match(${col}, getvariable('${var}_pattern'))
