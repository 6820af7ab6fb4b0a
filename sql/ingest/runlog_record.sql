-- one finished row: a stage, or a file a stage processed
insert into run_log (
    run_id, stage, started_at, finished_at, status, rows_in, rows_loaded, rows_quarantined,
    message, file, table_name, checksum, code_version
)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
