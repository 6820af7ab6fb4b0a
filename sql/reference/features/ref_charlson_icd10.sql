-- grain: one row per Charlson condition and ICD-10 code prefix
-- why: Quan H et al. Coding algorithms for defining comorbidities in ICD-9-CM and ICD-10
-- administrative data. Med Care 2005;43(11):1130-1139, Table 1 (ICD-10), transcribed in
-- ref_charlson_icd10.csv beside this file.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_charlson_icd10.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        trim(condition) as condition,
        upper(trim(code_prefix)) as code_prefix
    from source
)

select * from final
