-- grain: one row per spine row and adherence class with at least two fills in its 180-day window
-- The proportion of days covered as the pipeline computed it before the closed form (kept as the
-- oracle for test_pdc_closed_form.py): every spine row's fills shifted one by one with running
-- sums, clipped, and merged into islands of covered days.
with spine as (
    select *, cast(date_trunc('month', cutoff_date) as date) as cutoff_month
    from mart_prediction_spine
),

fills as (
    select f.claim_id, f.claim_line_number, f.person_id, f.dispensing_date, f.days_supply,
        m.med_class, m.ingredient
    from stg_pharmacy_claim as f
    inner join int_medication_class_codes as m
        on m.code_type = 'ndc' and left(f.ndc_code, 9) = m.code
    where length(f.ndc_code) = 11 and coalesce(f.days_supply, 0) > 0
),

classed as (
    select sp.spine_id, sp.cutoff_date, f.med_class, f.ingredient,
        f.claim_id || '-' || f.claim_line_number as record_id,
        f.dispensing_date as medication_date, f.days_supply
    from spine as sp
    inner join fills as f
        on sp.person_id = f.person_id
        and f.dispensing_date <= sp.cutoff_date
        and f.dispensing_date > sp.cutoff_date - 180
),

running as (
    select *, sum(days_supply) over w as supply_through,
        sum(days_supply) over w - days_supply as supply_before
    from classed
    window w as (
        partition by spine_id, ingredient order by medication_date, record_id
        rows between unbounded preceding and current row
    )
),

shifted as (
    select *, supply_through + max(date_diff('day', cutoff_date, medication_date) - 1
        - supply_before) over (
            partition by spine_id, ingredient order by medication_date, record_id
            rows between unbounded preceding and current row
        ) as end_offset
    from running
),

pdc_fills as (
    select spine_id, cutoff_date, med_class, medication_date,
        cast(cutoff_date + cast(end_offset - days_supply + 1 as integer) as date) as covered_from,
        cast(cutoff_date + cast(end_offset as integer) as date) as covered_to
    from shifted
),

eligible as (
    select spine_id, med_class, min(medication_date) as first_fill,
        any_value(cutoff_date) as cutoff_date
    from pdc_fills
    group by spine_id, med_class
    having count(distinct medication_date) >= 2
),

clipped as (
    select distinct f.spine_id, f.med_class,
        greatest(f.covered_from, e.first_fill) as covered_from,
        least(f.covered_to, e.cutoff_date) as covered_to
    from pdc_fills as f
    inner join eligible as e on f.spine_id = e.spine_id and f.med_class = e.med_class
),

islands as (
    select *, sum(case when covered_from > previous_to + 1 then 1 else 0 end) over (
            partition by spine_id, med_class order by covered_from, covered_to
            rows between unbounded preceding and current row
        ) as island
    from (
        select *, coalesce(max(covered_to) over (
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
)

select e.spine_id, e.med_class,
    round(coalesce(c.days_covered, 0) / (date_diff('day', e.first_fill, e.cutoff_date) + 1), 4)
        as pdc
from eligible as e
left join covered as c on e.spine_id = c.spine_id and e.med_class = c.med_class
