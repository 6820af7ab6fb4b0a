-- grain: one row per ExplanationOfBenefit item (claim line); a claim without items keeps one line.
-- Claim-level fields repeat on every line, as in the Tuva input layer. Blue Button (STU3) and
-- R4 (CARIN Blue Button) spellings are both read: information/supportingInfo, service/productOrService.
-- why: Blue Button's own claim type (eob-type) is preferred to the generic one, which files
-- outpatient facility claims (UB-04, institutional) as professional.
create or replace temp table __fhir_eob_claims as
with claims as (
    select
        __line,
        json,
        coalesce(
            case [c ->> 'code' for c in readmit_codings(json_extract(json, '$.type'))
                    if (c ->> 'system') = 'https://bluebutton.cms.gov/resources/codesystem/eob-type'][1]
                when 'INPATIENT' then 'institutional' when 'OUTPATIENT' then 'institutional'
                when 'SNF' then 'institutional' when 'HHA' then 'institutional'
                when 'HOSPICE' then 'institutional' when 'CARRIER' then 'professional'
                when 'DME' then 'professional' when 'PDE' then 'pharmacy'
            end,
            [c ->> 'code' for c in readmit_codings(json_extract(json, '$.type'))
                if (c ->> 'system') in ('http://terminology.hl7.org/CodeSystem/claim-type',
                    'http://hl7.org/fhir/ex-claimtype')][1]
        ) as claim_type,
        list_concat(json_extract(json, '$.supportingInfo[*]'), json_extract(json, '$.information[*]'))
            as info,
        coalesce(json_extract(json, '$.item[*]'), []::json[]) as items
    from __fhir_lines
),

lines as (
    select
        __line,
        unnest(case when len(items) > 0 then items else [null::json] end) as item
    from claims
),

priced as (
    select
        __line,
        item,
        readmit_by_category(json_extract(item, '$.adjudication[*]'),
            ['line_nch_pmt_amt', 'rev_cntr_pmt_amt_amt', 'cvrd_d_plan_pd_amt', 'paidtoprovider',
             'benefit']) ->> '$.amount.value' as line_paid,
        row_number() over (
            partition by __line order by try_cast(item ->> 'sequence' as integer)
        ) as line_order
    from lines
)

select
    c.__line,
    c.json,
    c.claim_type,
    c.info,
    p.item,
    coalesce(p.item ->> 'sequence', p.line_order::varchar) as claim_line_number,
    case
        when count(p.line_paid) over (partition by c.__line) > 0 then p.line_paid
        when p.line_order = 1 then c.json ->> '$.payment.amount.value'
    end as paid_amount,
    readmit_day(coalesce(c.json ->> '$.payment.date',
        readmit_by_category(c.info, ['nch_wkly_proc_dt']) ->> 'timingDate')) as paid_date
from claims as c
inner join priced as p on c.__line = p.__line
