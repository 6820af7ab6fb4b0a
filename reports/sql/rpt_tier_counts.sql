-- grain: one row per task and tier of this run: persons scored
select task, tier, count(*) as persons
from ml_scores
where run_id = getvariable('run_id')
group by task, tier
