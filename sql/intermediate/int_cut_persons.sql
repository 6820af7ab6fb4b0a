-- grain: one row per prediction spine row, with the person's demographics as known at its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- why: a death after the cutoff is in the future: death_date shows only if on or before it.
with spine as (
    select * from mart_prediction_spine
),

persons as (
    select * from int_person_demographics
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        p.birth_date,
        cast(date_part('year', age(sp.as_of_date, p.birth_date)) as integer) as age_at_as_of,
        case when p.death_date <= sp.cutoff_date then p.death_date end as death_date,
        p.sex,
        p.race,
        p.ethnicity,
        p.zip_code,
        p.county,
        p.preferred_language
    from spine as sp
    left join persons as p on sp.person_id = p.person_id
)

select * from final
