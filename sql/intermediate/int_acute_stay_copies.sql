-- grain: one row per copy of a stay: a claim stay with its matching EHR encounter, or an unmatched one
-- why: one episode reported by both the payer (claim) and the hospital EHR must count once.
-- Copies match when they are of the same person and both their admission and discharge dates
-- lie within 1 day of each other (the sources may disagree by a day); each claim and each
-- encounter joins at most one copy (the closest, mutually). Claim fields win, EHR fills gaps.
with claim_stays as (
    select * from int_acute_stays_claims
),

ehr_stays as (
    select * from int_acute_stays_ehr
),

candidates as (
    select
        c.claim_id,
        e.encounter_id,
        abs(date_diff('day', c.admission_date, e.admission_date))
        + abs(date_diff('day', c.discharge_date, e.discharge_date)) as distance
    from claim_stays as c
    inner join ehr_stays as e
        on c.person_id = e.person_id
        and abs(date_diff('day', c.admission_date, e.admission_date)) <= 1
        and abs(date_diff('day', c.discharge_date, e.discharge_date)) <= 1
),

pairs as (
    select claim_id, encounter_id
    from candidates
    qualify row_number() over (partition by claim_id order by distance, encounter_id) = 1
        and row_number() over (partition by encounter_id order by distance, claim_id) = 1
),

from_claims as (
    select
        'claim:' || c.claim_id as copy_id,
        c.person_id,
        case when p.encounter_id is null then 'claims' else 'both' end as source,
        c.claim_id,
        p.encounter_id,
        c.admission_date,
        c.discharge_date,
        false as still_admitted,
        coalesce(c.discharge_disposition_code, e.discharge_disposition_code)
            as discharge_disposition_code,
        coalesce(c.admit_type_code, e.admit_type_code) as admit_type_code,
        coalesce(c.principal_diagnosis_code, e.principal_diagnosis_code) as principal_diagnosis_code,
        coalesce(c.principal_procedure_code, e.principal_procedure_code) as principal_procedure_code,
        coalesce(c.facility_npi, e.facility_npi) as facility_npi,
        coalesce(c.drg_code, e.drg_code) as drg_code
    from claim_stays as c
    left join pairs as p on c.claim_id = p.claim_id
    left join ehr_stays as e on p.encounter_id = e.encounter_id
),

from_ehr as (
    select
        'ehr:' || e.encounter_id as copy_id,
        e.person_id,
        'ehr' as source,
        null as claim_id,
        e.encounter_id,
        e.admission_date,
        e.discharge_date,
        e.still_admitted,
        e.discharge_disposition_code,
        e.admit_type_code,
        e.principal_diagnosis_code,
        e.principal_procedure_code,
        e.facility_npi,
        e.drg_code
    from ehr_stays as e
    where e.encounter_id not in (select encounter_id from pairs)
),

final as (
    select * from from_claims
    union all
    select * from from_ehr
)

select * from final
