-- grain: one row per prediction spine row and ICD-10-CM code known on a day on or before its cutoff date
-- The leak-free cut (DESIGN section 5) over the deduplicated diagnosis days of int_feat_dx_events:
-- each spine row joins the codes known on or before its cutoff, and nothing later. Filter on task
-- when only one task's rows are needed: the filter reaches the spine side of the join.
with spine as (
    select * from mart_prediction_spine
),

events as (
    select * from int_feat_dx_events
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        e.icd_10_cm,
        e.known_date
    from spine as sp
    inner join events as e
        on sp.person_id = e.person_id
        and e.known_date <= sp.cutoff_date
)

select * from final
