-- grain: one row per index stay scored for 30-day readmission: the tier it got when first scored
-- why: outcomes by tier judge the tier a case manager acted on (the first run's), so later
-- rescoring of the same discharge does not move it between tiers. Run ids sort by time.
with scored as (
    select person_id, as_of_date, arg_min(tier, run_id) as tier
    from ml_scores
    where task = 'readmission_30d'
    group by person_id, as_of_date
),

stays as (
    select stay_id, person_id, discharge_date, censored, unplanned_readmit_30
    from mart_index_stays
    where is_index
),

follow_up as (
    select stay_id, first_visit_date from rpt_discharges
)

select
    s.stay_id,
    date_trunc('month', s.discharge_date)::date as month,
    c.tier,
    s.discharge_date,
    s.censored,
    s.unplanned_readmit_30,
    coalesce(f.first_visit_date <= s.discharge_date + 7, false) as follow_up_7d
from stays as s
inner join scored as c on s.person_id = c.person_id and s.discharge_date = c.as_of_date
left join follow_up as f on s.stay_id = f.stay_id
