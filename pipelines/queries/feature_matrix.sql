-- grain: one row per feature-matrix row of one task with as_of_date in the requested window
-- Features come from ml_features_<task> (getvariable('features_table')); label and censored from
-- the prediction spine (censored rows have incomplete follow-up: score them, never train on them).
with features as (
    select * from query_table(getvariable('features_table'))
    where as_of_date between getvariable('window_start') and getvariable('window_end')
),

spine as (
    select person_id, as_of_date, label, censored
    from mart_prediction_spine
    where task = getvariable('task')
),

final as (
    select
        f.*,
        s.label,
        coalesce(s.censored, true) or s.label is null as censored
    from features as f
    left join spine as s on f.person_id = s.person_id and f.as_of_date = s.as_of_date
)

select * from final
order by person_id, as_of_date
