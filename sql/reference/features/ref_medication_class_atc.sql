-- grain: one row per ATC code prefix of a PQA adherence class (blank class: excluded codes)
-- why: WHO ATC groups of the Pharmacy Quality Alliance proportion-of-days-covered classes
-- (statins, RAS antagonists, diabetes all class); prefixes in ref_medication_class_atc.csv.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_medication_class_atc.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        upper(trim(atc_prefix)) as atc_prefix,
        nullif(lower(trim(med_class)), '') as med_class,
        trim(description) as description
    from source
)

select * from final
