-- grain: one row per backfilled row (in row_index order): the person's previous score
-- why: a backfill replays history, so a row's trend compares with the same person's score at
-- their previous as-of date: inside the range from this backfill, before it from ml_scores
-- (latest run per as-of date).
with fresh as (
    select row_index, person_id, as_of_date, probability from backfill_rows
),

earlier as (
    select person_id, as_of_date, arg_max(probability, run_id) as probability
    from ml_scores
    where task = getvariable('score_task')
        and as_of_date < getvariable('backfill_from')
        and person_id in (select person_id from fresh)
    group by person_id, as_of_date
),

history as (
    select null as row_index, person_id, as_of_date, probability, false as is_fresh from earlier
    union all
    select row_index, person_id, as_of_date, probability, true as is_fresh from fresh
),

lagged as (
    select
        row_index,
        is_fresh,
        lag(probability) over (partition by person_id order by as_of_date) as previous_probability
    from history
),

final as (
    select row_index, previous_probability
    from lagged
    where is_fresh
)

select row_index, previous_probability from final
order by row_index
