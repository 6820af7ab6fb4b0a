-- grain: one row per prediction spine row and medication supply spell reaching the 90 days up to its cutoff date
-- The leak-free cut (DESIGN section 5) for active medications: a spell that started on or before
-- the cutoff and supplies some day in the 90 days up to it. Every supplied day of a spell comes
-- from a record dated on or before that day, so a later record can never supply the window.
with spine as (
    select * from mart_prediction_spine
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        s.product,
        s.spell_start,
        s.spell_end
    from spine as sp
    inner join int_feat_supply_spells as s
        on sp.person_id = s.person_id
        and s.spell_start <= sp.cutoff_date
        and s.spell_end >= sp.cutoff_date - 89
)

select * from final
