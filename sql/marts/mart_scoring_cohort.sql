-- grain: one row per task and person scored by the current run
-- why: DESIGN section 8 and the nightly run: readmission_30d scores the recently discharged
-- (index stays whose 30-day window is still open at the data end: outcome not yet known);
-- admission_90d scores every enrolled, living member as of the latest month start in the spine
-- (extracts often close active enrollment spans at the data end, so the month start after the
-- data end may hold nobody yet; the latest month with members is the current population).
with spine as (
    select * from mart_prediction_spine
),

recent_discharges as (
    select s.task, s.person_id, s.as_of_date, s.stay_id
    from spine as s
    where s.task = 'readmission_30d'
        and s.censor_reason = 'follow_up_after_data_end'
),

latest_discharge as (
    -- why: a person discharged twice in the window is worked from the latest discharge.
    select task, person_id, max(as_of_date) as as_of_date
    from recent_discharges
    group by task, person_id
),

latest_month as (
    select max(as_of_date) as month_start
    from spine
    where task = 'admission_90d'
),

members as (
    select s.task, s.person_id, s.as_of_date
    from spine as s
    inner join latest_month as m on s.as_of_date = m.month_start
    where s.task = 'admission_90d'
),

final as (
    select task, person_id, as_of_date from latest_discharge
    union all
    select task, person_id, as_of_date from members
)

select task, person_id, as_of_date from final
