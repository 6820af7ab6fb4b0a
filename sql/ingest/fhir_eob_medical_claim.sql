-- grain: one row per institutional or professional ExplanationOfBenefit line -> raw_medical_claim
-- why: the UB-04 type of bill is read from CARIN's `typeofbill`, else composed from Blue Button's
-- facility type, service classification and frequency codes (e.g. 1 + 1 + 1 = 111, inpatient).
-- The claim's payment sits on its first line when the lines carry no payment of their own.
select
    c.__line,
    c.json ->> 'id' as claim_id,
    c.claim_line_number,
    c.claim_type,
    readmit_ref_id(c.json ->> '$.patient.reference') as person_id,
    readmit_day(c.json ->> '$.billablePeriod.start') as claim_start_date,
    readmit_day(c.json ->> '$.billablePeriod.end') as claim_end_date,
    readmit_day(coalesce(c.item ->> 'servicedDate', c.item ->> '$.servicedPeriod.start'))
        as claim_line_start_date,
    readmit_day(coalesce(c.item ->> 'servicedDate', c.item ->> '$.servicedPeriod.end'))
        as claim_line_end_date,
    readmit_day(coalesce(c.json ->> '$.hospitalization.start',
        readmit_by_category(c.info, ['admissionperiod']) ->> '$.timingPeriod.start'))
        as admission_date,
    readmit_day(coalesce(c.json ->> '$.hospitalization.end',
        readmit_by_category(c.info, ['admissionperiod']) ->> '$.timingPeriod.end'))
        as discharge_date,
    readmit_by_category(c.info, ['clm_src_ip_admsn_cd', 'pointoforigin'])
        ->> '$.code.coding[0].code' as admit_source_code,
    readmit_by_category(c.info, ['clm_ip_admsn_type_cd', 'admtype'])
        ->> '$.code.coding[0].code' as admit_type_code,
    lpad(readmit_by_category(c.info, ['ptnt_dschrg_stus_cd', 'discharge-status'])
        ->> '$.code.coding[0].code', 2, '0') as discharge_disposition_code,
    c.item ->> '$.locationCodeableConcept.coding[0].code' as place_of_service_code,
    coalesce(
        readmit_by_category(c.info, ['typeofbill']) ->> '$.code.coding[0].code',
        (readmit_ext(json_extract(c.json, '$.facility'),
            'https://bluebutton.cms.gov/resources/variables/clm_fac_type_cd') ->> '$.valueCoding.code')
        || ([t ->> 'code' for t in readmit_codings(json_extract(c.json, '$.type'))
            if readmit_var(t ->> 'system') = 'clm_srvc_clsfctn_type_cd'][1])
        || (readmit_by_category(c.info, ['clm_freq_cd']) ->> '$.code.coding[0].code')
    ) as bill_type_code,
    coalesce(
        readmit_by_category(c.info, ['drg']) ->> '$.code.coding[0].code',
        [d ->> '$.packageCode.coding[0].code' for d in json_extract(c.json, '$.diagnosis[*]')
            if (d ->> '$.packageCode.coding[0].code') is not null][1]
    ) as drg_code,
    c.item ->> '$.revenue.coding[0].code' as revenue_center_code,
    c.item ->> '$.quantity.value' as service_unit_quantity,
    coalesce(c.item ->> '$.productOrService.coding[0].code', c.item ->> '$.service.coding[0].code')
        as hcpcs_code,
    [readmit_npi(json_extract(t, '$.provider.identifier'))
        for t in json_extract(c.json, '$.careTeam[*]')
        if t ->> '$.role.coding[0].code' in ('primary', 'performing', 'rendering')
            and readmit_npi(json_extract(t, '$.provider.identifier')) is not null][1]
        as rendering_npi,
    readmit_npi(json_extract(c.json, '$.provider.identifier')) as billing_npi,
    coalesce(readmit_npi(json_extract(c.json, '$.facility.identifier')),
        readmit_npi(json_extract(c.json, '$.organization.identifier'))) as facility_npi,
    c.paid_date,
    c.paid_amount,
    readmit_by_category(json_extract(c.item, '$.adjudication[*]'),
        ['line_alowd_chrg_amt', 'eligible']) ->> '$.amount.value' as allowed_amount,
    readmit_by_category(json_extract(c.item, '$.adjudication[*]'),
        ['line_sbmtd_chrg_amt', 'rev_cntr_tot_chrg_amt', 'submitted']) ->> '$.amount.value'
        as charge_amount,
    readmit_dx_system(readmit_pick_dx(json_extract(c.json, '$.diagnosis[0].diagnosisCodeableConcept'))
        ->> 'system') as diagnosis_code_type,
    readmit_px_system(readmit_pick_px(json_extract(c.json, '$.procedure[0].procedureCodeableConcept'))
        ->> 'system') as procedure_code_type,
    'fhir' as data_source,
    w.* exclude (__line)
from __fhir_eob_claims as c
left join __fhir_eob_codes_wide as w on c.__line = w.__line
where c.claim_type in ('institutional', 'professional')
