-- grain: one row per person still assigned after the latest earlier run date
-- A rerun of the same night replaces that night's rows, so only earlier run dates count.
with earlier as (
    select max(run_date) as run_date
    from caseload_assignments
    where run_date < getvariable('run_date')
)

select a.person_id, a.cm_id
from caseload_assignments as a
inner join earlier as e on a.run_date = e.run_date
where a.status in ('continued', 'new') and a.cm_id is not null
