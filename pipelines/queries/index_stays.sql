-- grain: one row per index stay (mart_index_stays.is_index) with what cohort exploration groups by
-- Condition is the principal diagnosis's CCS category (PRA v4 specialty cohort names); payer type
-- and age are as of the discharge (int_feat_person_attributes, the features' own as-of cut); area
-- deprivation is the feature matrix's national ADI percentile, banded in quintiles.
with stays as (
    select stay_id, person_id, discharge_date, censored, unplanned_readmit_30, planned_readmit_30
    from mart_index_stays
    where is_index
),

acute as (
    select stay_id, principal_dx_ccs, length_of_stay, source from mart_acute_stays
),

conditions as (
    select ccs, any_value(description) as condition, any_value(specialty_cohort) as cohort
    from ref_pra_specialty_cohort
    where procedure_or_diagnosis = 'Diagnosis'
    group by ccs
),

spine as (
    select person_id, as_of_date, stay_id
    from mart_prediction_spine
    where task = 'readmission_30d'
),

attributes as (
    select person_id, as_of_date, age_years, payer_type, is_enrolled
    from int_feat_person_attributes
    where task = 'readmission_30d'
),

deprivation as (
    select person_id, as_of_date, adi_national_percentile from ml_features_readmission_30d
),

final as (
    select
        s.stay_id,
        s.person_id,
        s.discharge_date,
        a.length_of_stay,
        a.source,
        pattr.age_years,
        coalesce(c.condition, 'CCS ' || a.principal_dx_ccs, 'unknown') as condition,
        coalesce(c.cohort, 'unknown') as specialty_cohort,
        case when pattr.is_enrolled then pattr.payer_type else 'not enrolled' end as payer_type,
        d.adi_national_percentile,
        case
            when d.adi_national_percentile is null then 'unknown'
            else 'Q' || cast(least(5, 1 + floor((d.adi_national_percentile - 1) / 20)) as integer)
        end as deprivation_quintile,
        s.censored,
        s.unplanned_readmit_30,
        s.planned_readmit_30
    from stays as s
    left join acute as a on s.stay_id = a.stay_id
    left join conditions as c on a.principal_dx_ccs = c.ccs
    left join spine as sp on s.stay_id = sp.stay_id
    left join attributes as pattr
        on sp.person_id = pattr.person_id and sp.as_of_date = pattr.as_of_date
    left join deprivation as d on sp.person_id = d.person_id and sp.as_of_date = d.as_of_date
)

select
    stay_id, person_id, discharge_date, length_of_stay, source, age_years, condition,
    specialty_cohort, payer_type, adi_national_percentile, deprivation_quintile, censored,
    unplanned_readmit_30, planned_readmit_30
from final
order by discharge_date, stay_id
