-- grain: one row per current medical claim and distinct diagnosis code
-- why: diagnosis codes are claim-header fields (UB-04 / 837) repeated on each line; a code's
-- position is the lowest it holds on the claim (1 = principal). known_date is the claim's last
-- date of service: its codes are known once the service ends (the leak-free cut reads it).
-- A view (catalog.VIEW_NAMES): the long form of every claim code costs more to store than to read.
with lines as (
    select
        claim_id,
        person_id,
        coalesce(admission_date, claim_start_date) as service_date,
        coalesce(discharge_date, claim_end_date, claim_start_date) as known_date,
        columns('^diagnosis_code_\d+$')
    from stg_medical_claim
    anti join int_claim_line_exclusions as e on stg_medical_claim._row_key = e._row_key
    -- one share of persons while a relation is built in passes (sql/runner.py); unset, all
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

per_code as (
    select
        claim_id,
        diagnosis_code,
        any_value(person_id) as person_id,
        min(cast(replace(slot, 'diagnosis_code_', '') as integer)) as position,
        min(service_date) as service_date,
        max(known_date) as known_date
    from lines
    unpivot (diagnosis_code for slot in (columns('^diagnosis_code_\d+$')))
    group by claim_id, diagnosis_code
),

final as (
    select
        claim_id,
        person_id,
        position,
        diagnosis_code,
        -- why: delivered diagnosis_code_type is often wrong (Tuva sample); infer from shape:
        -- ICD-9-CM is 3-5 digits (or E/V + digits before the ICD-10 switch on 2015-10-01),
        -- ICD-10-CM is a letter, a digit, then 1-5 more characters (3-7 in all).
        coalesce(case
            when diagnosis_code[1] between '0' and '9'
                then case when regexp_full_match(diagnosis_code, '[0-9]{3,5}') then 'icd-9-cm' end
            when diagnosis_code[1] in ('E', 'V') and service_date < date '2015-10-01'
                then case
                    when regexp_full_match(diagnosis_code, 'V[0-9]{2,4}|E[0-9]{3,4}') then 'icd-9-cm'
                end
            when diagnosis_code[1] between 'A' and 'Z' and diagnosis_code[2] between '0' and '9'
                and length(diagnosis_code) between 3 and 7 then 'icd-10-cm'
        end, 'unknown') as code_system,
        known_date
    from per_code
)

select * from final
