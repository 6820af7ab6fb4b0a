-- grain: one row per acute inpatient episode (stay_id), copies and transfers merged
-- why: principal diagnosis choices for a transfer chain (CMS hospital-wide readmission measure):
-- principal_diagnosis_code is the first admission's (why the patient came in; used to judge a
-- readmission planned, PRA v4), discharge_principal_diagnosis_code is the discharging stay's
-- (CMS attributes an index stay to the hospital that discharged the patient; used for the
-- index-stay exclusions). The disposition is the last discharge's.
with components as (
    select * from int_acute_stay_components
),

episodes as (
    select
        stay_id,
        person_id,
        min(admission_date) as admission_date,
        max(discharge_date) as discharge_date,
        arg_max(discharge_disposition_code, (discharge_date, position_in_stay))
            as discharge_disposition_code,
        arg_max(still_admitted, (discharge_date, position_in_stay)) as still_admitted,
        arg_min(admit_type_code, position_in_stay)
            filter (where admit_type_code is not null) as admit_type_code,
        arg_min(principal_diagnosis_code, position_in_stay)
            filter (where principal_diagnosis_code is not null) as principal_diagnosis_code,
        arg_max(principal_diagnosis_code, (discharge_date, position_in_stay))
            filter (where principal_diagnosis_code is not null)
            as discharge_principal_diagnosis_code,
        arg_min(principal_procedure_code, position_in_stay)
            filter (where principal_procedure_code is not null) as principal_procedure_code,
        arg_max(facility_npi, (discharge_date, position_in_stay))
            filter (where facility_npi is not null) as discharge_facility_npi,
        arg_max(drg_code, (discharge_date, position_in_stay))
            filter (where drg_code is not null) as drg_code,
        count(*) as copy_count,
        bool_or(source in ('claims', 'both')) as has_claim,
        bool_or(source in ('ehr', 'both')) as has_ehr
    from components
    group by stay_id, person_id
),

final as (
    select
        stay_id,
        person_id,
        admission_date,
        discharge_date,
        discharge_disposition_code,
        still_admitted,
        admit_type_code,
        principal_diagnosis_code,
        discharge_principal_diagnosis_code,
        principal_procedure_code,
        discharge_facility_npi,
        drg_code,
        date_diff('day', admission_date, discharge_date) as length_of_stay,
        copy_count,
        case
            when has_claim and has_ehr then 'both'
            when has_claim then 'claims'
            else 'ehr'
        end as source
    from episodes
)

select * from final
