-- grain: one row per active case manager: points used of capacity by this run's assignments
with assigned as (
    select cm_id, sum(points)::bigint as points_used, count(*) as patients
    from caseload_assignments
    where run_id = getvariable('run_id') and status in ('continued', 'new')
    group by cm_id
),

roster as (
    select * from rpt_roster
)

select
    r.cm_id,
    r.name,
    r.role,
    r.capacity_points,
    coalesce(a.points_used, 0) as points_used,
    coalesce(a.patients, 0) as patients
from roster as r
left join assigned as a on r.cm_id = a.cm_id
where r.active
