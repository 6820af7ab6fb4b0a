-- set aside the rows of conflicting key versions: record them, then take them out of the raw table
insert into quarantine (run_id, file, row_number, "column", rule, severity, table_name)
select
    getvariable('readmit_run_id'),
    getvariable('readmit_label'),
    line,
    getvariable('readmit_key_label'),
    'unique_key',
    'error',
    getvariable('readmit_table')
from __key_conflicts;

delete from ${raw_table} where rowid in (select rid from __key_conflicts)
