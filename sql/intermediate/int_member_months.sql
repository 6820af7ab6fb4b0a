-- grain: one row per person per month start at which the person is enrolled and alive
-- why: DESIGN section 5, admission_90d cohort: every enrolled member at every month start of
-- the data window (int_data_window: first_month_start through last_month_start); alive means
-- no death on or before the month start.
with data_window as (
    select * from int_data_window
),

spans as (
    select * from int_enrollment_spans
),

persons as (
    select * from int_person_demographics
),

months as (
    select cast(unnest(generate_series(first_month_start, last_month_start, interval 1 month)) as date)
        as month_start
    from data_window
),

final as (
    select
        s.person_id,
        m.month_start,
        s.enrollment_end_date
    from months as m
    inner join spans as s
        on m.month_start between s.enrollment_start_date and s.enrollment_end_date
    left join persons as p on s.person_id = p.person_id
    where p.death_date is null or p.death_date > m.month_start
)

select * from final
