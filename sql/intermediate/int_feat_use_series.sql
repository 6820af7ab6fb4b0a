-- grain: one row per person and day with utilization: admissions, ED visits, outpatient visit days, paid amount
-- Series, each dated by the day it is known: ip_admission (acute stays by admission date),
-- ed_visit (ED visit days), outpatient_day (days with an office or outpatient service, dated by
-- the first claim or encounter that shows it), paid (medical paid amounts by the claim's last
-- service date, pharmacy paid amounts by dispensing date). A window total is the running total at
-- the cutoff minus the running total at the window's start (int_cut_use_totals).
with lines as (
    -- why: CMS place-of-service codes 02/10 telehealth, 11 office, 19/22 outpatient hospital,
    -- 49 independent clinic, 50 FQHC, 71 public health clinic, 72 rural health clinic; UB-04
    -- bill types 13x hospital outpatient, 71x rural health clinic, 77x FQHC (not an ED visit).
    select
        claim_id,
        person_id,
        coalesce(claim_line_start_date, claim_start_date) as line_day,
        coalesce(discharge_date, claim_end_date, claim_line_end_date, claim_start_date)
            as line_known,
        coalesce(revenue_center_code like '045%' or place_of_service_code = '23', false)
            as is_ed_line,
        coalesce(claim_type = 'professional' and place_of_service_code
            in ('02', '10', '11', '19', '22', '49', '50', '71', '72'), false) as is_office_line,
        coalesce(claim_type = 'institutional'
            and left(bill_type_code, 2) in ('13', '71', '77'), false) as is_outpatient_bill,
        cast(paid_amount as decimal(18, 2)) as paid_amount
    from int_claim_lines_current
    -- one share of persons while built in passes (catalog.PASS_NAMES), taken where the claim
    -- lines are read: the claim aggregate below hides person_id from a later filter
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

claims as (
    -- a claim is known at its last line's date and is an ED claim if any line is; its paid
    -- amount is dated by that day, so it is summed per claim, not per claim day
    select
        claim_id,
        any_value(person_id) as person_id,
        max(line_known) as known_date,
        bool_or(is_ed_line) as is_ed,
        sum(paid_amount) as paid_amount
    from lines
    group by claim_id
),

claim_days as (
    -- only lines that can make a visit day; a claim-level aggregate joined back costs less
    -- than a window over every claim day
    select
        claim_id,
        line_day,
        bool_or(is_office_line) as has_office_line,
        bool_or(is_outpatient_bill) as has_outpatient_bill
    from lines
    where is_office_line or is_outpatient_bill
    group by claim_id, line_day
),

visit_days as (
    select c.person_id, d.line_day as visit_day, c.known_date
    from claim_days as d
    inner join claims as c on d.claim_id = c.claim_id
    where d.has_office_line or (d.has_outpatient_bill and not c.is_ed)
    union all
    select person_id, encounter_start_date, encounter_start_date
    from stg_encounter
    where encounter_type in ('office visit', 'outpatient', 'telehealth', 'ambulatory', 'wellness')
),

events as (
    -- one column per series (null on the other series' rows), so each day sums its columns
    select person_id, admission_date as event_date, 1 as ip_admission, null::integer as ed_visit,
        null::integer as outpatient_day, null::decimal(18, 2) as paid
    from mart_acute_stays
    union all
    select person_id, visit_date, null, 1, null, null from int_ed_visits
    union all
    select person_id, min(known_date), null, null, 1, null
    from visit_days
    where visit_day is not null
    group by person_id, visit_day
    union all
    select person_id, known_date, null, null, null, coalesce(paid_amount, 0) from claims
    union all
    select person_id, dispensing_date, null, null, null,
        coalesce(cast(paid_amount as decimal(18, 2)), 0)
    from stg_pharmacy_claim
),

final as (
    select
        person_id,
        event_date,
        -- each count series is 1 or null: a count is its sum (null when none) with a cheaper state
        cast(nullif(count(ip_admission), 0) as integer) as ip_admissions,
        cast(nullif(count(ed_visit), 0) as integer) as ed_visits,
        cast(nullif(count(outpatient_day), 0) as integer) as outpatient_days,
        cast(sum(paid) as decimal(18, 2)) as paid_amount
    from events
    where event_date is not null
        -- the other series' share: pushed below the grouping and into each branch of the union
        and (getvariable('person_hash_to') is null
            or hash(person_id)
                between getvariable('person_hash_from') and getvariable('person_hash_to'))
    group by person_id, event_date
)

select * from final
