-- fragment: a text column cast to its contract type; a value that does not cast was quarantined
try_cast(s.${col} as ${type})
