-- grain: one row per (file, raw table) of the run, with its warning count
with warnings as (
    select file, table_name, sum(rows) as warning_rows
    from dq_findings
    where run_id = $run_id and severity = 'warn'
    group by all
)

select
    f.file,
    f.table_name,
    f.status,
    f.rows_in,
    f.rows_loaded,
    f.rows_quarantined,
    coalesce(w.warning_rows, 0) as warning_rows
from ingest_files as f
left join warnings as w on f.file = w.file and f.table_name is not distinct from w.table_name
where f.run_id = $run_id
order by f.file, f.table_name
