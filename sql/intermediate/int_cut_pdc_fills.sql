-- grain: one row per prediction spine row and adherence-class pharmacy fill dispensed in the 180 days up to its cutoff date
-- The leak-free cut (DESIGN section 5) for adherence: fills dispensed on or before the cutoff and
-- within 180 days of it. Each fill is offered only to the spine rows whose cutoff month it can
-- reach (its month and the six after), so the join stays small for monthly spines.
with spine as (
    select *, cast(date_trunc('month', cutoff_date) as date) as cutoff_month
    from mart_prediction_spine
),

fills as (
    select f.claim_id, f.claim_line_number, f.person_id, f.dispensing_date, f.days_supply,
        m.med_class, m.ingredient
    from stg_pharmacy_claim as f
    inner join ref_medication_classes as m on left(f.ndc_code, 9) = m.ndc_product
    where length(f.ndc_code) = 11 and coalesce(f.days_supply, 0) > 0
),

reachable as (
    select f.*, cast(date_trunc('month', f.dispensing_date) + to_months(k.step) as date)
        as cutoff_month
    from fills as f, range(7) as k(step)
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        r.claim_id || '-' || r.claim_line_number as record_id,
        r.dispensing_date as medication_date,
        r.days_supply,
        r.med_class,
        r.ingredient
    from spine as sp
    inner join reachable as r
        on sp.person_id = r.person_id
        and sp.cutoff_month = r.cutoff_month
        and r.dispensing_date <= sp.cutoff_date
        and r.dispensing_date > sp.cutoff_date - 180
)

select * from final
