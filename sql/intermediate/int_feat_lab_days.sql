-- grain: one row per person, lab analyte and result day: the day's last plausible result
-- Results outside the plausible range of ref_lab_loinc are entry errors and ignored; hemoglobin
-- in g/L converts to g/dL; results at the same moment resolve to the lower (worse) value.
with labs as (
    select * from stg_lab_result
    where result_numeric is not null and result_date is not null
),

valued as (
    select
        l.person_id,
        a.analyte,
        l.result_date,
        coalesce(l.result_datetime, cast(l.result_date as timestamp)) as resulted_at,
        case
            when a.analyte = 'hemoglobin' and lower(trim(l.units)) = 'g/l' then l.result_numeric / 10
            else l.result_numeric
        end as value,
        a.plausible_min,
        a.plausible_max
    from labs as l
    inner join ref_lab_loinc as a on l.loinc_code = a.loinc_code
),

final as (
    select
        person_id,
        analyte,
        result_date,
        arg_max(value, (resulted_at, -value)) as value
    from valued
    where value between plausible_min and plausible_max
    group by person_id, analyte, result_date
)

select * from final
