-- grain: one row per requested row (_model_rows) that the generator's truth file also holds
-- Evaluation only (DESIGN section 14): the truth file is never read by the pipeline itself.
-- A key the truth file holds twice keeps its highest probability and is counted in `copies`.
with wanted as (
    select row_index, person_id, as_of_date from _model_rows
),

truth as (
    select
        cast(person_id as varchar) as person_id,
        cast(as_of_date as date) as as_of_date,
        max(true_probability) as true_probability,
        count(*) as copies
    from read_parquet(getvariable('truth_path'))
    where task = getvariable('task')
    group by all
),

final as (
    select w.row_index, t.true_probability, t.copies
    from wanted as w
    inner join truth as t on w.person_id = t.person_id and w.as_of_date = t.as_of_date
)

select row_index, true_probability, copies from final
order by row_index
