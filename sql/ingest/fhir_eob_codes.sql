-- grain: one row per ExplanationOfBenefit line of the file and code slot (diagnosis_code_N,
-- diagnosis_poa_N, procedure_code_N, procedure_date_N for N = the FHIR sequence, 1-25)
create or replace temp table __fhir_eob_codes as
with diagnoses as (
    select
        __line,
        unnest(json_extract(json, '$.diagnosis[*]')) as item,
        generate_subscripts(json_extract(json, '$.diagnosis[*]'), 1) as position
    from __fhir_lines
),

procedures as (
    select
        __line,
        unnest(json_extract(json, '$.procedure[*]')) as item,
        generate_subscripts(json_extract(json, '$.procedure[*]'), 1) as position
    from __fhir_lines
),

numbered as (
    select __line, 'diagnosis' as part, coalesce(item ->> 'sequence', position::varchar) as n, item
    from diagnoses
    union all
    select __line, 'procedure', coalesce(item ->> 'sequence', position::varchar), item
    from procedures
)

select
    __line,
    part || '_code_' || n as slot,
    case part
        when 'diagnosis' then readmit_pick_dx(json_extract(item, '$.diagnosisCodeableConcept'))
        else readmit_pick_px(json_extract(item, '$.procedureCodeableConcept'))
    end ->> 'code' as value
from numbered
where try_cast(n as integer) between 1 and 25
union all
select __line, 'diagnosis_poa_' || n, item ->> '$.onAdmission.coding[0].code'
from numbered
where part = 'diagnosis' and try_cast(n as integer) between 1 and 25
    and (item ->> '$.onAdmission.coding[0].code') is not null
union all
select __line, 'procedure_date_' || n, readmit_day(item ->> 'date')
from numbered
where part = 'procedure' and try_cast(n as integer) between 1 and 25
    and (item ->> 'date') is not null
