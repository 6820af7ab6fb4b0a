-- grain: one row per requested row (_model_rows): its features from ml_features_<task>
-- _model_rows is an Arrow table the caller registers (row_index, person_id, as_of_date); the
-- result keeps its order so it lines up with labels held in memory.
with wanted as (
    select row_index, person_id, as_of_date from _model_rows
),

features as (
    select * from query_table(getvariable('features_table'))
),

final as (
    select w.row_index, f.*
    from wanted as w
    inner join features as f on w.person_id = f.person_id and w.as_of_date = f.as_of_date
)

select * from final
order by row_index
