-- grain: one row per non-laboratory Observation with a value, and one per component of a panel
-- (social-needs screenings such as PRAPARE and AHC HRSN answer each question in a component)
-- -> raw_observation; components keep the panel's id in panel_id
with source as (
    select __line, json
    from ${lines}
    where not coalesce(
        list_contains(json_extract_string(json, '$.category[*].coding[*].code'), 'laboratory'), false
    )
),

parts as (
    select __line, json, json ->> 'id' as observation_id, null::varchar as panel_id, json as part
    from source
    where json_extract(json, '$.component') is null
        or json_extract(json, '$.valueQuantity') is not null
        or json_extract(json, '$.valueCodeableConcept') is not null
        or (json ->> 'valueString') is not null
    union all
    select
        __line,
        json,
        (json ->> 'id') || '-' || (component ->> '$.code.coding[0].code') as observation_id,
        json ->> 'id' as panel_id,
        component as part
    from source, unnest(json_extract(json, '$.component[*]')) as components(component)
),

coded as (
    select *, readmit_pick(json_extract(part, '$.code'), 'loinc') as coding from parts
)

select
    __line,
    observation_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    readmit_ref_id(json ->> '$.encounter.reference') as encounter_id,
    panel_id,
    readmit_day(coalesce(json ->> 'effectiveDateTime', json ->> '$.effectivePeriod.start',
        json ->> 'issued')) as observation_date,
    json ->> '$.category[0].coding[0].code' as observation_type,
    readmit_code_system(coding ->> 'system') as source_code_type,
    coding ->> 'code' as source_code,
    coding ->> 'display' as source_description,
    case when readmit_code_system(coding ->> 'system') = 'loinc' then 'loinc' end
        as normalized_code_type,
    case when readmit_code_system(coding ->> 'system') = 'loinc' then coding ->> 'code' end
        as normalized_code,
    coding ->> 'display' as normalized_description,
    coalesce(
        part ->> '$.valueQuantity.value', part ->> 'valueString',
        part ->> '$.valueCodeableConcept.coding[0].code', part ->> '$.valueCodeableConcept.text',
        part ->> 'valueInteger', part ->> 'valueBoolean'
    ) as result,
    coalesce(part ->> '$.valueQuantity.unit', part ->> '$.valueQuantity.code') as source_units,
    coalesce(part ->> '$.valueQuantity.unit', part ->> '$.valueQuantity.code') as normalized_units,
    'fhir' as data_source
from coded
