-- grain: one row per file-level finding of the run (unknown files, kept columns, empty files)
select file, table_name, rule, "column", severity
from dq_findings
where run_id = $run_id and (rows is null or rows = 0)
order by file, rule
