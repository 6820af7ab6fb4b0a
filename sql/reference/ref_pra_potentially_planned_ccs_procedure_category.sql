-- grain: one row per potentially planned CCS procedure category
-- why: CMS Planned Readmission Algorithm v4 value set `potentially_planned_ccs_procedure_category`
-- (as published in the Tuva Project's value-set seeds), shipped in sql/reference/pra_v4/.
with source as (
    select * from read_csv(getvariable('ref_pra_dir') || '/potentially_planned_ccs_procedure_category.csv', header = true, all_varchar = true)
),

final as (
    select
        upper(trim(ccs_procedure_category)) as ccs_procedure_category,
        trim(description) as description
    from source
)

select * from final
