-- fragment: a text column cast to its contract type and then to a date, renamed
cast(try_cast(${col} as ${type}) as date) as ${alias}
