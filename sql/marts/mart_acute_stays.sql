-- grain: one row per acute inpatient episode (stay_id)
-- Stable output (DESIGN section 14): stay_id, person_id, admission_date, discharge_date,
-- discharge_disposition_code, principal_diagnosis_code, source; more columns follow.
-- stay_id is md5(person_id | admission_date): stable across re-runs of the same data.
with stays as (
    select * from int_acute_stays
),

planned as (
    select * from int_acute_stays_planned
),

ed_visits as (
    select * from int_ed_visits
),

ed_per_stay as (
    select stay_id, count(*) as ed_visit_count
    from ed_visits
    where stay_id is not null
    group by stay_id
),

final as (
    select
        s.stay_id,
        s.person_id,
        s.admission_date,
        s.discharge_date,
        s.discharge_disposition_code,
        s.principal_diagnosis_code,
        s.source,
        s.discharge_principal_diagnosis_code,
        s.admit_type_code,
        s.principal_procedure_code,
        p.principal_dx_ccs,
        p.principal_pr_ccs,
        p.has_always_planned_procedure,
        p.has_always_planned_diagnosis,
        p.has_potentially_planned_procedure,
        p.has_acute_principal_diagnosis,
        p.is_planned,
        s.length_of_stay,
        s.still_admitted,
        s.copy_count,
        coalesce(e.ed_visit_count, 0) > 0 as admitted_through_ed,
        s.discharge_facility_npi,
        s.drg_code
    from stays as s
    inner join planned as p on s.stay_id = p.stay_id
    left join ed_per_stay as e on s.stay_id = e.stay_id
)

select * from final
