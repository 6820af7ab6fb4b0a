-- grain: one row per person of one task: their latest earlier score (latest as-of date, then run)
-- why: trends compare with the last score of the person (DESIGN section 8: rise of 10 points);
-- ordering by as-of date first keeps a backfill of old dates from posing as last night's score.
select person_id, arg_max(probability, (as_of_date, run_id)) as previous_probability
from ml_scores
where task = getvariable('score_task')
    and run_id < getvariable('score_run_id')
    -- a re-run of the same night compares with the nights before it, not with that night's runs
    and coalesce(run_date < getvariable('score_run_date'), true)
group by person_id
