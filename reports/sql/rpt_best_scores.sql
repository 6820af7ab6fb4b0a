-- grain: one row per person scored in this run: their most urgent task (lowest tier, then risk)
with scores as (
    select task, person_id, as_of_date, probability, tier, reasons, trend
    from ml_scores
    where run_id = getvariable('run_id')
),

ranked as (
    select
        *,
        row_number() over (partition by person_id order by tier, probability desc, task) as rank
    from scores
)

select task, person_id, as_of_date, probability, tier, reasons, trend
from ranked
where rank = 1
