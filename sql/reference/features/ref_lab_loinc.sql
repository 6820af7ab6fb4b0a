-- grain: one row per LOINC code a clinical feature reads
-- why: hemoglobin and sodium at discharge are HOSPITAL score inputs (Donze 2013); the LOINC codes,
-- units and plausible ranges are listed in ref_lab_loinc.csv beside this file.
with source as (
    select * from read_csv(
        getvariable('ref_features_dir') || '/ref_lab_loinc.csv',
        header = true, comment = '#', delim = ',', quote = '"', all_varchar = true
    )
),

final as (
    select
        lower(trim(analyte)) as analyte,
        trim(loinc_code) as loinc_code,
        trim(description) as description,
        trim(unit) as unit,
        cast(plausible_min as double) as plausible_min,
        cast(plausible_max as double) as plausible_max
    from source
)

select * from final
