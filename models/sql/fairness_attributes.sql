-- grain: one row per requested row (_model_rows): the attributes fairness is judged by
-- Sex, age and coverage as known at the row's cutoff come from int_feat_person_attributes (the
-- SQL layer's as-of demographics); race and ethnicity, never model features, from
-- int_person_demographics. Payer type is null when no enrollment span covers the cutoff.
with wanted as (
    select row_index, person_id, as_of_date from _model_rows
),

attributes as (
    select person_id, as_of_date, sex, age_years, payer_type, is_enrolled
    from int_feat_person_attributes
    where task = getvariable('task')
),

demographics as (
    select person_id, race, ethnicity from int_person_demographics
),

final as (
    select
        w.row_index,
        coalesce(a.sex, 'unknown') as sex,
        -- why: DESIGN section 7 age bands for subgroup metrics.
        case
            when a.age_years is null then 'unknown'
            when a.age_years < 18 then 'under 18'
            when a.age_years < 45 then '18-44'
            when a.age_years < 65 then '45-64'
            when a.age_years < 75 then '65-74'
            when a.age_years < 85 then '75-84'
            else '85+'
        end as age_band,
        case
            when d.ethnicity = 'hispanic or latino' then 'hispanic or latino'
            else coalesce(d.race, 'unknown')
        end as race_ethnicity,
        case when a.is_enrolled then a.payer_type else 'not enrolled' end as payer_type
    from wanted as w
    left join attributes as a on w.person_id = a.person_id and w.as_of_date = a.as_of_date
    left join demographics as d on w.person_id = d.person_id
)

select row_index, sex, age_band, race_ethnicity, payer_type from final
order by row_index
