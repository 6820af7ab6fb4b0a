-- grain: one row per spine row and adherence class with at least two fills in its 180-day window
-- why: PQA proportion of days covered: eligible with two or more fills on distinct dates in the
-- period; the denominator runs from the first fill (index prescription start date) through the
-- period end (the cutoff); the numerator counts days in it covered by any fill of the class
-- (the union of shifted supplies, each day counted once).
with fills as (
    select * from int_feat_pdc_fills
),

eligible as (
    select spine_id, med_class, min(medication_date) as first_fill, any_value(cutoff_date) as cutoff_date
    from fills
    group by spine_id, med_class
    having count(distinct medication_date) >= 2
),

clipped as (
    -- distinct intervals: (from, to) then orders them totally, so both window passes agree
    select distinct
        f.spine_id,
        f.med_class,
        greatest(f.covered_from, e.first_fill) as covered_from,
        least(f.covered_to, e.cutoff_date) as covered_to
    from fills as f
    inner join eligible as e on f.spine_id = e.spine_id and f.med_class = e.med_class
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
        where covered_from <= covered_to
    )
),

covered as (
    select spine_id, med_class, sum(date_diff('day', island_from, island_to) + 1) as days_covered
    from (
        select spine_id, med_class, island, min(covered_from) as island_from,
            max(covered_to) as island_to
        from islands
        group by spine_id, med_class, island
    )
    group by spine_id, med_class
),

final as (
    select
        e.spine_id,
        e.med_class,
        coalesce(c.days_covered, 0) as days_covered,
        date_diff('day', e.first_fill, e.cutoff_date) + 1 as days_in_period,
        round(coalesce(c.days_covered, 0) / (date_diff('day', e.first_fill, e.cutoff_date) + 1), 4)
            as pdc
    from eligible as e
    left join covered as c on e.spine_id = c.spine_id and e.med_class = c.med_class
)

select * from final
