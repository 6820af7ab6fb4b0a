-- number this load's rows in file order from their row ids (data rows from 1, header not counted)
update ${table}
set _row_number = rowid - getvariable('readmit_first_rowid') + 1
where _source_file = getvariable('readmit_label')
    and _checksum = getvariable('readmit_checksum')
    and _run_id = getvariable('readmit_run_id')
