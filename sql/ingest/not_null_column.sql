-- fragment: the column holds a value
${col} is not null
