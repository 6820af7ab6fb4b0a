-- fragment: a text column cast to its contract type (null when it does not cast), renamed
try_cast(${col} as ${type}) as ${alias}
