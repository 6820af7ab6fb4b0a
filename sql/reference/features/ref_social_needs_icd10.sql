-- grain: one row per social-needs domain and ICD-10-CM code prefix
-- why: ICD-10-CM Z55-Z65 (FY2024) grouped by domain per CMS OMH "Using Z Codes" (2023) and the
-- Gravity Project SDOH domains, transcribed in ref_social_needs_icd10.csv beside this file.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_social_needs_icd10.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        lower(trim(domain)) as domain,
        upper(trim(code_prefix)) as code_prefix,
        trim(description) as description
    from source
)

select * from final
