-- grain: one row per ICD-10-CM code that makes a potentially planned readmission unplanned
-- why: CMS Planned Readmission Algorithm v4 value set `acute_diagnosis_icd_10_cm`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/acute_diagnosis_icd_10_cm.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(icd_10_cm)) as icd_10_cm,
        trim(description) as description
    from source
)

select * from final
