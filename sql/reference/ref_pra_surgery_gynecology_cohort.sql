-- grain: one row per ICD-10-PCS code of the surgery/gynecology cohort
-- why: CMS Planned Readmission Algorithm v4 value set `surgery_gynecology_cohort`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/surgery_gynecology_cohort.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(icd_10_pcs)) as icd_10_pcs,
        trim(description) as description,
        trim(ccs_code_and_description) as ccs_code_and_description,
        trim(specialty_cohort) as specialty_cohort
    from source
)

select * from final
