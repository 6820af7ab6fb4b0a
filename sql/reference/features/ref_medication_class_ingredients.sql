-- grain: one row per ingredient of a PQA adherence class (blank class: excluding ingredients)
-- why: Pharmacy Quality Alliance proportion-of-days-covered classes by ingredient (generic names
-- and WHO ATC codes) in ref_medication_class_ingredients.csv, for records without a listed code.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_medication_class_ingredients.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        lower(trim(ingredient)) as ingredient,
        nullif(lower(trim(med_class)), '') as med_class,
        nullif(upper(trim(atc_code)), '') as atc_code
    from source
)

select * from final
