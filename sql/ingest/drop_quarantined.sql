-- take the rows that broke an error-level rule out of this load (their quarantine rows stay)
delete from ${table}
where _source_file = getvariable('readmit_label')
    and _checksum = getvariable('readmit_checksum')
    and _run_id = getvariable('readmit_run_id')
    and _row_number in (select __row from __quarantined)
