-- grain: one row per adherence-class pharmacy fill (claim line) with a days supply
-- why: PQA proportion of days covered: a refill of the same drug before the previous supply runs
-- out starts when it runs out (early refills shift forward). With a person's fills of a drug in
-- date order and G the running days supply (through the fill), a window of fills k..n shifts fill
-- i to end on G_i + max over k <= j <= i of shift_base_j, where shift_base_j is day(start_j) - 1
-- - G_(j-1): the closed form of end_i = max(end_(i-1), start_i - 1) + supply_i (the G_(k-1)
-- terms cancel), so these per-fill values serve every spine row's window (int_feat_pdc).
-- Days are numbered from 1970-01-01. Classes: int_medication_class_codes (NDC labeler-product).
with fills as (
    select f.claim_id, f.claim_line_number, f.person_id, f.dispensing_date, f.days_supply,
        c.med_class, c.ingredient
    from stg_pharmacy_claim as f
    inner join int_medication_class_codes as c
        on c.code_type = 'ndc' and left(f.ndc_code, 9) = c.code
    where length(f.ndc_code) = 11 and coalesce(f.days_supply, 0) > 0
        and f.dispensing_date is not null
),

running as (
    select
        *,
        sum(days_supply) over (
            partition by person_id, med_class, ingredient
            order by dispensing_date, claim_id, claim_line_number
            rows between unbounded preceding and current row
        ) as supply_through,
        -- a window holds every fill of a date range, so its distinct fill dates of the class
        -- number max(date_rank) - min(date_rank) + 1
        dense_rank() over (partition by person_id, med_class order by dispensing_date) as date_rank
    from fills
),

final as (
    select
        person_id,
        med_class,
        ingredient,
        dispensing_date,
        cast(days_supply as integer) as days_supply,
        cast(supply_through as bigint) as supply_through,
        cast(date_rank as integer) as date_rank,
        cast((dispensing_date - date '1970-01-01') - 1 - (supply_through - days_supply) as bigint)
            as shift_base
    from running
)

select * from final
