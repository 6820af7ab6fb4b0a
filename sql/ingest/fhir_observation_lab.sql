-- grain: one row per Observation resource in the laboratory category -> raw_lab_result
with source as (
    select
        __line,
        json,
        readmit_pick(json_extract(json, '$.code'), 'loinc') as coding
    from ${lines}
    where list_contains(json_extract_string(json, '$.category[*].coding[*].code'), 'laboratory')
)

select
    __line,
    json ->> 'id' as lab_result_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    readmit_ref_id(json ->> '$.encounter.reference') as encounter_id,
    json ->> 'status' as status,
    readmit_code_system(coding ->> 'system') as source_component_type,
    coding ->> 'code' as source_component_code,
    coding ->> 'display' as source_component_description,
    case when readmit_code_system(coding ->> 'system') = 'loinc' then 'loinc' end
        as normalized_component_type,
    case when readmit_code_system(coding ->> 'system') = 'loinc' then coding ->> 'code' end
        as normalized_component_code,
    coding ->> 'display' as normalized_component_description,
    coalesce(
        json ->> '$.valueQuantity.value', json ->> 'valueString', json ->> '$.valueCodeableConcept.text',
        json ->> '$.valueCodeableConcept.coding[0].display', json ->> 'valueInteger',
        json ->> 'valueBoolean'
    ) as result,
    readmit_moment(coalesce(json ->> 'effectiveDateTime', json ->> '$.effectivePeriod.start',
        json ->> 'issued')) as result_datetime,
    coalesce(json ->> '$.valueQuantity.unit', json ->> '$.valueQuantity.code') as source_units,
    coalesce(json ->> '$.valueQuantity.unit', json ->> '$.valueQuantity.code') as normalized_units,
    'fhir' as data_source
from source
