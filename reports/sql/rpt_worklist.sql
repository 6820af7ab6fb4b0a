-- grain: one row per person on a worklist of this run (continued, new or unassigned)
-- Missing sources leave blanks: no name without patient/eligibility, no discharge without stays.
with assigned as (
    select person_id, cm_id, status, tier, probability
    from caseload_assignments
    where run_id = getvariable('run_id') and status in ('continued', 'new', 'unassigned')
),

best as (
    select * from rpt_best_scores
),

identity as (
    select * from rpt_person_identity
),

needs as (
    select * from rpt_person_needs
),

ranked_stays as (
    select
        person_id,
        discharge_date,
        first_visit_date,
        row_number() over (partition by person_id order by discharge_date desc, stay_id) as rank
    from rpt_discharges
),

last_stay as (
    select person_id, discharge_date as last_discharge_date, first_visit_date
    from ranked_stays
    where rank = 1
)

select
    a.cm_id,
    a.status,
    a.person_id,
    i.patient_name,
    date_diff('year', i.birth_date, getvariable('run_date'))
        - (strftime(i.birth_date, '%m%d') > strftime(getvariable('run_date'), '%m%d'))::int as age,
    d.last_discharge_date,
    d.first_visit_date,
    coalesce(b.probability, a.probability) as probability,
    coalesce(b.tier, a.tier) as tier,
    b.task,
    b.trend,
    coalesce(b.reasons, []::varchar[]) as reasons,
    coalesce(n.social_needs, []::varchar[]) as social_needs,
    n.medication_count
from assigned as a
left join best as b on a.person_id = b.person_id
left join identity as i on a.person_id = i.person_id
left join needs as n on a.person_id = n.person_id
left join last_stay as d on a.person_id = d.person_id
