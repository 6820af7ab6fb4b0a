-- grain: one row per MedicationRequest resource -> raw_medication (a prescription: prescribing_date)
with source as (
    select __line, json, json_extract(json, '$.medicationCodeableConcept') as medication
    from ${lines}
)

select
    __line,
    json ->> 'id' as medication_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    readmit_ref_id(json ->> '$.encounter.reference') as encounter_id,
    null::varchar as dispensing_date,
    readmit_day(json ->> 'authoredOn') as prescribing_date,
    readmit_code_system(readmit_pick(medication, 'rxnorm') ->> 'system') as source_code_type,
    readmit_pick(medication, 'rxnorm') ->> 'code' as source_code,
    readmit_pick(medication, 'rxnorm') ->> 'display' as source_description,
    [c ->> 'code' for c in readmit_codings(medication)
        if readmit_code_system(c ->> 'system') = 'ndc'][1] as ndc_code,
    [c ->> 'code' for c in readmit_codings(medication)
        if readmit_code_system(c ->> 'system') = 'rxnorm'][1] as rxnorm_code,
    [c ->> 'display' for c in readmit_codings(medication)
        if readmit_code_system(c ->> 'system') = 'rxnorm'][1] as rxnorm_description,
    json ->> '$.dispenseRequest.quantity.value' as quantity,
    case
        when coalesce(json ->> '$.dispenseRequest.expectedSupplyDuration.code',
            json ->> '$.dispenseRequest.expectedSupplyDuration.unit') in ('d', 'day', 'days')
            then json ->> '$.dispenseRequest.expectedSupplyDuration.value'
    end as days_supply,
    'fhir' as data_source
from source
