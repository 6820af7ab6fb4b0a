-- grain: one row per person of one task: the probability from the latest earlier run that scored them
-- why: trends compare with the last run that scored the person (DESIGN section 8: rise of 10 points).
select person_id, arg_max(probability, run_id) as previous_probability
from ml_scores
where task = getvariable('score_task')
    and run_id < getvariable('score_run_id')
group by person_id
