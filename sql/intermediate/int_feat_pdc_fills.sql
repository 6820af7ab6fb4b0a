-- grain: one row per spine row and adherence-class fill in the 180 days up to its cutoff (int_cut_pdc_fills)
-- why: PQA proportion of days covered: a refill of the same drug before the previous supply runs
-- out starts when it runs out (early refills shift forward). With fills ordered by date and S the
-- running days supply, the shifted supply end is end_i = S_i + max over j <= i of
-- (start_j - 1 - S_(j-1)), the closed form of end_i = max(end_(i-1), start_i - 1) + supply_i.
with classed as (
    select * from int_cut_pdc_fills
),

running as (
    select
        *,
        sum(days_supply) over w as supply_through,
        sum(days_supply) over w - days_supply as supply_before
    from classed
    window w as (
        partition by spine_id, ingredient order by medication_date, record_id
        rows between unbounded preceding and current row
    )
),

shifted as (
    select
        *,
        supply_through + max(date_diff('day', cutoff_date, medication_date) - 1 - supply_before)
            over (
                partition by spine_id, ingredient order by medication_date, record_id
                rows between unbounded preceding and current row
            ) as end_offset
    from running
),

final as (
    select
        spine_id,
        cutoff_date,
        med_class,
        ingredient,
        record_id,
        medication_date,
        days_supply,
        cast(cutoff_date + cast(end_offset - days_supply + 1 as integer) as date) as covered_from,
        cast(cutoff_date + cast(end_offset as integer) as date) as covered_to
    from shifted
)

select * from final
