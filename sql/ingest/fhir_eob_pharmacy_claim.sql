-- grain: one row per pharmacy ExplanationOfBenefit line (a fill) -> raw_pharmacy_claim
select
    c.__line,
    c.json ->> 'id' as claim_id,
    c.claim_line_number,
    readmit_ref_id(c.json ->> '$.patient.reference') as person_id,
    [readmit_npi(json_extract(t, '$.provider.identifier'))
        for t in json_extract(c.json, '$.careTeam[*]')
        if t ->> '$.role.coding[0].code' in ('prescribing', 'primary')][1]
        as prescribing_provider_npi,
    coalesce(readmit_npi(json_extract(c.json, '$.provider.identifier')),
        readmit_npi(json_extract(c.json, '$.organization.identifier'))) as dispensing_provider_npi,
    readmit_day(coalesce(c.item ->> 'servicedDate', c.item ->> '$.servicedPeriod.start',
        c.json ->> '$.billablePeriod.start')) as dispensing_date,
    coalesce(c.item ->> '$.productOrService.coding[0].code', c.item ->> '$.service.coding[0].code')
        as ndc_code,
    c.item ->> '$.quantity.value' as quantity,
    coalesce(
        readmit_ext(json_extract(c.item, '$.quantity'),
            'https://bluebutton.cms.gov/resources/variables/days_suply_num')
            ->> '$.valueQuantity.value',
        readmit_by_category(c.info, ['dayssupply']) ->> '$.valueQuantity.value'
    ) as days_supply,
    c.paid_date,
    c.paid_amount,
    readmit_by_category(json_extract(c.item, '$.adjudication[*]'), ['eligible'])
        ->> '$.amount.value' as allowed_amount,
    readmit_by_category(json_extract(c.item, '$.adjudication[*]'),
        ['tot_rx_cst_amt', 'submitted']) ->> '$.amount.value' as charge_amount,
    'fhir' as data_source
from __fhir_eob_claims as c
where c.claim_type = 'pharmacy'
