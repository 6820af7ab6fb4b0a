-- grain: one row per recorded EHR procedure
-- The code system is inferred from the code's shape when the type says ICD or is missing:
-- ICD-10-PCS is 7 characters (digits and letters other than I and O), ICD-9 procedures 3-4 digits.
with source as (
    select * from raw_procedure
),

coded as (
    select
        *,
        nullif(
            upper(regexp_replace(
                case when normalized_code is not null then normalized_code else source_code end,
                '[^A-Za-z0-9]', '', 'g'
            )),
            ''
        ) as code,
        lower(
            case when normalized_code is not null then normalized_code_type else source_code_type end
        ) as raw_type
    from source
),

final as (
    select
        procedure_id,
        person_id,
        encounter_id,
        procedure_date,
        code as procedure_code,
        case
            when raw_type like '%snomed%' then 'snomed-ct'
            when raw_type like '%cpt%' or raw_type like '%hcpcs%' then 'hcpcs'
            when raw_type is not null and raw_type not like '%icd%' then raw_type
            when length(code) = 7 and code not like '%I%' and code not like '%O%' then 'icd-10-pcs'
            when length(code) between 3 and 4 and try_cast(code as integer) is not null
                then 'icd-9-pcs'
            else 'unknown'
        end as code_system,
        _extract_date
    from coded
)

select * from final
