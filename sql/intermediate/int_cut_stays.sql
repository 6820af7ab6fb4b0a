-- grain: one row per prediction spine row and acute episode admitted on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- why: an episode still under way at the cutoff (admitted on or before it, discharged after, or
-- still admitted) is known only from the EHR (a claim arrives after discharge), so a claims-only
-- one is left out and an EHR one shows only its admission: its discharge date, disposition,
-- length of stay, diagnoses, procedures, planned flag and ED linkage come at or after discharge.
-- For readmission_30d rows the index stay itself is complete (discharge_date = cutoff_date).
with spine as (
    select * from mart_prediction_spine
),

stays as (
    select * from mart_acute_stays
),

joined as (
    select
        sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date,
        st.*,
        st.discharge_date <= sp.cutoff_date and not st.still_admitted as is_complete
    from spine as sp
    inner join stays as st
        on sp.person_id = st.person_id
        and st.admission_date <= sp.cutoff_date
),

known as (
    select * from joined where is_complete or source in ('ehr', 'both')
),

final as (
    select
        spine_id,
        task,
        person_id,
        as_of_date,
        cutoff_date,
        stay_id,
        admission_date,
        not is_complete as is_ongoing,
        case when is_complete then discharge_date end as discharge_date,
        case when is_complete then discharge_disposition_code end as discharge_disposition_code,
        case when is_complete then length_of_stay end as length_of_stay,
        case when is_complete then principal_diagnosis_code end as principal_diagnosis_code,
        case when is_complete then discharge_principal_diagnosis_code end
            as discharge_principal_diagnosis_code,
        case when is_complete then principal_dx_ccs end as principal_dx_ccs,
        case when is_complete then principal_procedure_code end as principal_procedure_code,
        case when is_complete then is_planned end as is_planned,
        admit_type_code,
        case when is_complete then admitted_through_ed end as admitted_through_ed,
        case when is_complete then source else 'ehr' end as source
    from known
)

select * from final
