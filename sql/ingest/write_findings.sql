-- count what each rule found in the checked source (both severities) for the data-quality report
insert into dq_findings (run_id, file, table_name, rule, "column", severity, rows)
select
    getvariable('readmit_run_id'),
    getvariable('readmit_label'),
    getvariable('readmit_table'),
    name,
    column_name,
    severity,
    rows
from __findings
