-- grain: one row per acute inpatient institutional claim
-- why: DESIGN section 4 / CMS hospital-wide readmission measure: an acute inpatient stay is an
-- institutional claim with type of bill 11x (hospital inpatient). Frequency 8 (118, void or
-- cancel of a prior claim) is not a stay and is left out; interim (112-114), late-charge and
-- replacement bills of one stay overlap it and collapse in int_acute_stay_components.
-- Dates are the claim-level admission and discharge dates, falling back to the claim's span.
with lines as (
    select * from int_claim_lines_current
),

acute_lines as (
    select *
    from lines
    where bill_type_code in ('110', '111', '112', '113', '114', '115', '116', '117')
),

claims as (
    select
        claim_id,
        any_value(person_id) as person_id,
        coalesce(min(admission_date), min(claim_start_date)) as admission_date,
        coalesce(max(discharge_date), max(claim_end_date), max(claim_start_date)) as discharge_date,
        arg_min(discharge_disposition_code, claim_line_number)
            filter (where discharge_disposition_code is not null) as discharge_disposition_code,
        arg_min(admit_type_code, claim_line_number)
            filter (where admit_type_code is not null) as admit_type_code,
        -- why: the principal diagnosis is diagnosis_code_1 of the inpatient claim (UB-04 FL 67).
        arg_min(diagnosis_code_1, claim_line_number)
            filter (where diagnosis_code_1 is not null) as principal_diagnosis_code,
        arg_min(procedure_code_1, claim_line_number)
            filter (where procedure_code_1 is not null) as principal_procedure_code,
        arg_min(facility_npi, claim_line_number)
            filter (where facility_npi is not null) as facility_npi,
        arg_min(drg_code, claim_line_number) filter (where drg_code is not null) as drg_code,
        sum(paid_amount) as paid_amount
    from acute_lines
    group by claim_id
),

final as (
    select
        claim_id,
        person_id,
        admission_date,
        -- a discharge before the admission is a data error: treat it as a same-day stay
        greatest(discharge_date, admission_date) as discharge_date,
        discharge_disposition_code,
        admit_type_code,
        principal_diagnosis_code,
        principal_procedure_code,
        facility_npi,
        drg_code,
        paid_amount
    from claims
    where admission_date is not null
)

select * from final
