-- grain: one row per spine row of one task with an as-of date in the backfill range
-- Only rows with a feature row can be scored; the range is inclusive at both ends. Rows are
-- grouped by as-of month: each month is tiered as one cohort, like one nightly run.
select person_id, as_of_date, cast(date_trunc('month', as_of_date) as date) as as_of_month
from mart_prediction_spine
where task = getvariable('score_task')
    and as_of_date between getvariable('backfill_from') and getvariable('backfill_to')
order by as_of_date, person_id
