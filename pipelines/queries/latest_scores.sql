-- grain: one row per person scored for a task (getvariable('task')) in its latest run
-- "Latest" is the run reaching the newest as-of date (a backfill of past dates is not), then the
-- newest run id (run ids sort by start time).
with runs as (
    select run_id, max(as_of_date) as last_as_of
    from ml_scores
    where task = getvariable('task')
    group by run_id
),

latest as (
    select run_id from runs
    qualify row_number() over (order by last_as_of desc, run_id desc) = 1
)

select s.run_id, s.person_id, s.as_of_date, s.probability, s.tier, s.trend, s.model_version
from ml_scores as s
inner join latest as l on s.run_id = l.run_id
where s.task = getvariable('task')
order by s.probability desc, s.person_id
