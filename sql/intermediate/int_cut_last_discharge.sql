-- grain: one row per prediction spine row with an acute discharge before it
-- The leak-free cut (DESIGN section 5) for the last discharge: the latest discharge on or before
-- the cutoff (admission_90d) or before the index admission (readmission_30d: the index stay's own
-- discharge is the cutoff). Spine rows and discharges of a person form one stream ordered by day
-- (a discharge before a spine row of the same day); each spine row takes the latest one before it.
with spine as (
    -- one share of persons while a relation reading this view is built in passes (runner)
    select * from mart_prediction_spine
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

stays as (
    select * from mart_acute_stays
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

stream as (
    select
        sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date,
        coalesce(cast(ix.admission_date - 1 as date), sp.cutoff_date) as day,
        coalesce(ix.admission_date, sp.as_of_date) as measured_to,
        1 as is_spine_row,
        null::date as discharge_date
    from spine as sp
    left join stays as ix on sp.stay_id = ix.stay_id
    union all
    select null, null, person_id, null, null, discharge_date, null, 0, discharge_date
    from stays
    where not coalesce(still_admitted, false) and discharge_date is not null
),

carried as (
    select
        *,
        max(discharge_date) over (
            partition by person_id order by day, is_spine_row
            rows between unbounded preceding and current row
        ) as last_discharge_date
    from stream
),

final as (
    select spine_id, task, person_id, as_of_date, cutoff_date, last_discharge_date, measured_to
    from carried
    where is_spine_row = 1 and last_discharge_date is not null
)

select * from final
