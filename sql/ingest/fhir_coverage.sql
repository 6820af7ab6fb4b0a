-- grain: one row per Coverage resource -> raw_eligibility (an enrollment span), with the
-- demographics of the beneficiary's Patient resource in the same drop
-- why: payer_type from the Source of Payment Typology code (PHDSC SOPT: 1 Medicare, 2 Medicaid,
-- 5-7 private, 8 no payment) when present, else from the coverage's wording
with coverage as (
    select
        __line,
        json,
        readmit_ref_id(coalesce(json ->> '$.beneficiary.reference', json ->> '$.patient.reference'))
            as person_id,
        [c ->> 'code' for c in readmit_codings(json_extract(json, '$.type'))
            if c ->> 'system' in ('https://nahdo.org/sopt', 'urn:oid:2.16.840.1.113883.3.221.5')][1]
            as sopt,
        lower(concat_ws(' ', json ->> '$.type.text',
            array_to_string(json_extract_string(json, '$.type.coding[*].display'), ' '),
            json ->> '$.payor[0].display')) as wording
    from ${lines}
),

patients as (
    select * from (${patient_query})
    qualify row_number() over (partition by person_id order by __line desc) = 1
)

select
    c.__line,
    c.person_id,
    coalesce(c.json ->> 'subscriberId', c.json ->> '$.identifier[0].value', c.person_id) as member_id,
    c.json ->> 'subscriberId' as subscriber_id,
    p.sex as gender,
    p.race,
    p.ethnicity,
    p.birth_date,
    p.death_date,
    readmit_day(c.json ->> '$.period.start') as enrollment_start_date,
    readmit_day(c.json ->> '$.period.end') as enrollment_end_date,
    coalesce(
        c.json ->> '$.payor[0].display',
        readmit_ref_id(c.json ->> '$.payor[0].reference'),
        c.json ->> '$.payor[0].identifier.value'
    ) as payer,
    case
        when c.sopt like '1%' or c.wording like '%medicare%' then 'medicare'
        when c.sopt like '2%' or c.wording like '%medicaid%' then 'medicaid'
        when c.sopt similar to '[567].*' then 'commercial'
        when c.sopt like '8%' then 'self-pay'
        else 'other'
    end as payer_type,
    coalesce(c.json ->> '$.class[0].value', c.json ->> '$.class[0].name') as plan,
    null::varchar as dual_status_code,
    p.state,
    p.zip_code,
    'fhir' as data_source
from coverage as c
left join patients as p on c.person_id = p.person_id
