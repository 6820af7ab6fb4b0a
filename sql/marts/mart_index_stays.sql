-- grain: one row per acute inpatient episode (stay_id), index or not
-- Stable output (DESIGN section 14): stay_id, person_id, discharge_date, is_index,
-- exclusion_reason, censored, unplanned_readmit_30, planned_readmit_30, days_to_readmit,
-- readmit_stay_id; more columns follow.
-- why: label unplanned_readmit_30 = at least one unplanned readmission (PRA v4) in days 1-30
-- (DESIGN section 4; note CMS's published measure looks only at the first readmission).
-- days_to_readmit and readmit_* describe the first unplanned readmission, else the first
-- planned one. Labels of censored stays use the data seen so far and are not final.
with criteria as (
    select * from int_index_stay_criteria
),

readmissions as (
    select * from int_readmissions
),

per_stay as (
    select
        stay_id,
        bool_or(not readmit_is_planned) as any_unplanned,
        bool_or(readmit_is_planned) as any_planned,
        arg_min(
            {
                'readmit_stay_id': readmit_stay_id,
                'days_to_readmit': days_to_readmit,
                'admission_date': readmit_admission_date,
                'diagnosis': readmit_principal_diagnosis_code,
                'dx_ccs': readmit_principal_dx_ccs,
                'is_planned': readmit_is_planned
            },
            (readmit_is_planned, days_to_readmit, readmit_stay_id)
        ) as first_readmit,
        count(*) as readmission_count
    from readmissions
    group by stay_id
),

final as (
    select
        c.stay_id,
        c.person_id,
        c.discharge_date,
        c.exclusion_reason is null as is_index,
        c.exclusion_reason,
        c.censor_reason is not null as censored,
        coalesce(r.any_unplanned, false) as unplanned_readmit_30,
        coalesce(r.any_planned, false) as planned_readmit_30,
        r.first_readmit.days_to_readmit as days_to_readmit,
        r.first_readmit.readmit_stay_id as readmit_stay_id,
        c.admission_date,
        c.age_at_admission,
        c.censor_reason,
        r.first_readmit.is_planned as readmit_is_planned,
        r.first_readmit.admission_date as readmit_admission_date,
        r.first_readmit.diagnosis as readmit_principal_diagnosis_code,
        r.first_readmit.dx_ccs as readmit_principal_dx_ccs,
        coalesce(r.readmission_count, 0) as readmission_count_30
    from criteria as c
    left join per_stay as r on c.stay_id = r.stay_id
)

select * from final
