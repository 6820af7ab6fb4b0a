-- grain: one row per discharge month and tier: observed readmission and 7-day follow-up rates
-- why: readmission rates use uncensored index stays only (30 days observed, DESIGN section 4);
-- follow-up rates use discharges at least 7 days before the run date.
with stays as (
    select * from rpt_scored_discharges
)

select
    month,
    tier,
    count(*) filter (where not coalesce(censored, true)) as index_stays,
    avg(unplanned_readmit_30::double) filter (where not coalesce(censored, true)) as readmission_rate,
    count(*) filter (where discharge_date <= getvariable('run_date') - 7) as discharges_7d,
    avg(follow_up_7d::double) filter (where discharge_date <= getvariable('run_date') - 7) as follow_up_rate
from stays
group by month, tier
