-- grain: one row per spine row and adherence class filled with two or more drugs in its window
-- why: PQA proportion of days covered counts a day once when the supplies of several drugs of
-- the class overlap: each drug's fills shift forward (end_i = G_i + running max of shift_base,
-- int_feat_pdc_fills), are clipped to the cutoff, and the class covers the union of the days.
with several as (
    select spine_id, med_class
    from int_feat_pdc_drugs
    group by spine_id, med_class
    having count(*) > 1
),

fills as (
    select f.*
    from int_cut_pdc_fills as f
    semi join several as s on f.spine_id = s.spine_id and f.med_class = s.med_class
),

shifted as (
    select
        spine_id,
        med_class,
        cutoff_date - date '1970-01-01' as cutoff_day,
        days_supply,
        supply_through + max(shift_base) over (
            partition by spine_id, med_class, ingredient order by medication_date, supply_through
            rows between unbounded preceding and current row
        ) as end_day
    from fills
),

clipped as (
    -- distinct intervals: (from, to) then orders them totally, so both window passes agree
    select distinct spine_id, med_class, end_day - days_supply + 1 as covered_from,
        least(end_day, cutoff_day) as covered_to
    from shifted
    where end_day - days_supply + 1 <= cutoff_day
),

islands as (
    select
        *,
        sum(case when covered_from > previous_to + 1 then 1 else 0 end) over (
            partition by spine_id, med_class order by covered_from, covered_to
            rows between unbounded preceding and current row
        ) as island
    from (
        select
            *,
            coalesce(max(covered_to) over (
                partition by spine_id, med_class order by covered_from, covered_to
                rows between unbounded preceding and 1 preceding
            ), covered_from - 1) as previous_to
        from clipped
    )
),

final as (
    select spine_id, med_class, sum(island_to - island_from + 1) as days_covered
    from (
        select spine_id, med_class, island, min(covered_from) as island_from,
            max(covered_to) as island_to
        from islands
        group by spine_id, med_class, island
    )
    group by spine_id, med_class
)

select * from final
