-- grain: one row per acute stay (mart_index_stays), de-identified
-- Stay and person ids become keyed pseudonyms; dates are cut to getvariable('date_precision');
-- intervals (length of stay, days to readmission) stay exact; age is top-coded at 90.
with stays as (
    select
        stay_id, person_id, discharge_date, is_index, exclusion_reason, censored,
        unplanned_readmit_30, planned_readmit_30, days_to_readmit, readmit_stay_id,
        age_at_admission, readmission_count_30
    from mart_index_stays
),

acute as (
    select stay_id, admission_date, length_of_stay, principal_dx_ccs, source, is_planned
    from mart_acute_stays
),

final as (
    select
        deid_pseudonym('stay', s.stay_id) as stay_key,
        deid_pseudonym('person', s.person_id) as person_key,
        deid_date(a.admission_date) as admission_period,
        deid_date(s.discharge_date) as discharge_period,
        a.length_of_stay,
        deid_age(s.age_at_admission) as age_at_admission,
        a.principal_dx_ccs,
        a.source,
        a.is_planned,
        s.is_index,
        s.exclusion_reason,
        s.censored,
        s.unplanned_readmit_30,
        s.planned_readmit_30,
        s.days_to_readmit,
        s.readmission_count_30,
        deid_pseudonym('stay', s.readmit_stay_id) as readmit_stay_key
    from stays as s
    left join acute as a on s.stay_id = a.stay_id
)

select
    stay_key, person_key, admission_period, discharge_period, length_of_stay, age_at_admission,
    principal_dx_ccs, source, is_planned, is_index, exclusion_reason, censored,
    unplanned_readmit_30, planned_readmit_30, days_to_readmit, readmission_count_30,
    readmit_stay_key
from final
order by discharge_period, stay_key
