-- grain: one row per EHR acute inpatient encounter
-- why: DESIGN section 4: encounter_type 'acute inpatient' (or plain 'inpatient') is an acute stay.
-- An encounter without an end date is still under way: its discharge is provisionally the data
-- end date and it is flagged still_admitted (never an index stay).
with encounters as (
    select * from stg_encounter
),

conditions as (
    select * from stg_condition
),

procedures as (
    select * from stg_procedure
),

data_window as (
    select * from int_data_window
),

inpatient as (
    select *
    from encounters
    where encounter_type in ('acute inpatient', 'inpatient')
),

ranked_diagnosis as (
    select encounter_id, arg_min(condition_code, condition_rank) as condition_code
    from conditions
    where code_system = 'icd-10-cm' and condition_rank is not null and encounter_id is not null
    group by encounter_id
),

first_procedure as (
    select
        encounter_id,
        arg_min(procedure_code, (procedure_date, procedure_code)) as procedure_code
    from procedures
    where code_system = 'icd-10-pcs' and encounter_id is not null
    group by encounter_id
),

final as (
    select
        e.encounter_id,
        e.person_id,
        e.encounter_start_date as admission_date,
        coalesce(
            greatest(e.encounter_end_date, e.encounter_start_date),
            greatest(w.data_end_date, e.encounter_start_date)
        ) as discharge_date,
        e.encounter_end_date is null as still_admitted,
        e.discharge_disposition_code,
        e.admit_type_code,
        -- why: the encounter's primary diagnosis, else its rank-1 condition (Tuva input layer).
        coalesce(e.primary_diagnosis_code, d.condition_code) as principal_diagnosis_code,
        p.procedure_code as principal_procedure_code,
        e.facility_npi,
        e.drg_code
    from inpatient as e
    cross join data_window as w
    left join ranked_diagnosis as d on e.encounter_id = d.encounter_id
    left join first_procedure as p on e.encounter_id = p.encounter_id
)

select * from final
