-- grain: one row per CCS diagnosis category that makes a potentially planned readmission unplanned
-- why: CMS Planned Readmission Algorithm v4 value set `acute_diagnosis_ccs`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/acute_diagnosis_ccs.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(ccs_diagnosis_category)) as ccs_diagnosis_category,
        trim(description) as description
    from source
)

select * from final
