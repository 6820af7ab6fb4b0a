-- grain: one row per (source, code system) of the diagnosis codes the run loaded: how many are
-- valid ICD-10-CM; codes in other systems (SNOMED CT, ...) are counted as unmapped
with claim_codes as (
    unpivot (
        select columns('^diagnosis_code_[0-9]+$')
        from raw_medical_claim
        where _run_id = $run_id
    )
    on columns('^diagnosis_code_[0-9]+$')
    into name slot value code
),

codes as (
    select 'medical_claim diagnosis_code_1-25' as source, 'icd-10-cm' as code_system, code
    from claim_codes
    union all
    select 'condition source_code', coalesce(lower(source_code_type), 'unknown'), source_code
    from raw_condition
    where _run_id = $run_id and source_code is not null
    union all
    select 'encounter primary_diagnosis_code', 'icd-10-cm', primary_diagnosis_code
    from raw_encounter
    where _run_id = $run_id and primary_diagnosis_code is not null
)

select
    source,
    code_system,
    count(*) as codes,
    count(*) filter (
        where code_system = 'icd-10-cm' and regexp_full_match(code, $icd10cm_pattern)
    ) as valid_icd10cm,
    count(*) filter (where code_system not in ('icd-10-cm')) as unmapped
from codes
group by all
order by source, codes desc
