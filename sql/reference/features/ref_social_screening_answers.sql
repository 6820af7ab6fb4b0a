-- grain: one row per screening question (LOINC), social-needs domain and answer
-- why: AHC HRSN screening tool (CMS 2017/2021) and PRAPARE (NACHC 2016) items and the answers
-- each instrument scores as a need, transcribed in ref_social_screening_answers.csv.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_social_screening_answers.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        trim(loinc_code) as loinc_code,
        trim(instrument) as instrument,
        lower(trim(domain)) as domain,
        lower(trim(answer)) as answer,
        cast(trim(has_need) as boolean) as has_need
    from source
)

select * from final
