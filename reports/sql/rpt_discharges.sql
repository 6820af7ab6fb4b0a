-- grain: one row per acute stay discharged on or before the run date, with the first follow-up
-- why: a follow-up visit counts when it happens after the discharge day and before any next
-- admission window closes (30 days), as in HEDIS TRC patient engagement after discharge.
with stays as (
    select stay_id, person_id, discharge_date
    from mart_acute_stays
    where discharge_date <= getvariable('run_date')
),

visits as (
    select * from rpt_follow_up_visits
)

select
    s.stay_id,
    s.person_id,
    s.discharge_date,
    min(v.visit_date) as first_visit_date
from stays as s
left join visits as v
    on s.person_id = v.person_id
    and v.visit_date > s.discharge_date
    and v.visit_date <= least(s.discharge_date + 30, getvariable('run_date'))
group by s.stay_id, s.person_id, s.discharge_date
