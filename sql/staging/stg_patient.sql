-- grain: one row per EHR patient (the latest delivered version of each person_id)
with source as (
    select * from raw_patient
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by person_id
        order by _extract_date desc nulls last, _row_number desc nulls last
    ) = 1
),

final as (
    select
        person_id,
        patient_id,
        lower(trim(sex)) as sex,
        lower(trim(race)) as race,
        lower(trim(ethnicity)) as ethnicity,
        birth_date,
        death_date,
        nullif(left(regexp_replace(zip_code, '[^0-9]', '', 'g'), 5), '') as zip_code,
        county,
        state,
        preferred_language
    from latest
)

select * from final
