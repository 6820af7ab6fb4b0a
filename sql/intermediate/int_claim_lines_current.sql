-- grain: one row per current medical claim line (claim_id, claim_line_number)
-- The delivered lines minus superseded versions, duplicates, reversals and dropped claims
-- (int_claim_line_exclusions). A view (catalog.VIEW_NAMES): an anti join with a small list.
with lines as (
    select * from stg_medical_claim
),

exclusions as (
    select * from int_claim_line_exclusions
),

final as (
    select
        l.claim_id,
        l.claim_line_number,
        l.claim_type,
        l.person_id,
        l.claim_start_date,
        l.claim_end_date,
        l.claim_line_start_date,
        l.claim_line_end_date,
        l.admission_date,
        l.discharge_date,
        l.admit_source_code,
        l.admit_type_code,
        l.discharge_disposition_code,
        l.place_of_service_code,
        l.bill_type_code,
        l.revenue_center_code,
        l.hcpcs_code,
        l.drg_code,
        l.facility_npi,
        l.rendering_npi,
        l.paid_date,
        l.paid_amount,
        l.allowed_amount,
        l.charge_amount,
        l.diagnosis_code_1,
        l.procedure_code_1,
        l._extract_date,
        l._row_key
    from lines as l
    anti join exclusions as e on l._row_key = e._row_key
)

select * from final
