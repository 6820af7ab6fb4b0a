-- grain: one row per prediction spine row and lab result dated on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
with spine as (
    select * from mart_prediction_spine
),

labs as (
    select * from stg_lab_result
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        l.lab_result_id,
        l.encounter_id,
        l.loinc_code,
        l.result,
        l.result_numeric,
        l.units,
        l.result_datetime,
        l.result_date
    from spine as sp
    inner join labs as l
        on sp.person_id = l.person_id
        and l.result_date <= sp.cutoff_date
)

select * from final
