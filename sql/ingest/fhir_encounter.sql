-- grain: one row per Encounter resource -> raw_encounter
-- why: encounter class (HL7 v3 ActCode) -> the encounter types the clinical rules read: IMP and
-- ACUTE are acute inpatient stays (DESIGN section 4), EMER an emergency department visit.
-- why: discharge dispositions in HL7's discharge-disposition codes are mapped to the NUBC UB-04
-- patient status codes the rules use (02 transfer, 07 against advice, 20 expired); NUBC codes
-- are kept, padded to two digits.
with source as (
    select
        __line,
        json,
        coalesce(json ->> '$.class.code', json ->> '$.class[0].coding[0].code') as class_code,
        json ->> '$.hospitalization.dischargeDisposition.coding[0].code' as disposition,
        [c for c in readmit_codings(json_extract(json, '$.reasonCode[0]'))
            if readmit_dx_system(c ->> 'system') = 'icd-10-cm'][1] as reason
    from ${lines}
)

select
    __line,
    json ->> 'id' as encounter_id,
    readmit_ref_id(coalesce(json ->> '$.subject.reference', json ->> '$.patient.reference'))
        as person_id,
    case class_code
        when 'IMP' then 'acute inpatient'
        when 'ACUTE' then 'acute inpatient'
        when 'NONAC' then 'inpatient non-acute'
        when 'EMER' then 'emergency department'
        when 'AMB' then 'office visit'
        when 'HH' then 'home health'
        when 'VR' then 'telehealth'
        when 'OBSENC' then 'observation'
        when 'SS' then 'ambulatory surgery'
        else lower(coalesce(json ->> '$.class.display', class_code))
    end as encounter_type,
    readmit_day(json ->> '$.period.start') as encounter_start_date,
    readmit_day(json ->> '$.period.end') as encounter_end_date,
    json ->> '$.hospitalization.admitSource.coding[0].code' as admit_source_code,
    case json ->> '$.priority.coding[0].code'
        when 'EM' then '1' when 'UR' then '2' when 'EL' then '3'
    end as admit_type_code,
    case
        when regexp_full_match(disposition, '[0-9]{1,2}') then lpad(disposition, 2, '0')
        when disposition in ('home', 'alt-home') then '01'
        when disposition = 'snf' then '03'
        when disposition = 'other-hcf' then '05'
        when disposition = 'aadvice' then '07'
        when disposition = 'exp' then '20'
        when disposition = 'hosp' then '50'
        when disposition = 'rehab' then '62'
        when disposition = 'long' then '63'
        when disposition = 'psy' then '65'
        when disposition = 'oth' then '70'
    end as discharge_disposition_code,
    json ->> '$.hospitalization.dischargeDisposition.coding[0].display'
        as discharge_disposition_description,
    regexp_extract(json ->> '$.serviceProvider.reference', '[|/]([^|/]+)$', 1) as facility_id,
    json ->> '$.serviceProvider.display' as facility_name,
    null::varchar as facility_npi,
    case when reason is not null then 'icd-10-cm' end as primary_diagnosis_code_type,
    reason ->> 'code' as primary_diagnosis_code,
    reason ->> 'display' as primary_diagnosis_description,
    'fhir' as data_source
from source
