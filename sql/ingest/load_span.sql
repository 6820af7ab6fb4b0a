-- the row ids this load's rows received (an order-preserving insert gives one contiguous span)
select min(rowid), max(rowid), count(*)
from ${table}
where _source_file = getvariable('readmit_label')
    and _checksum = getvariable('readmit_checksum')
    and _run_id = getvariable('readmit_run_id')
