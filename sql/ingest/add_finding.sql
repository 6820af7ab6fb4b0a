-- one finding about a file rather than its rows (unknown file, empty re-delivery, extra columns)
insert into dq_findings (run_id, file, table_name, rule, "column", severity, rows)
values (?, ?, ?, ?, ?, ?, ?)
