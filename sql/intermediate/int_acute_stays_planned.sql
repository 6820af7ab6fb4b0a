-- grain: one row per acute episode with its CMS Planned Readmission Algorithm v4 flags
-- why: PRA v4 (CMS hospital-wide readmission measure): a stay is always planned if it has a
-- procedure in an always-planned CCS category (transplants; PRA v4 step 1 looks at any procedure
-- of the stay, which includes the principal one) or its principal diagnosis CCS is always
-- planned (maintenance chemotherapy, rehabilitation); otherwise it is planned if a procedure
-- is potentially planned (CCS or ICD-10-PCS list) and the principal diagnosis is not acute
-- (acute ICD-10-CM list or acute CCS category). The principal diagnosis is the first admission's.
with stays as (
    select * from int_acute_stays
),

procedures as (
    select * from int_acute_stay_procedures
),

dx_ccs as (
    select * from ref_ccs_dx_icd10cm
),

px_ccs as (
    select * from ref_ccs_pr_icd10pcs
),

always_px as (
    select * from ref_pra_always_planned_ccs_procedure_category
),

always_dx as (
    select * from ref_pra_always_planned_ccs_diagnosis_category
),

potential_px_ccs as (
    select * from ref_pra_potentially_planned_ccs_procedure_category
),

potential_px_code as (
    select * from ref_pra_potentially_planned_icd_10_pcs
),

acute_dx_code as (
    select * from ref_pra_acute_diagnosis_icd_10_cm
),

acute_dx_ccs as (
    select * from ref_pra_acute_diagnosis_ccs
),

procedure_flags as (
    select
        p.stay_id,
        bool_or(a.ccs_procedure_category is not null) as has_always_planned_procedure,
        bool_or(pc.ccs_procedure_category is not null or pp.icd_10_pcs is not null)
            as has_potentially_planned_procedure
    from procedures as p
    left join always_px as a on p.procedure_ccs = a.ccs_procedure_category
    left join potential_px_ccs as pc on p.procedure_ccs = pc.ccs_procedure_category
    left join potential_px_code as pp on p.procedure_code = pp.icd_10_pcs
    group by p.stay_id
),

flags as (
    select
        s.stay_id,
        d.ccs_diagnosis_category as principal_dx_ccs,
        x.ccs_procedure_category as principal_pr_ccs,
        coalesce(f.has_always_planned_procedure, false) as has_always_planned_procedure,
        ad.ccs_diagnosis_category is not null as has_always_planned_diagnosis,
        coalesce(f.has_potentially_planned_procedure, false) as has_potentially_planned_procedure,
        ac.icd_10_cm is not null or acc.ccs_diagnosis_category is not null
            as has_acute_principal_diagnosis
    from stays as s
    left join dx_ccs as d on s.principal_diagnosis_code = d.icd_10_cm
    left join px_ccs as x on s.principal_procedure_code = x.icd_10_pcs
    left join procedure_flags as f on s.stay_id = f.stay_id
    left join always_dx as ad on d.ccs_diagnosis_category = ad.ccs_diagnosis_category
    left join acute_dx_code as ac on s.principal_diagnosis_code = ac.icd_10_cm
    left join acute_dx_ccs as acc on d.ccs_diagnosis_category = acc.ccs_diagnosis_category
),

final as (
    select
        stay_id,
        principal_dx_ccs,
        principal_pr_ccs,
        has_always_planned_procedure,
        has_always_planned_diagnosis,
        has_potentially_planned_procedure,
        has_acute_principal_diagnosis,
        has_always_planned_procedure or has_always_planned_diagnosis
        or (has_potentially_planned_procedure and not has_acute_principal_diagnosis) as is_planned
    from flags
)

select * from final
