-- grain: one row per prediction spine row: labs, index-stay facts and medication use at its cutoff
-- Stay facts (oncology, procedure, urgent admission, labs at discharge) exist for readmission_30d
-- rows only and are null for admission_90d; lab values are null when never drawn.
with spine as (
    select spine_id, task, person_id, as_of_date from mart_prediction_spine
),

index_stays as (
    select * from int_feat_index_stays
),

pdc as (
    select
        spine_id,
        max(pdc) filter (where med_class = 'statins') as pdc_statins,
        max(pdc) filter (where med_class = 'ras_antagonists') as pdc_ras_antagonists,
        max(pdc) filter (where med_class = 'diabetes_oral') as pdc_diabetes_oral
    from int_feat_pdc
    group by spine_id
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        cast(l.hemoglobin_at_discharge as double) as hemoglobin_at_discharge,
        cast(l.sodium_at_discharge as double) as sodium_at_discharge,
        cast(l.hemoglobin_last_12m as double) as hemoglobin_last_12m,
        cast(l.sodium_last_12m as double) as sodium_last_12m,
        i.oncology_discharge,
        i.procedure_during_stay,
        i.urgent_admission,
        cast(coalesce(m.active_medications_90d, 0) as integer) as active_medications_90d,
        cast(pdc.pdc_statins as double) as pdc_statins,
        cast(pdc.pdc_ras_antagonists as double) as pdc_ras_antagonists,
        cast(pdc.pdc_diabetes_oral as double) as pdc_diabetes_oral
    from spine as sp
    left join index_stays as i on sp.spine_id = i.spine_id
    left join int_feat_labs as l on sp.spine_id = l.spine_id
    left join int_feat_medications as m on sp.spine_id = m.spine_id
    left join pdc on sp.spine_id = pdc.spine_id
)

select * from final
