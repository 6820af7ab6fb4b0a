-- grain: one row per recorded EHR condition
-- The ICD-10-CM code is preferred over the source code; the code system is inferred from the
-- code's shape when the type says ICD or is missing (delivered types are often wrong).
with source as (
    select * from raw_condition
),

coded as (
    select
        *,
        coalesce(normalized_code is not null and normalized_code_type ilike '%icd%10%', false)
            as use_normalized
    from source
),

normalised as (
    select
        *,
        nullif(
            upper(replace(replace(trim(if(use_normalized, normalized_code, source_code)), '.', ''), ' ', '')),
            ''
        ) as code,
        lower(if(use_normalized, normalized_code_type, source_code_type)) as raw_type
    from coded
),

final as (
    select
        condition_id,
        person_id,
        encounter_id,
        recorded_date,
        onset_date,
        resolved_date,
        lower(status) as status,
        lower(condition_type) as condition_type,
        condition_rank,
        code as condition_code,
        -- why: ICD-9-CM codes are 3-5 digits; ICD-10-CM codes are a letter, a digit and 1-5 more.
        case
            when raw_type like '%snomed%' then 'snomed-ct'
            when raw_type is not null and raw_type not like '%icd%' then raw_type
            when length(code) between 3 and 5 and try_cast(code as bigint) is not null then 'icd-9-cm'
            when code[1] between 'A' and 'Z' and code[2] between '0' and '9'
                and length(code) between 3 and 7 then 'icd-10-cm'
            else 'unknown'
        end as code_system,
        _extract_date
    from normalised
)

select * from final
