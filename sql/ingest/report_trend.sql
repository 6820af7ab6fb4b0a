-- grain: one row per ingest run (the last 30), oldest first: rows and the quarantine rate
select
    run_id,
    started_at,
    status,
    coalesce(rows_in, 0) as rows_in,
    coalesce(rows_loaded, 0) as rows_loaded,
    coalesce(rows_quarantined, 0) as rows_quarantined,
    coalesce(rows_quarantined, 0) / nullif(rows_in, 0) as quarantine_rate
from (
    select * from run_log
    where stage = 'ingest' and file is null
    order by started_at desc
    limit 30
)
order by started_at
