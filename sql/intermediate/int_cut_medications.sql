-- grain: one row per prediction spine row and medication record (fill or EHR medication) dated on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
with spine as (
    select * from mart_prediction_spine
),

fills as (
    select * from stg_pharmacy_claim
),

ehr_medications as (
    select * from stg_medication
),

medications as (
    select
        person_id, 'pharmacy_claim' as source, claim_id as record_id, dispensing_date as medication_date,
        ndc_code, null as rxnorm_code, days_supply, quantity, paid_amount
    from fills
    union all
    select
        person_id, 'ehr' as source, medication_id as record_id, medication_date,
        ndc_code, rxnorm_code, days_supply, quantity, null as paid_amount
    from ehr_medications
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        m.source,
        m.record_id,
        m.medication_date,
        m.ndc_code,
        m.rxnorm_code,
        m.days_supply,
        m.quantity,
        m.paid_amount
    from spine as sp
    inner join medications as m
        on sp.person_id = m.person_id
        and m.medication_date <= sp.cutoff_date
)

select * from final
