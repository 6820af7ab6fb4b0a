-- grain: one row per task and person scored in the task's latest run, de-identified
-- Reasons are left out: their plain-language text can carry an exact age ("93 years old").
with scores as (
    select run_id, task, person_id, as_of_date, probability, tier, trend, model_version
    from ml_scores
),

runs as (
    select task, run_id, max(as_of_date) as last_as_of from scores group by task, run_id
),

latest as (
    -- the run reaching the newest as-of date per task (not a backfill of past dates)
    select task, run_id from runs
    qualify row_number() over (partition by task order by last_as_of desc, run_id desc) = 1
),

final as (
    select
        s.task,
        deid_pseudonym('row', s.person_id || '|' || cast(s.as_of_date as varchar)) as row_key,
        deid_pseudonym('person', s.person_id) as person_key,
        deid_date(s.as_of_date) as as_of_period,
        s.probability,
        s.tier,
        s.trend,
        s.model_version
    from scores as s
    inner join latest as l on s.task = l.task and s.run_id = l.run_id
)

select task, row_key, person_key, as_of_period, probability, tier, trend, model_version
from final
order by task, probability desc, row_key
