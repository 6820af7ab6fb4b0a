-- grain: one row per prediction spine row and adherence-class pharmacy fill dispensed in the 180 days up to its cutoff date
-- The leak-free cut (DESIGN section 5) for adherence: fills dispensed on or before the cutoff and
-- within 180 days of it. Each fill is offered only to the spine rows whose cutoff month it can
-- reach (its month and the six after), so the join stays small for monthly spines.
with spine as (
    select spine_id, task, person_id, as_of_date, cutoff_date,
        cast(date_trunc('month', cutoff_date) as date) as cutoff_month
    from mart_prediction_spine
),

reachable as (
    select f.*, cast(date_trunc('month', f.dispensing_date) + to_months(k.step) as date)
        as cutoff_month
    from int_feat_pdc_fills as f, range(7) as k(step)
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        r.med_class,
        r.ingredient,
        r.dispensing_date as medication_date,
        r.days_supply,
        r.supply_through,
        r.date_rank,
        r.shift_base
    from spine as sp
    inner join reachable as r
        on sp.person_id = r.person_id
        and sp.cutoff_month = r.cutoff_month
        and r.dispensing_date <= sp.cutoff_date
        and r.dispensing_date > sp.cutoff_date - 180
)

select * from final
