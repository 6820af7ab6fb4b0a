-- grain: one row per person scored in this run or still assigned from the last run
-- why: the caseload step keeps, releases or assigns each of them (DESIGN section 8).
-- clinical_need: Charlson >= 3 (Quan 2005 high comorbidity) or >= 10 active medications
-- (excessive polypharmacy, Hovstadius 2010), thresholds as DuckDB variables.
with persons as (
    select person_id from rpt_best_scores
    union
    select person_id from rpt_previous_assignments
),

best as (
    select * from rpt_best_scores
),

needs as (
    select * from rpt_person_needs
),

identity as (
    select * from rpt_person_identity
),

enrollment as (
    select * from rpt_enrollment
),

final as (
    select
        p.person_id,
        b.task,
        b.tier,
        b.probability,
        coalesce(len(n.social_needs), 0) > 0 as social_need,
        coalesce(
            n.charlson_index >= getvariable('complex_charlson')
            or n.medication_count >= getvariable('polypharmacy_medications'),
            false
        ) as clinical_need,
        nullif(lower(trim(i.preferred_language)), '') as language,
        nullif(left(regexp_replace(coalesce(i.zip_code, ''), '[^0-9]', '', 'g'), 3), '') as zip3,
        nullif(trim(i.county), '') as county,
        coalesce(i.death_date <= getvariable('run_date'), false) as deceased,
        coalesce(not e.enrolled, false) as disenrolled
    from persons as p
    left join best as b on p.person_id = b.person_id
    left join needs as n on p.person_id = n.person_id
    left join identity as i on p.person_id = i.person_id
    left join enrollment as e on p.person_id = e.person_id
)

select
    person_id, task, tier, probability, social_need, clinical_need, language, zip3, county,
    deceased, disenrolled
from final
