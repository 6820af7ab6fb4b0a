-- grain: one row per run and stage in the run log (file rows left out), oldest first
select
    run_id,
    stage,
    min(started_at) as started_at,
    max(finished_at) as finished_at,
    date_diff('millisecond', min(started_at), max(finished_at)) / 1000.0 as seconds,
    string_agg(distinct status, ', ' order by status) as status,
    sum(rows_in)::bigint as rows_in,
    sum(rows_loaded)::bigint as rows_loaded,
    sum(rows_quarantined)::bigint as rows_quarantined,
    coalesce(sum(rows_quarantined), 0) / nullif(sum(rows_in), 0) as quarantine_rate
from run_log
where file is null
group by run_id, stage
order by started_at, run_id, stage
