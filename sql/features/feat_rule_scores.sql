-- grain: one row per prediction spine row: LACE and HOSPITAL scores (readmission_30d rows only)
-- The published rule scores, used both as features and as the baselines the model must beat;
-- points per component are in int_feat_rule_points. Null for admission_90d rows (no index stay).
with spine as (
    select spine_id, task, person_id, as_of_date from mart_prediction_spine
),

points as (
    select * from int_feat_rule_points
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        cast(p.lace_score as integer) as lace_score,
        cast(p.hospital_score as integer) as hospital_score
    from spine as sp
    left join points as p on sp.spine_id = p.spine_id
)

select * from final
