-- grain: one row per copy of a stay, with the acute episode (stay_id) it belongs to
-- why: DESIGN section 4 / CMS hospital-wide readmission measure: overlapping stays of one person
-- are one stay; an admission on the day of the previous discharge is a transfer, as is one on
-- the next day after a discharge to a short-term hospital (disposition 02, or 82 with a planned
-- readmission) or a 'still a patient' interim bill (30). Transfers merge into one episode that
-- ends at the last discharge. Gaps and islands: a copy starts a new episode unless it begins
-- on or before the latest discharge so far (+1 day after a transfer disposition).
with copies as (
    select * from int_acute_stay_copies
),

ordered as (
    select
        *,
        max(discharge_date) over preceding_copies as previous_discharge_date,
        arg_max(discharge_disposition_code, discharge_date) over preceding_copies
            as previous_disposition_code
    from copies
    window preceding_copies as (
        partition by person_id
        order by admission_date, discharge_date, copy_id
        rows between unbounded preceding and 1 preceding
    )
),

flagged as (
    select
        *,
        case
            when previous_discharge_date is null then 1
            when admission_date <= previous_discharge_date then 0
            when admission_date = previous_discharge_date + 1
                and previous_disposition_code in ('02', '82', '30') then 0
            else 1
        end as starts_episode
    from ordered
),

numbered as (
    select
        *,
        sum(starts_episode) over (
            partition by person_id
            order by admission_date, discharge_date, copy_id
            rows between unbounded preceding and current row
        ) as episode_number
    from flagged
),

final as (
    select
        md5(person_id || '|' || cast(
            min(admission_date) over (partition by person_id, episode_number) as varchar
        )) as stay_id,
        copy_id,
        person_id,
        source,
        claim_id,
        encounter_id,
        admission_date,
        discharge_date,
        still_admitted,
        discharge_disposition_code,
        admit_type_code,
        principal_diagnosis_code,
        principal_procedure_code,
        facility_npi,
        drg_code,
        row_number() over (
            partition by person_id, episode_number order by admission_date, discharge_date, copy_id
        ) as position_in_stay
    from numbered
)

select * from final
