-- grain: one row per acute episode and distinct ICD-10-PCS procedure code
-- Procedures of every claim and EHR encounter of the episode (a transfer chain is one episode).
with components as (
    select * from int_acute_stay_components
),

claim_procedures as (
    select * from int_claim_procedures
),

ehr_procedures as (
    select * from stg_procedure
),

ccs as (
    select * from ref_ccs_pr_icd10pcs
),

from_claims as (
    select c.stay_id, p.procedure_code, p.procedure_date
    from components as c
    inner join claim_procedures as p on c.claim_id = p.claim_id
    where p.code_system = 'icd-10-pcs'
),

from_ehr as (
    select c.stay_id, p.procedure_code, p.procedure_date
    from components as c
    inner join ehr_procedures as p on c.encounter_id = p.encounter_id
    where p.code_system = 'icd-10-pcs'
),

per_code as (
    select stay_id, procedure_code, min(procedure_date) as procedure_date
    from (select * from from_claims union all select * from from_ehr)
    group by stay_id, procedure_code
),

final as (
    select
        p.stay_id,
        p.procedure_code,
        p.procedure_date,
        x.ccs_procedure_category as procedure_ccs
    from per_code as p
    left join ccs as x on p.procedure_code = x.icd_10_pcs
)

select * from final
