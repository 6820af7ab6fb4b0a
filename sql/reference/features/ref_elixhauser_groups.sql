-- grain: one row per Elixhauser raw format group and comorbidity it sets
-- why: AHRQ HCUP Elixhauser Comorbidity Software v2019.1, analysis program
-- (elix_comoanaly_icd10cm_2019_1.txt): detailed hypertension groups set HTNCX and, where named,
-- CHF and RENLFAIL; HTN and HTNCX are reported together as HTN_C (ref_elixhauser_groups.csv).
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_elixhauser_groups.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        upper(trim(raw_group)) as raw_group,
        upper(trim(comorbidity)) as comorbidity
    from source
)

select * from final
