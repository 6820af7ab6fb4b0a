-- grain: one row per person (int_person_demographics), de-identified
-- No names, addresses, phones, emails, SSNs, member ids, birth or death dates, or county; age is
-- at the data end (or at death), top-coded at 90; zip is the Safe Harbor 3-digit zip.
with persons as (
    select person_id, birth_date, death_date, sex, race, ethnicity, zip_code, preferred_language
    from int_person_demographics
),

window_end as (
    select data_end_date from int_data_window
),

final as (
    select
        deid_pseudonym('person', p.person_id) as person_key,
        deid_age(
            date_sub(
                'year',
                p.birth_date,
                least(coalesce(p.death_date, w.data_end_date), w.data_end_date)
            )
        ) as age_years,
        p.sex,
        p.race,
        p.ethnicity,
        deid_zip3(p.zip_code) as zip3,
        p.preferred_language,
        p.death_date is not null as deceased
    from persons as p
    cross join window_end as w
)

select person_key, age_years, sex, race, ethnicity, zip3, preferred_language, deceased
from final
order by person_key
