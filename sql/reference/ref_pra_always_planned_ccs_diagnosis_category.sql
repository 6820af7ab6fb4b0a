-- grain: one row per always-planned CCS diagnosis category
-- why: CMS Planned Readmission Algorithm v4 value set `always_planned_ccs_diagnosis_category`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/always_planned_ccs_diagnosis_category.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(ccs_diagnosis_category)) as ccs_diagnosis_category,
        trim(description) as description
    from source
)

select * from final
