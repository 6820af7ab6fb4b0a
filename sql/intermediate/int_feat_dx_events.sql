-- grain: one row per person, ICD-10-CM diagnosis code and day it became known
-- The diagnosis records int_cut_diagnoses cuts, reduced to what the comorbidity and social-needs
-- features need: claim codes known at the claim's last date of service, EHR conditions when
-- recorded, EHR encounter primary diagnoses at the encounter's end.
-- Built in passes by person on large extracts (catalog.PASS_NAMES): the distinct over every
-- record is the largest aggregate of the build.
with claim_diagnoses as (
    select person_id, diagnosis_code, code_system, known_date from int_claim_diagnoses
),

conditions as (
    select person_id, condition_code as diagnosis_code, code_system, recorded_date as known_date
    from stg_condition
),

encounters as (
    select
        person_id,
        primary_diagnosis_code as diagnosis_code,
        case when regexp_full_match(primary_diagnosis_code, '[A-Z][0-9][0-9A-Z]{1,5}')
            then 'icd-10-cm' end as code_system,
        coalesce(encounter_end_date, encounter_start_date) as known_date
    from stg_encounter
),

final as (
    select distinct person_id, diagnosis_code as icd_10_cm, known_date
    from (
        select * from claim_diagnoses
        union all select * from conditions
        union all select * from encounters
    )
    where code_system = 'icd-10-cm' and diagnosis_code is not null and known_date is not null
        and (getvariable('person_hash_to') is null
            or hash(person_id)
                between getvariable('person_hash_from') and getvariable('person_hash_to'))
)

select * from final
