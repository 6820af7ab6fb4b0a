-- grain: one row per EHR encounter (the latest delivered version of each encounter_id)
with source as (
    select * from raw_encounter
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by encounter_id
        order by _extract_date desc nulls last, _row_number desc nulls last
    ) = 1
),

final as (
    select
        encounter_id,
        person_id,
        lower(trim(encounter_type)) as encounter_type,
        encounter_start_date,
        encounter_end_date,
        nullif(trim(admit_type_code), '') as admit_type_code,
        nullif(trim(admit_source_code), '') as admit_source_code,
        case
            when length(trim(discharge_disposition_code)) = 1
                then '0' || trim(discharge_disposition_code)
            else nullif(trim(discharge_disposition_code), '')
        end as discharge_disposition_code,
        facility_npi,
        nullif(upper(regexp_replace(primary_diagnosis_code, '[^A-Za-z0-9]', '', 'g')), '')
            as primary_diagnosis_code,
        nullif(trim(drg_code), '') as drg_code,
        paid_amount,
        allowed_amount,
        _extract_date
    from latest
)

select * from final
