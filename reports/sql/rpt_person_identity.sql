-- grain: one row per person in the patient or eligibility extracts: name, birth, death, address
-- The EHR patient row wins over the member row where both exist; the latest delivery wins.
with patients as (
    select
        person_id,
        arg_max(nullif(concat_ws(' ', first_name, last_name), ''), coalesce(_extract_date, date '1900-01-01')) as name,
        arg_max(birth_date, coalesce(_extract_date, date '1900-01-01')) as birth_date,
        max(death_date) as death_date,
        arg_max(zip_code, coalesce(_extract_date, date '1900-01-01')) as zip_code,
        arg_max(county, coalesce(_extract_date, date '1900-01-01')) as county,
        arg_max(preferred_language, coalesce(_extract_date, date '1900-01-01')) as preferred_language
    from raw_patient
    group by person_id
),

members as (
    select
        person_id,
        arg_max(nullif(concat_ws(' ', first_name, last_name), ''), enrollment_start_date) as name,
        arg_max(birth_date, enrollment_start_date) as birth_date,
        max(death_date) as death_date,
        arg_max(zip_code, enrollment_start_date) as zip_code
    from raw_eligibility
    group by person_id
),

final as (
    select
        coalesce(p.person_id, m.person_id) as person_id,
        coalesce(p.name, m.name) as patient_name,
        coalesce(p.birth_date, m.birth_date) as birth_date,
        coalesce(p.death_date, m.death_date) as death_date,
        coalesce(p.zip_code, m.zip_code) as zip_code,
        p.county,
        p.preferred_language
    from patients as p
    full outer join members as m on p.person_id = m.person_id
)

select person_id, patient_name, birth_date, death_date, zip_code, county, preferred_language
from final
