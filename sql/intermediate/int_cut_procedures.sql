-- grain: one row per prediction spine row and procedure record known on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- Records: claim ICD procedures and HCPCS lines (known at the claim's last date of service) and
-- EHR procedures (known on their date).
with spine as (
    select * from mart_prediction_spine
),

claim_procedures as (
    select * from int_claim_procedures
),

claim_lines as (
    select * from int_claim_lines_current
),

claim_known as (
    select
        claim_id,
        max(coalesce(discharge_date, claim_end_date, claim_line_end_date, claim_start_date))
            as known_date
    from claim_lines
    group by claim_id
),

ehr_procedures as (
    select * from stg_procedure
),

procedures as (
    select
        person_id, 'claims' as source, claim_id as record_id, procedure_code, code_system,
        procedure_date, known_date
    from claim_procedures
    union all
    select
        l.person_id, 'claims' as source, l.claim_id as record_id, l.hcpcs_code as procedure_code,
        'hcpcs' as code_system, coalesce(l.claim_line_start_date, l.claim_start_date) as procedure_date,
        k.known_date
    from claim_lines as l
    inner join claim_known as k on l.claim_id = k.claim_id
    where l.hcpcs_code is not null
    union all
    select
        person_id, 'ehr' as source, coalesce(procedure_id, encounter_id) as record_id,
        procedure_code, code_system, procedure_date, procedure_date as known_date
    from ehr_procedures
    where procedure_code is not null
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        p.source,
        p.record_id,
        p.procedure_code,
        p.code_system,
        p.procedure_date,
        p.known_date
    from spine as sp
    inner join procedures as p
        on sp.person_id = p.person_id
        and p.known_date <= sp.cutoff_date
)

select * from final
