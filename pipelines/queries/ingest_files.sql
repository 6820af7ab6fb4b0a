-- grain: one row per file an ingest run read: rows in, loaded and quarantined, oldest run first
select
    run_id,
    started_at,
    table_name,
    file,
    status,
    coalesce(rows_in, 0)::bigint as rows_in,
    coalesce(rows_loaded, 0)::bigint as rows_loaded,
    coalesce(rows_quarantined, 0)::bigint as rows_quarantined
from run_log
where stage = 'ingest_file'
order by started_at, file
