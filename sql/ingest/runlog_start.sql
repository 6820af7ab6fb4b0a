-- a stage of a run has started
insert into run_log (run_id, stage, started_at, status, message, file, table_name, code_version)
values (?, ?, ?, ?, ?, ?, ?, ?)
