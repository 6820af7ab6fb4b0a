-- grain: one row per prediction spine row and observation dated on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
with spine as (
    select * from mart_prediction_spine
),

observations as (
    select * from stg_observation
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        o.observation_id,
        o.encounter_id,
        o.observation_date,
        o.observation_type,
        o.observation_code,
        o.code_type,
        o.result,
        o.result_numeric,
        o.units
    from spine as sp
    inner join observations as o
        on sp.person_id = o.person_id
        and o.observation_date <= sp.cutoff_date
)

select * from final
