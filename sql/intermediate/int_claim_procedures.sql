-- grain: one row per current claim and distinct ICD procedure code
-- ICD procedure codes are institutional header fields: read from the current institutional
-- lines, de-duplicated per claim. known_date is the claim's last date of service. HCPCS codes
-- stay on the claim lines (int_claim_lines_current; int_cut_procedures adds them).
with institutional_lines as (
    select
        s.claim_id,
        s.person_id,
        coalesce(s.admission_date, s.claim_start_date) as service_date,
        coalesce(s.discharge_date, s.claim_end_date, s.claim_start_date) as known_date,
        list_value(*columns('^procedure_code_\d+$')) as procedure_codes,
        list_value(*columns('^procedure_date_\d+$')) as procedure_dates
    from stg_medical_claim as s
    anti join int_claim_line_exclusions as e on s._row_key = e._row_key
    where s.claim_type = 'institutional' or s.bill_type_code is not null
),

slots as (
    select
        claim_id,
        person_id,
        service_date,
        known_date,
        unnest(procedure_codes) as procedure_code,
        unnest(procedure_dates) as procedure_date,
        unnest(range(1, 1 + len(procedure_codes))) as position
    from institutional_lines
    where len(list_filter(procedure_codes, code -> code is not null)) > 0
),

per_code as (
    select
        claim_id,
        procedure_code,
        any_value(person_id) as person_id,
        min(position) as position,
        coalesce(min(procedure_date), min(service_date)) as procedure_date,
        max(known_date) as known_date
    from slots
    where procedure_code is not null
    group by claim_id, procedure_code
),

final as (
    select
        claim_id,
        person_id,
        position,
        procedure_code,
        -- why: ICD-10-PCS codes are 7 characters of digits and letters other than I and O.
        case
            when regexp_full_match(procedure_code, '[0-9A-HJ-NP-Z]{7}') then 'icd-10-pcs'
            when regexp_full_match(procedure_code, '[0-9]{3,4}') then 'icd-9-pcs'
            else 'unknown'
        end as code_system,
        procedure_date,
        known_date
    from per_code
)

select * from final
