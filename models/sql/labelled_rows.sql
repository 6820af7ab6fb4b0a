-- grain: one row per feature-matrix row of one task: its keys, label and censoring
-- Rows come from ml_features_<task> (getvariable('features_table')) and take their outcome from
-- the prediction spine; censored rows (incomplete follow-up) are scored, never trained on.
with features as (
    select person_id, as_of_date from query_table(getvariable('features_table'))
),

spine as (
    select person_id, as_of_date, label, censored
    from mart_prediction_spine
    where task = getvariable('task')
),

final as (
    select
        f.person_id,
        f.as_of_date,
        s.label,
        coalesce(s.censored, true) or s.label is null as censored
    from features as f
    left join spine as s on f.person_id = s.person_id and f.as_of_date = s.as_of_date
)

select person_id, as_of_date, label, censored from final
order by person_id, as_of_date
