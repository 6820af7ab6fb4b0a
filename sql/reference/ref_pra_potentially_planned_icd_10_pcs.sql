-- grain: one row per potentially planned ICD-10-PCS code
-- why: CMS Planned Readmission Algorithm v4 value set `potentially_planned_icd_10_pcs`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/potentially_planned_icd_10_pcs.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(icd_10_pcs)) as icd_10_pcs,
        trim(description) as description
    from source
)

select * from final
