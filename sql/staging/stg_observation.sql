-- grain: one row per observation (vital signs, social-needs screening answers, ...)
with source as (
    select * from raw_observation
),

final as (
    select
        observation_id,
        person_id,
        encounter_id,
        observation_date,
        lower(observation_type) as observation_type,
        nullif(trim(coalesce(normalized_code, source_code)), '') as observation_code,
        lower(coalesce(normalized_code_type, source_code_type)) as code_type,
        result,
        try_cast(trim(result) as double) as result_numeric,
        coalesce(normalized_units, source_units) as units
    from source
)

select * from final
