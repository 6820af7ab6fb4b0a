-- grain: one row per rule and severity of this run's quarantined rows
select rule, severity, count(*) as rows_quarantined, count(distinct file) as files
from quarantine
where run_id = getvariable('run_id')
group by rule, severity
