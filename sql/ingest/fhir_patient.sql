-- grain: one row per Patient resource -> raw_patient
-- Names, telecom, street address and identifiers such as the SSN are not copied: no feature
-- reads them (data minimisation). Race and ethnicity come from the US Core extensions.
with source as (
    select
        __line,
        json,
        readmit_ext(json, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race') as race,
        readmit_ext(json, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity')
            as ethnicity
    from ${lines}
)

select
    __line,
    json ->> 'id' as person_id,
    json ->> 'id' as patient_id,
    case json ->> 'gender' when 'male' then 'male' when 'female' then 'female' else 'unknown' end
        as sex,
    lower(coalesce(
        readmit_ext(race, 'ombCategory') ->> '$.valueCoding.display',
        readmit_ext(race, 'text') ->> 'valueString'
    )) as race,
    lower(coalesce(
        readmit_ext(ethnicity, 'ombCategory') ->> '$.valueCoding.display',
        readmit_ext(ethnicity, 'text') ->> 'valueString'
    )) as ethnicity,
    json ->> 'birthDate' as birth_date,
    readmit_day(json ->> 'deceasedDateTime') as death_date,
    case
        when (json ->> 'deceasedDateTime') is not null or (json ->> 'deceasedBoolean') = 'true' then '1'
        else '0'
    end as death_flag,
    json ->> '$.address[0].state' as state,
    json ->> '$.address[0].postalCode' as zip_code,
    json ->> '$.address[0].district' as county,
    json ->> '$.communication[0].language.coding[0].code' as preferred_language,
    'fhir' as data_source
from source
