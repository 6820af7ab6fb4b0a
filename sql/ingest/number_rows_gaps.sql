-- number this load's kept rows in file order from their row ids, stepping over the quarantined
-- rows' numbers (__quarantine_gaps); data rows from 1, the header not counted
update ${table} as r
set _row_number = n.row_number
from (
    select k.rid, k.kept + coalesce(g.skipped, 0) as row_number
    from (
        select rowid as rid, rowid - getvariable('readmit_first_rowid') + 1 as kept
        from ${table}
        where _source_file = getvariable('readmit_label')
            and _checksum = getvariable('readmit_checksum')
            and _run_id = getvariable('readmit_run_id')
    ) as k
    asof left join __quarantine_gaps as g on k.kept > g.kept_before
) as n
where r.rowid = n.rid
