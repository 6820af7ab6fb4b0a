-- what a load did with one (file, raw table)
insert into ingest_files (
    run_id, extract_date, table_name, slot, file, checksum, rows_in, rows_loaded, rows_quarantined,
    status, loaded_at
)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)
