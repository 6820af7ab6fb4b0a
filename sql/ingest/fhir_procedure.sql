-- grain: one row per Procedure resource -> raw_procedure
-- Codes keep their system; ICD-10-PCS, CPT or HCPCS codings are preferred over others.
with source as (
    select __line, json, readmit_pick_px(json_extract(json, '$.code')) as coding
    from ${lines}
)

select
    __line,
    json ->> 'id' as procedure_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    readmit_ref_id(json ->> '$.encounter.reference') as encounter_id,
    readmit_day(coalesce(json ->> 'performedDateTime', json ->> '$.performedPeriod.start'))
        as procedure_date,
    readmit_px_system(coding ->> 'system') as source_code_type,
    coding ->> 'code' as source_code,
    coding ->> 'display' as source_description,
    'fhir' as data_source
from source
