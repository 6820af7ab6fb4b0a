-- grain: one row per person of one task to score this run
select person_id, as_of_date
from mart_scoring_cohort
where task = getvariable('score_task')
order by person_id
