-- grain: one row per readmission_30d spine row: its index stay as known at discharge
with spine as (
    select spine_id, stay_id from mart_prediction_spine where task = 'readmission_30d'
),

stays as (
    select * from int_cut_stays where task = 'readmission_30d'
),

index_stays as (
    select sp.spine_id, st.* exclude (spine_id)
    from spine as sp
    inner join stays as st on sp.spine_id = st.spine_id and sp.stay_id = st.stay_id
),

stay_cancer as (
    -- why: HOSPITAL's "discharge from an oncology service" (Donze 2013). Claims and EHR extracts
    -- carry no service, and stays whose principal diagnosis is a cancer are excluded as index
    -- stays (CMS: medical treatment of cancer), so the proxy is active cancer coded during the
    -- stay (known between admission and discharge): a malignant neoplasm (C00-C96 incl.
    -- C4A/C7A/C7B, not C44 skin) or an encounter for radiotherapy or chemotherapy (Z51.0,
    -- Z51.1), as Aubert 2016 adapted the score.
    select distinct d.spine_id
    from int_cut_dx_events as d
    inner join index_stays as i on d.spine_id = i.spine_id
    where d.task = 'readmission_30d'
        and d.known_date between i.admission_date and i.discharge_date
        and regexp_matches(d.icd_10_cm, '^(C[0-8][0-9A-Z]|C9[0-6]|Z510|Z511)')
        and not starts_with(d.icd_10_cm, 'C44')
),

stay_procedures as (
    select distinct p.spine_id
    from int_cut_procedures as p
    inner join index_stays as i on p.spine_id = i.spine_id
    where p.task = 'readmission_30d'
        and p.code_system = 'icd-10-pcs'
        and p.procedure_date between i.admission_date and i.discharge_date
),

final as (
    select
        i.spine_id,
        i.stay_id,
        i.admission_date,
        i.discharge_date,
        i.length_of_stay as los_days,
        c.spine_id is not null as oncology_discharge,
        -- why: HOSPITAL's "procedure during the hospital stay (ICD coded)" (Donze 2013).
        i.principal_procedure_code is not null or p.spine_id is not null as procedure_during_stay,
        -- why: UB-04 admission type 1 emergency, 2 urgent, 5 trauma; 3 elective, 4 newborn;
        -- admitted through the ED is urgent whatever the type says (LACE's acute admission).
        case
            when coalesce(i.admitted_through_ed, false) or i.admit_type_code in ('1', '2', '5')
                then true
            when i.admit_type_code in ('3', '4') then false
        end as urgent_admission
    from index_stays as i
    left join stay_cancer as c on i.spine_id = c.spine_id
    left join stay_procedures as p on i.spine_id = p.spine_id
)

select * from final
