-- grain: one row per backfilled person and as-of date of one task, appended to ml_scores
insert into ml_scores by name
select
    getvariable('score_run_id') as run_id,
    getvariable('score_task') as task,
    s.person_id,
    s.as_of_date,
    s.probability,
    s.tier,
    s.reasons,
    s.raw_score,
    s.previous_probability,
    s.probability - s.previous_probability as trend,
    getvariable('score_model_version') as model_version,
    now()::timestamp as scored_at,
    'backfill' as run_kind,
    getvariable('score_run_date') as run_date
from backfill_rows as s
