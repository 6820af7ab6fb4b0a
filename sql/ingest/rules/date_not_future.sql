-- rule kind date_not_future: the row fails when a date lies after the extract date plus one day
cast(try_cast(${col} as ${type}) as date) > getvariable('readmit_future_after')
