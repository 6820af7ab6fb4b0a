-- rule kind castable: the row fails when a delivered value does not cast to the column's type
${col} is not null and try_cast(${col} as ${type}) is null
