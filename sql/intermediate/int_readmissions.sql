-- grain: one row per acute episode and each later episode admitted 1-30 days after its discharge
-- why: DESIGN section 4 / CMS hospital-wide readmission measure: a readmission is an acute stay
-- admitted 1 to 30 days after the discharge (same-day admissions were merged as transfers);
-- any later episode qualifies, and a readmission can itself be an index stay.
with stays as (
    select * from int_acute_stays
),

planned as (
    select * from int_acute_stays_planned
),

final as (
    select
        i.stay_id,
        r.stay_id as readmit_stay_id,
        date_diff('day', i.discharge_date, r.admission_date) as days_to_readmit,
        r.admission_date as readmit_admission_date,
        r.principal_diagnosis_code as readmit_principal_diagnosis_code,
        p.principal_dx_ccs as readmit_principal_dx_ccs,
        p.is_planned as readmit_is_planned
    from stays as i
    inner join stays as r
        on i.person_id = r.person_id
        and r.admission_date between i.discharge_date + 1 and i.discharge_date + 30
    inner join planned as p on r.stay_id = p.stay_id
)

select * from final
