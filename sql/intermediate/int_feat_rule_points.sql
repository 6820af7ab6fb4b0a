-- grain: one row per readmission_30d spine row: LACE and HOSPITAL points by component
-- Unknown inputs (no lab drawn, unknown admission type) score 0, as the scores are used in
-- practice; the raw inputs stay null in the feature columns.
with components as (
    select * from int_feat_rule_components
),

points as (
    select
        spine_id,
        -- why: LACE, van Walraven C et al. CMAJ 2010;182(6):551-557, Table 3: L length of stay
        -- <1 day 0, 1 1, 2 2, 3 3, 4-6 4, 7-13 5, >=14 7; A acute (emergent) admission 3;
        -- C Charlson 0-3 as is, >=4 5; E ED visits in the 6 months before admission, 4 at most.
        case
            when los_days < 1 then 0
            when los_days <= 3 then los_days
            when los_days <= 6 then 4
            when los_days <= 13 then 5
            else 7
        end as lace_l,
        case when coalesce(urgent_admission, false) then 3 else 0 end as lace_a,
        case when charlson_index >= 4 then 5 else charlson_index end as lace_c,
        least(ed_visits_6m_before_admission, 4) as lace_e,
        -- why: HOSPITAL, Donze J et al. JAMA Intern Med 2013;173(8):632-638, Table 3: hemoglobin
        -- <12 g/dL at discharge 1, discharge from oncology 2, sodium <135 mmol/L at discharge 1,
        -- ICD-coded procedure during the stay 1, urgent or emergent index admission 1, hospital
        -- admissions in the previous 12 months 0-1 0, 2-5 2, >5 5, length of stay >=5 days 2.
        case when hemoglobin_at_discharge < 12 then 1 else 0 end as hospital_h,
        case when coalesce(oncology_discharge, false) then 2 else 0 end as hospital_o,
        case when sodium_at_discharge < 135 then 1 else 0 end as hospital_s,
        case when coalesce(procedure_during_stay, false) then 1 else 0 end as hospital_p,
        case when coalesce(urgent_admission, false) then 1 else 0 end as hospital_i,
        case
            when admissions_12m_before_admission <= 1 then 0
            when admissions_12m_before_admission <= 5 then 2
            else 5
        end as hospital_a,
        case when los_days >= 5 then 2 else 0 end as hospital_l
    from components
),

final as (
    select
        *,
        lace_l + lace_a + lace_c + lace_e as lace_score,
        hospital_h + hospital_o + hospital_s + hospital_p + hospital_i + hospital_a + hospital_l
            as hospital_score
    from points
)

select * from final
