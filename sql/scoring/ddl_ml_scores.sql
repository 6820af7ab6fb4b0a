-- grain: one row per run, task and scored person (DESIGN section 14: ml_scores)
create table if not exists ml_scores (
    run_id varchar not null,
    task varchar not null,
    person_id varchar not null,
    as_of_date date not null,
    probability double not null,
    tier tinyint not null,
    reasons varchar[],
    raw_score double,
    previous_probability double,
    trend double,
    model_version varchar,
    scored_at timestamp,
    run_kind varchar,
    run_date date
)
