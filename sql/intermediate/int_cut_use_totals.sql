-- grain: one row per prediction spine row: utilization totals over the windows up to its cutoff date
-- The leak-free cut (DESIGN section 5) for counts and sums: a window's total is the running total
-- through the cutoff minus the running total through the day the window opens. Windows: 183 days
-- (6 months) and 365 days (12 months) up to and including the cutoff. Spine rows (at the cutoff
-- and at both window openings) and utilization days form one stream per person ordered by day (a
-- utilization day before a spine row of the same day); the running sums at a spine row count only
-- days up to it, so nothing after its cutoff.
with spine as (
    -- one share of persons while a relation reading this view is built in passes (runner)
    select * from mart_prediction_spine
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

ends as (
    select * from (values (0), (183), (365)) as e(days_back)
),

stream as (
    select sp.spine_id, sp.person_id, e.days_back,
        cast(sp.cutoff_date - e.days_back as date) as day, 1 as is_spine_row,
        0 as ip_admissions, 0 as ed_visits, 0 as outpatient_days, 0::decimal(18, 2) as paid_amount
    from spine as sp
    cross join ends as e
    union all
    select null, person_id, null, event_date, 0, coalesce(ip_admissions, 0),
        coalesce(ed_visits, 0), coalesce(outpatient_days, 0), coalesce(paid_amount, 0)
    from int_feat_use_series
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

running as (
    select
        spine_id,
        days_back,
        sum(ip_admissions) over w as ip_admissions,
        sum(ed_visits) over w as ed_visits,
        sum(outpatient_days) over w as outpatient_days,
        sum(paid_amount) over w as paid_amount
    from stream
    window w as (
        partition by person_id order by day, is_spine_row
        rows between unbounded preceding and current row
    )
    qualify is_spine_row = 1
),

totals as (
    select
        spine_id,
        max(ip_admissions) filter (where days_back = 0)
            - max(ip_admissions) filter (where days_back = 183) as ip_admissions_183d,
        max(ip_admissions) filter (where days_back = 0)
            - max(ip_admissions) filter (where days_back = 365) as ip_admissions_365d,
        max(ed_visits) filter (where days_back = 0)
            - max(ed_visits) filter (where days_back = 183) as ed_visits_183d,
        max(outpatient_days) filter (where days_back = 0)
            - max(outpatient_days) filter (where days_back = 365) as outpatient_days_365d,
        max(paid_amount) filter (where days_back = 0)
            - max(paid_amount) filter (where days_back = 365) as paid_amount_365d
    from running
    group by spine_id
),

final as (
    select sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date,
        cast(t.ip_admissions_183d as integer) as ip_admissions_183d,
        cast(t.ip_admissions_365d as integer) as ip_admissions_365d,
        cast(t.ed_visits_183d as integer) as ed_visits_183d,
        cast(t.outpatient_days_365d as integer) as outpatient_days_365d,
        t.paid_amount_365d
    from totals as t
    inner join spine as sp on t.spine_id = sp.spine_id
)

select * from final
