-- grain: one row per person per month start of the admission_90d cohort, with its outcome
-- why: DESIGN section 5: outcome = an unplanned (PRA v4) acute admission with admission_date in
-- [month_start, month_start + 90 days). Censored when month_start + 90 is after the data end
-- date (the issue's rule, one day stricter than the window's last day, month_start + 89), or
-- enrollment ends before the window's last day (unless the person died first).
with member_months as (
    select * from int_member_months
),

stays as (
    select * from int_acute_stays
),

planned as (
    select * from int_acute_stays_planned
),

persons as (
    select * from int_person_demographics
),

data_window as (
    select * from int_data_window
),

unplanned_admissions as (
    select s.person_id, s.admission_date, s.stay_id
    from stays as s
    inner join planned as p on s.stay_id = p.stay_id
    where not p.is_planned
),

outcomes as (
    select
        m.person_id,
        m.month_start,
        min(a.admission_date) as first_admission_date,
        arg_min(a.stay_id, a.admission_date) as first_stay_id
    from member_months as m
    inner join unplanned_admissions as a
        on m.person_id = a.person_id
        and a.admission_date >= m.month_start
        and a.admission_date < m.month_start + 90
    group by m.person_id, m.month_start
),

final as (
    select
        m.person_id,
        m.month_start,
        o.first_admission_date is not null as unplanned_admit_90,
        o.first_admission_date,
        o.first_stay_id,
        case
            when m.month_start + 90 > w.data_end_date then 'follow_up_after_data_end'
            when m.enrollment_end_date < least(m.month_start + 89, p.death_date)
                then 'not_enrolled_90d'
        end as censor_reason
    from member_months as m
    cross join data_window as w
    left join outcomes as o on m.person_id = o.person_id and m.month_start = o.month_start
    left join persons as p on m.person_id = p.person_id
)

select * from final
