-- grain: one row per Condition resource -> raw_condition
-- Codes keep their system (source_code_type 'icd-10-cm', 'snomed-ct', ...): an ICD-10-CM coding
-- is preferred when the resource carries several; others are reported as unmapped, not dropped.
with source as (
    select __line, json, readmit_pick_dx(json_extract(json, '$.code')) as coding
    from ${lines}
)

select
    __line,
    json ->> 'id' as condition_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    readmit_ref_id(json ->> '$.encounter.reference') as encounter_id,
    readmit_day(coalesce(json ->> 'recordedDate', json ->> 'onsetDateTime',
        json ->> '$.onsetPeriod.start')) as recorded_date,
    readmit_day(coalesce(json ->> 'onsetDateTime', json ->> '$.onsetPeriod.start')) as onset_date,
    readmit_day(coalesce(json ->> 'abatementDateTime', json ->> '$.abatementPeriod.end'))
        as resolved_date,
    json ->> '$.clinicalStatus.coding[0].code' as status,
    json ->> '$.category[0].coding[0].code' as condition_type,
    readmit_dx_system(coding ->> 'system') as source_code_type,
    coding ->> 'code' as source_code,
    coding ->> 'display' as source_description,
    null::varchar as condition_rank,
    'fhir' as data_source
from source
