-- grain: one row per CCS category and hospital-wide measure specialty cohort
-- why: CMS Planned Readmission Algorithm v4 value set `specialty_cohort`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/specialty_cohort.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(ccs)) as ccs,
        trim(description) as description,
        trim(specialty_cohort) as specialty_cohort,
        trim(procedure_or_diagnosis) as procedure_or_diagnosis
    from source
)

select * from final
