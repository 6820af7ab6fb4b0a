-- grain: one row per prediction spine row and EHR encounter started on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- why: an encounter under way at the cutoff shows no end date, disposition or diagnosis yet.
with spine as (
    select * from mart_prediction_spine
),

encounters as (
    select * from stg_encounter
),

joined as (
    select
        sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date,
        e.encounter_id, e.encounter_type, e.encounter_start_date, e.encounter_end_date,
        e.discharge_disposition_code, e.primary_diagnosis_code, e.facility_npi,
        coalesce(e.encounter_end_date <= sp.cutoff_date, false) as is_complete
    from spine as sp
    inner join encounters as e
        on sp.person_id = e.person_id
        and e.encounter_start_date <= sp.cutoff_date
),

final as (
    select
        spine_id,
        task,
        person_id,
        as_of_date,
        cutoff_date,
        encounter_id,
        encounter_type,
        encounter_start_date,
        not is_complete as is_ongoing,
        case when is_complete then encounter_end_date end as encounter_end_date,
        case when is_complete then discharge_disposition_code end as discharge_disposition_code,
        case when is_complete then primary_diagnosis_code end as primary_diagnosis_code,
        facility_npi
    from joined
)

select * from final
