-- grain: one row per prediction spine row and lab analyte resulted on or before its cutoff date
-- The leak-free cut (DESIGN section 5) for last lab values: the latest result day on or before
-- the cutoff. Spine rows and result days of a person and analyte form one stream ordered by day
-- (a result before a spine row of the same day); each spine row takes the latest result
-- before it, so nothing after its cutoff can reach it.
with spine as (
    select * from mart_prediction_spine
),

analytes as (
    select distinct analyte from ref_lab_loinc
),

stream as (
    select sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date, a.analyte,
        sp.cutoff_date as day, 1 as is_spine_row, null::date as result_date, null::double as value
    from spine as sp
    cross join analytes as a
    union all
    select null, null, person_id, null, null, analyte, result_date, 0, result_date, value
    from int_feat_lab_days
),

carried as (
    select
        *,
        max(result_date) over w as last_result_date,
        arg_max(value, result_date) over w as last_value
    from stream
    window w as (
        partition by person_id, analyte order by day, is_spine_row
        rows between unbounded preceding and current row
    )
),

final as (
    select
        spine_id,
        task,
        person_id,
        as_of_date,
        cutoff_date,
        analyte,
        last_result_date as result_date,
        last_value as value
    from carried
    where is_spine_row = 1 and last_result_date is not null
)

select * from final
