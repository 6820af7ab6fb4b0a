-- grain: one row per prediction spine row: hospital, ED, outpatient use and cost before its cutoff
-- Windows end at the cutoff and include it (int_cut_use_totals); for readmission_30d the index
-- stay and the ED visit that led to it are the event being scored and are not prior use.
with spine as (
    select spine_id, task, person_id, as_of_date, cutoff_date, stay_id from mart_prediction_spine
    -- one share of persons while built in passes (catalog.PASS_NAMES); the cut views it reads
    -- keep the same share
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

totals as (
    select * from int_cut_use_totals
),

index_stays as (
    select * from int_feat_index_stays
),

index_ed as (
    select v.spine_id, count(*) as visits
    from int_cut_ed_visits as v
    inner join index_stays as i on v.spine_id = i.spine_id and v.stay_id = i.stay_id
    where v.task = 'readmission_30d' and v.visit_date > v.cutoff_date - 183
    group by v.spine_id
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        cast(t.ip_admissions_183d - coalesce(ix.admission_date > sp.cutoff_date - 183, false)::integer
            as integer) as ip_stays_6m,
        cast(t.ip_admissions_365d - coalesce(ix.admission_date > sp.cutoff_date - 365, false)::integer
            as integer) as ip_stays_12m,
        cast(t.ed_visits_183d - coalesce(ie.visits, 0) as integer) as ed_visits_6m,
        t.outpatient_days_365d as outpatient_visits_12m,
        cast(ix.los_days as integer) as index_los_days,
        cast(date_diff('day', ld.last_discharge_date, ld.measured_to) as integer)
            as days_since_last_discharge,
        cast(t.paid_amount_365d as double) as paid_amount_12m
    from spine as sp
    inner join totals as t on sp.spine_id = t.spine_id
    left join index_stays as ix on sp.spine_id = ix.spine_id
    left join index_ed as ie on sp.spine_id = ie.spine_id
    left join int_cut_last_discharge as ld on sp.spine_id = ld.spine_id
)

select * from final
