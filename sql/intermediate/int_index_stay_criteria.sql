-- grain: one row per acute episode with its index-stay exclusion and censoring
-- why: DESIGN section 4 / CMS hospital-wide readmission measure index cohort: discharged alive
-- (disposition not 20 expired or 40-42 expired in hospice, and no death on or before discharge),
-- not against medical advice (07), age >= 18 at admission (unknown age is not excluded), and a
-- discharging principal diagnosis CCS outside the PRA v4 exclusion list (medical treatment of
-- cancer, rehabilitation, psychiatric; CMS attributes a transfer chain to the discharging stay).
-- Censored (scored, never trained on) when the 30-day follow-up passes the data end date, or
-- when the person has eligibility but is not enrolled through the follow-up (or until death).
with stays as (
    select * from int_acute_stays
),

persons as (
    select * from int_person_demographics
),

spans as (
    select * from int_enrollment_spans
),

data_window as (
    select * from int_data_window
),

dx_ccs as (
    select * from ref_ccs_dx_icd10cm
),

excluded_ccs as (
    select * from ref_pra_exclusion_ccs_diagnosis_category
),

assessed as (
    select
        s.stay_id,
        s.person_id,
        s.admission_date,
        s.discharge_date,
        s.still_admitted,
        s.discharge_disposition_code,
        cast(date_part('year', age(s.admission_date, p.birth_date)) as integer) as age_at_admission,
        s.discharge_disposition_code in ('20', '40', '41', '42')
            or coalesce(p.death_date <= s.discharge_date, false) as died,
        lower(replace(x.exclusion_category, ' ', '_')) as excluded_diagnosis_category,
        s.discharge_date + 30 > w.data_end_date as follow_up_after_data_end,
        coalesce(p.has_eligibility, false) and not exists (
            select 1
            from spans as e
            where e.person_id = s.person_id
                and e.enrollment_start_date <= s.discharge_date + 1
                and e.enrollment_end_date >= least(s.discharge_date + 30, p.death_date)
        ) as not_enrolled_30d
    from stays as s
    cross join data_window as w
    left join persons as p on s.person_id = p.person_id
    left join dx_ccs as d on s.discharge_principal_diagnosis_code = d.icd_10_cm
    left join excluded_ccs as x on d.ccs_diagnosis_category = x.ccs_diagnosis_category
),

final as (
    select
        stay_id,
        person_id,
        admission_date,
        discharge_date,
        age_at_admission,
        case
            when still_admitted then 'still_admitted'
            when died then 'died'
            when discharge_disposition_code = '07' then 'against_medical_advice'
            when age_at_admission < 18 then 'under_18'
            else excluded_diagnosis_category
        end as exclusion_reason,
        case
            when follow_up_after_data_end then 'follow_up_after_data_end'
            when not_enrolled_30d then 'not_enrolled_30d'
        end as censor_reason
    from assessed
)

select * from final
