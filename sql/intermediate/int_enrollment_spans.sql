-- grain: one row per person per continuous enrollment span (any payer)
-- Overlapping or adjacent (next-day) eligibility spans merge; an open span ends in 9999.
with eligibility as (
    select * from stg_eligibility
),

spans as (
    select
        person_id,
        enrollment_start_date as start_date,
        coalesce(enrollment_end_date, date '9999-12-31') as end_date
    from eligibility
    where enrollment_start_date is not null
),

ordered as (
    select
        *,
        max(end_date) over (
            partition by person_id order by start_date, end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date
    from spans
),

numbered as (
    select
        *,
        sum(case when previous_end_date is null or start_date > previous_end_date + 1 then 1 else 0 end)
            over (
                partition by person_id order by start_date, end_date
                rows between unbounded preceding and current row
            ) as span_number
    from ordered
),

final as (
    select
        person_id,
        span_number,
        min(start_date) as enrollment_start_date,
        max(end_date) as enrollment_end_date
    from numbered
    group by person_id, span_number
)

select * from final
