-- grain: one row per stage of this run in the run log: status and row counts
select
    stage,
    string_agg(distinct status, ', ' order by status) as status,
    sum(rows_in)::bigint as rows_in,
    sum(rows_loaded)::bigint as rows_loaded,
    sum(rows_quarantined)::bigint as rows_quarantined,
    count(distinct file) as files
from run_log
where run_id = getvariable('run_id')
group by stage
