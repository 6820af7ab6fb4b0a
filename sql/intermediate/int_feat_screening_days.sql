-- grain: one row per person, social-needs domain and screening day
-- why: AHC HRSN and PRAPARE answers (ref_social_screening_answers): a need on a screening day
-- (any item of the domain) flags the domain for that day. Unlisted answers ("I choose not to
-- answer") are not a screening.
with observations as (
    select * from stg_observation
    where observation_code in (select loinc_code from ref_social_screening_answers)
),

answered as (
    select o.person_id, o.observation_date, a.domain, a.has_need
    from observations as o
    inner join ref_social_screening_answers as a
        on o.observation_code = a.loinc_code
        and starts_with(lower(trim(o.result)), a.answer)
),

final as (
    select person_id, domain, observation_date, bool_or(has_need) as has_need
    from answered
    where observation_date is not null
    group by person_id, domain, observation_date
)

select * from final
