-- grain: one row per spine row and adherence class with at least two fills in its 180-day window
-- why: PQA proportion of days covered: eligible with two or more fills on distinct dates in the
-- period; the denominator runs from the first fill (index prescription start date) through the
-- period end (the cutoff); the numerator counts days in it covered by any fill of the class,
-- each day once: one drug's covered days in closed form (int_feat_pdc_drugs), several drugs'
-- as the union of their shifted supplies (int_feat_pdc_overlaps).
with drugs as (
    select * from int_feat_pdc_drugs
),

classes as (
    select
        spine_id,
        med_class,
        min(first_fill) as first_fill,
        any_value(cutoff_date) as cutoff_date,
        max(last_date_rank) - min(first_date_rank) + 1 as fill_days,
        count(*) as drug_count,
        sum(supply - greatest(last_end_day - (cutoff_date - date '1970-01-01'), 0))
            as single_drug_days
    from drugs
    group by spine_id, med_class
),

covered as (
    select
        c.spine_id,
        c.med_class,
        c.first_fill,
        c.cutoff_date,
        case when c.drug_count = 1 then c.single_drug_days else o.days_covered end as days_covered
    from classes as c
    left join int_feat_pdc_overlaps as o on c.spine_id = o.spine_id and c.med_class = o.med_class
    where c.fill_days >= 2
),

final as (
    select
        spine_id,
        med_class,
        coalesce(days_covered, 0) as days_covered,
        date_diff('day', first_fill, cutoff_date) + 1 as days_in_period,
        round(coalesce(days_covered, 0) / (date_diff('day', first_fill, cutoff_date) + 1), 4)
            as pdc
    from covered
)

select * from final
