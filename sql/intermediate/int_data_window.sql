-- grain: one row per build: the data window every date rule reads
-- data_end_date: the last day of complete data. Default: the latest extract date minus one day
-- (an extract cut on day D holds data through D-1); without extract dates, the latest claim or
-- encounter date. Follow-up windows that end after it are censored (DESIGN section 4).
-- first_month_start / last_month_start bound the admission_90d spine (DESIGN section 5).
with claim_events as (
    select
        min(coalesce(admission_date, claim_start_date)) as first_date,
        max(coalesce(discharge_date, claim_end_date, claim_start_date)) as last_date,
        max(_extract_date) as last_extract
    from stg_medical_claim
),

encounter_events as (
    select
        min(encounter_start_date) as first_date,
        max(coalesce(encounter_end_date, encounter_start_date)) as last_date,
        max(_extract_date) as last_extract
    from stg_encounter
),

observed as (
    select
        least(c.first_date, e.first_date) as first_event_date,
        greatest(c.last_date, e.last_date) as last_event_date,
        greatest(c.last_extract, e.last_extract) as last_extract_date
    from claim_events as c
    cross join encounter_events as e
),

window_end as (
    select
        first_event_date,
        last_event_date,
        last_extract_date,
        cast(coalesce(
            getvariable('data_end_date'),
            last_extract_date - interval 1 day,
            last_event_date
        ) as date) as data_end_date
    from observed
),

final as (
    select
        first_event_date as data_start_date,
        data_end_date,
        last_event_date,
        last_extract_date,
        -- why: a year of history before the first as-of month, so 12-month features are whole.
        cast(coalesce(
            getvariable('first_month_start'),
            date_trunc('month', first_event_date + interval 12 month - interval 1 day)
            + interval 1 month
        ) as date) as first_month_start,
        -- why: the month start on or before the day after the data end: the row scored now.
        cast(coalesce(
            getvariable('last_month_start'),
            date_trunc('month', data_end_date + interval 1 day)
        ) as date) as last_month_start
    from window_end
)

select * from final
