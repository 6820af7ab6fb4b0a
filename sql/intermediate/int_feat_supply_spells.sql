-- grain: one row per person, medication product and spell of continuous supply
-- A fill or EHR medication record supplies its product from its date for its days supply (30
-- when not stated); overlapping or touching supplies of one product merge into a spell.
-- Product: the NDC's labeler-product (first 9 of 11 digits), else the NDC, else the RxNorm code.
with records as (
    select person_id, dispensing_date as supply_date, days_supply, ndc_code, null as rxnorm_code
    from stg_pharmacy_claim
    union all
    select person_id, medication_date, days_supply, ndc_code, rxnorm_code
    from stg_medication
),

supplies as (
    select
        person_id,
        coalesce(
            case when length(ndc_code) = 11 then 'ndc:' || left(ndc_code, 9) end,
            'ndc:' || ndc_code,
            'rxnorm:' || rxnorm_code
        ) as product,
        supply_date,
        cast(supply_date + greatest(coalesce(days_supply, 30), 1) - 1 as date) as supply_end
    from records
    where supply_date is not null
),

ordered as (
    -- distinct supplies: (date, end) then orders a product's supplies totally, so both window
    -- passes see the same order
    select
        *,
        max(supply_end) over (
            partition by person_id, product order by supply_date, supply_end
            rows between unbounded preceding and 1 preceding
        ) as previous_end
    from (select distinct * from supplies where product is not null)
),

numbered as (
    select
        *,
        sum(case when previous_end is null or supply_date > previous_end + 1 then 1 else 0 end)
            over (
                partition by person_id, product order by supply_date, supply_end
                rows between unbounded preceding and current row
            ) as spell
    from ordered
),

final as (
    select person_id, product, min(supply_date) as spell_start, max(supply_end) as spell_end
    from numbered
    group by person_id, product, spell
)

select * from final
