-- grain: one row per prediction spine row and diagnosis feature key present at its cutoff date
-- The leak-free cut (DESIGN section 5) for diagnosis-based features: a key is present when a
-- diagnosis setting it was known on or before the cutoff and within its window (a spell that
-- starts on or before the cutoff and has not ended). A later diagnosis never starts a spell
-- before its own known date, so nothing after the cutoff can make a key present.
with spine as (
    select * from mart_prediction_spine
),

spells as (
    select * from int_feat_dx_spells
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        s.key_type,
        s.key
    from spine as sp
    inner join spells as s
        on sp.person_id = s.person_id
        and s.spell_start <= sp.cutoff_date
        and sp.cutoff_date < s.spell_end
)

select * from final
