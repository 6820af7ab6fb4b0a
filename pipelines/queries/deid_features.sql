-- grain: one row per feature-matrix row of one task (getvariable('features_table')), de-identified
-- row_key pseudonymises (person, as-of date) so scores join back; the as-of date is cut to the
-- export's precision; age is top-coded at 90 and the area deprivation percentile is given in
-- deciles (a percentile next to a 3-digit zip can point to one 5-digit zip).
with features as (
    select * from query_table(getvariable('features_table'))
),

spine as (
    select person_id, as_of_date, label, censored
    from mart_prediction_spine
    where task = getvariable('task')
),

final as (
    select
        deid_pseudonym('row', f.person_id || '|' || cast(f.as_of_date as varchar)) as row_key,
        deid_pseudonym('person', f.person_id) as person_key,
        deid_date(f.as_of_date) as as_of_period,
        s.label,
        coalesce(s.censored, true) as censored,
        f.* exclude (person_id, as_of_date) replace (
            deid_age(f.age_years) as age_years,
            cast(floor(f.adi_national_percentile / 10) * 10 as integer) as adi_national_percentile
        )
    from features as f
    left join spine as s on f.person_id = s.person_id and f.as_of_date = s.as_of_date
)

select * from final
order by as_of_period, row_key
