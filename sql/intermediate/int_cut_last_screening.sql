-- grain: one row per prediction spine row and social-needs domain screened on or before its cutoff date
-- The leak-free cut (DESIGN section 5) for screening answers: the latest screening day of each
-- domain on or before the cutoff. Spine rows and screening days of a person and domain form one
-- stream ordered by day (a screening before a spine row of the same day); each spine row
-- takes the latest screening before it, so nothing after its cutoff can reach it.
with spine as (
    select * from mart_prediction_spine
),

domains as (
    select distinct domain from ref_social_screening_answers
),

stream as (
    select sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date, d.domain,
        sp.cutoff_date as day, 1 as is_spine_row, null::date as observation_date,
        null::boolean as has_need
    from spine as sp
    cross join domains as d
    union all
    select null, null, person_id, null, null, domain, observation_date, 0, observation_date,
        has_need
    from int_feat_screening_days
),

carried as (
    select
        *,
        max(observation_date) over w as last_observation_date,
        arg_max(has_need, observation_date) over w as last_has_need
    from stream
    window w as (
        partition by person_id, domain order by day, is_spine_row
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
        domain,
        last_observation_date as observation_date,
        last_has_need as has_need
    from carried
    where is_spine_row = 1 and last_observation_date is not null
)

select * from final
