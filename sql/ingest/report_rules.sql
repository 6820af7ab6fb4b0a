-- grain: one row per (raw table, rule, column, severity) that found rows in the run, most first
select table_name, rule, "column", severity, sum(rows) as rows, count(distinct file) as files
from dq_findings
where run_id = $run_id and rows > 0
group by all
order by rows desc, rule
limit 20
