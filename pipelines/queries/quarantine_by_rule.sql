-- grain: one row per (run, raw table, rule, column, severity) that found rows, oldest run first
with findings as (
    select run_id, table_name, rule, "column", severity, rows from dq_findings where rows > 0
),

runs as (
    select run_id, min(started_at) as started_at from run_log group by run_id
)

select
    f.run_id,
    r.started_at,
    f.table_name,
    f.rule,
    f."column",
    f.severity,
    sum(f.rows)::bigint as rows
from findings as f
left join runs as r on f.run_id = r.run_id
group by all
order by r.started_at, rows desc, f.rule
