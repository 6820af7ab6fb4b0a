-- fragment: a rule that applies only to rows whose condition column holds one of the listed values
((${predicate}) and list_contains(getvariable('${var}_when'), ${when_col}))
