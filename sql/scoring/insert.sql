-- grain: one row per scored person of one task, appended to ml_scores
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
    p.previous_probability,
    s.probability - p.previous_probability as trend,
    getvariable('score_model_version') as model_version,
    now()::timestamp as scored_at,
    getvariable('score_run_kind') as run_kind,
    getvariable('score_run_date') as run_date
from scored_rows as s
left join previous_rows as p using (person_id)
