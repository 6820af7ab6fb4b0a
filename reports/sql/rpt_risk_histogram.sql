-- grain: one row per task and 2-point risk bin of this run: persons scored
select
    task,
    least(floor(probability * 50), 49) / 50 as bin_start,
    count(*) as persons
from ml_scores
where run_id = getvariable('run_id')
group by task, bin_start
