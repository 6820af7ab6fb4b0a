-- grain: one row per spine row with a hemoglobin or sodium result in the 365 days up to its cutoff
-- "At discharge" is the last result drawn during the index stay (admission day to the cutoff,
-- the discharge day): when any was drawn, the last one on or before the cutoff is it.
with last_labs as (
    select * from int_cut_last_labs
    where result_date > cutoff_date - 365
),

index_stays as (
    select spine_id, admission_date from int_feat_index_stays
),

final as (
    select
        l.spine_id,
        max(l.value) filter (where l.analyte = 'hemoglobin' and l.result_date >= i.admission_date)
            as hemoglobin_at_discharge,
        max(l.value) filter (where l.analyte = 'sodium' and l.result_date >= i.admission_date)
            as sodium_at_discharge,
        max(l.value) filter (where l.analyte = 'hemoglobin') as hemoglobin_last_12m,
        max(l.value) filter (where l.analyte = 'sodium') as sodium_last_12m
    from last_labs as l
    left join index_stays as i on l.spine_id = i.spine_id
    group by l.spine_id
)

select * from final
