-- set aside every (row, error-level rule) of the checked source: where and why, never the value
insert into quarantine (run_id, file, row_number, "column", rule, severity, table_name)
select
    getvariable('readmit_run_id'),
    getvariable('readmit_label'),
    f.__line,
    r.column_name,
    r.name,
    r.severity,
    getvariable('readmit_table')
from __fails as f
inner join __rules as r on f.rule_id = r.rule_id
where r.severity = 'error'
