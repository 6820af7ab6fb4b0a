-- grain: one row per CCS diagnosis category excluded from index stays
-- why: CMS Planned Readmission Algorithm v4 value set `exclusion_ccs_diagnosis_category`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/exclusion_ccs_diagnosis_category.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(ccs_diagnosis_category)) as ccs_diagnosis_category,
        trim(description) as description,
        trim(exclusion_category) as exclusion_category
    from source
)

select * from final
