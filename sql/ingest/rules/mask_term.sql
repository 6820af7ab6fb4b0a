-- fragment: one rule's bit in a row's failure mask
case when ${predicate} then ${bit}::ubigint else 0::ubigint end
