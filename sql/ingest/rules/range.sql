-- rule kind range: the row fails when a typed value lies outside [min, max] (a null bound is open)
coalesce(
    try_cast(${col} as ${type}) < getvariable('${var}_min')
    or try_cast(${col} as ${type}) > getvariable('${var}_max'),
    false
)
