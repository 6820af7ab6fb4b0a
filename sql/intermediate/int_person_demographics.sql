-- grain: one row per person seen in eligibility or EHR patient records
-- Eligibility (the payer's record) wins over the EHR patient record; a death date is the
-- earliest either source reports.
with eligibility as (
    select * from stg_eligibility
),

patients as (
    select * from stg_patient
),

members as (
    select
        person_id,
        arg_max(birth_date, enrollment_start_date) filter (where birth_date is not null) as birth_date,
        min(death_date) as death_date,
        arg_max(gender, enrollment_start_date) filter (where gender is not null) as sex,
        arg_max(race, enrollment_start_date) filter (where race is not null) as race,
        arg_max(ethnicity, enrollment_start_date) filter (where ethnicity is not null) as ethnicity,
        arg_max(zip_code, enrollment_start_date) filter (where zip_code is not null) as zip_code
    from eligibility
    group by person_id
),

final as (
    select
        coalesce(m.person_id, p.person_id) as person_id,
        coalesce(m.birth_date, p.birth_date) as birth_date,
        least(m.death_date, p.death_date) as death_date,
        coalesce(m.sex, p.sex) as sex,
        coalesce(m.race, p.race) as race,
        coalesce(m.ethnicity, p.ethnicity) as ethnicity,
        coalesce(m.zip_code, p.zip_code) as zip_code,
        p.county,
        p.preferred_language,
        m.person_id is not null as has_eligibility,
        p.person_id is not null as has_patient_record
    from members as m
    full outer join patients as p on m.person_id = p.person_id
)

select * from final
