-- rule kind in_set: the row fails when a delivered value is not one of the allowed values
${col} is not null and not list_contains(getvariable('${var}_values'), ${col})
