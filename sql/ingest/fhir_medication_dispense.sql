-- grain: one row per MedicationDispense resource -> raw_medication (a fill: dispensing_date)
with source as (
    select __line, json, json_extract(json, '$.medicationCodeableConcept') as medication
    from ${lines}
)

select
    __line,
    json ->> 'id' as medication_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    readmit_ref_id(json ->> '$.context.reference') as encounter_id,
    readmit_day(coalesce(json ->> 'whenHandedOver', json ->> 'whenPrepared')) as dispensing_date,
    null::varchar as prescribing_date,
    readmit_code_system(readmit_pick(medication, 'ndc') ->> 'system') as source_code_type,
    readmit_pick(medication, 'ndc') ->> 'code' as source_code,
    readmit_pick(medication, 'ndc') ->> 'display' as source_description,
    [c ->> 'code' for c in readmit_codings(medication)
        if readmit_code_system(c ->> 'system') = 'ndc'][1] as ndc_code,
    [c ->> 'code' for c in readmit_codings(medication)
        if readmit_code_system(c ->> 'system') = 'rxnorm'][1] as rxnorm_code,
    [c ->> 'display' for c in readmit_codings(medication)
        if readmit_code_system(c ->> 'system') = 'rxnorm'][1] as rxnorm_description,
    json ->> '$.quantity.value' as quantity,
    json ->> '$.daysSupply.value' as days_supply,
    'fhir' as data_source
from source
