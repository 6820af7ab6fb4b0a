-- rule kind date_order: the row fails when the later date (b) lies before the earlier date (a)
try_cast(${b} as ${type_b}) < try_cast(${a} as ${type_a})
