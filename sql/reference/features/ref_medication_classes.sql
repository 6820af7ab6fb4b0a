-- grain: one row per medication product in a PQA adherence class
-- why: Pharmacy Quality Alliance proportion-of-days-covered measures (statins, RAS antagonists,
-- diabetes all class) name these classes; products in ref_medication_classes.csv beside this file.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_medication_classes.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        lower(trim(med_class)) as med_class,
        lower(trim(ingredient)) as ingredient,
        nullif(trim(ndc_product), '') as ndc_product,
        nullif(trim(rxnorm_code), '') as rxnorm_code,
        trim(description) as description
    from source
)

select * from final
