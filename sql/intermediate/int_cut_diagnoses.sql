-- grain: one row per prediction spine row and diagnosis record known on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- Records: claim diagnosis codes (known at the claim's last date of service), EHR conditions
-- (known when recorded) and EHR encounter primary diagnoses (coded at the encounter's end).
with spine as (
    select * from mart_prediction_spine
),

claim_diagnoses as (
    select * from int_claim_diagnoses
),

conditions as (
    select * from stg_condition
),

encounters as (
    select * from stg_encounter
),

diagnoses as (
    select
        person_id, 'claims' as source, claim_id as record_id, diagnosis_code, code_system,
        position, known_date as service_date, known_date
    from claim_diagnoses
    union all
    select
        person_id, 'ehr_condition' as source, coalesce(condition_id, encounter_id) as record_id,
        condition_code as diagnosis_code, code_system, condition_rank as position,
        coalesce(onset_date, recorded_date) as service_date, recorded_date as known_date
    from conditions
    where condition_code is not null
    union all
    select
        person_id, 'ehr_encounter' as source, encounter_id as record_id,
        primary_diagnosis_code as diagnosis_code,
        case
            when primary_diagnosis_code[1] between 'A' and 'Z'
                and primary_diagnosis_code[2] between '0' and '9'
                and length(primary_diagnosis_code) between 3 and 7 then 'icd-10-cm'
            when length(primary_diagnosis_code) between 3 and 5
                and try_cast(primary_diagnosis_code as bigint) is not null then 'icd-9-cm'
            else 'unknown'
        end as code_system,
        1 as position, encounter_start_date as service_date,
        coalesce(encounter_end_date, encounter_start_date) as known_date
    from encounters
    where primary_diagnosis_code is not null
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        d.source,
        d.record_id,
        d.diagnosis_code,
        d.code_system,
        d.position,
        d.service_date,
        d.known_date
    from spine as sp
    inner join diagnoses as d
        on sp.person_id = d.person_id
        and d.known_date <= sp.cutoff_date
)

select * from final
