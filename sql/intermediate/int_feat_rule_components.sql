-- grain: one row per readmission_30d spine row: the inputs of the LACE and HOSPITAL scores
-- LACE's E counts ED visits in the 6 months before the index admission, not the visit that led
-- to it (van Walraven 2010); HOSPITAL's A counts hospital admissions in the 12 months before the
-- index admission (Donze 2013). Charlson is the 12-month index of int_feat_charlson.
with index_stays as (
    select * from int_feat_index_stays
),

ed as (
    select v.spine_id, count(*) as ed_visits
    from int_cut_ed_visits as v
    inner join index_stays as i on v.spine_id = i.spine_id
    where v.task = 'readmission_30d'
        and coalesce(v.stay_id <> i.stay_id, true)
        and v.visit_date >= i.admission_date - interval 6 month
        and v.visit_date < i.admission_date
    group by v.spine_id
),

admissions as (
    select s.spine_id, count(*) as admissions
    from int_cut_stays as s
    inner join index_stays as i on s.spine_id = i.spine_id
    where s.task = 'readmission_30d'
        and s.stay_id <> i.stay_id
        and s.admission_date >= i.admission_date - interval 12 month
        and s.admission_date < i.admission_date
    group by s.spine_id
),

final as (
    select
        i.spine_id,
        cast(i.los_days as integer) as los_days,
        i.urgent_admission,
        coalesce(ch.charlson_index, 0) as charlson_index,
        cast(coalesce(ed.ed_visits, 0) as integer) as ed_visits_6m_before_admission,
        l.hemoglobin_at_discharge,
        l.sodium_at_discharge,
        i.oncology_discharge,
        i.procedure_during_stay,
        cast(coalesce(a.admissions, 0) as integer) as admissions_12m_before_admission
    from index_stays as i
    left join int_feat_labs as l on i.spine_id = l.spine_id
    left join int_feat_charlson as ch on i.spine_id = ch.spine_id
    left join ed on i.spine_id = ed.spine_id
    left join admissions as a on i.spine_id = a.spine_id
)

select * from final
