-- grain: one row per spine row with a medication supplied in the 90 days up to its cutoff
-- A medication is active when its supply reaches into the 90 days up to the cutoff
-- (int_cut_supply_spells); distinct products count distinct medications.
with spells as (
    select * from int_cut_supply_spells
),

final as (
    select spine_id, cast(count(distinct product) as integer) as active_medications_90d
    from spells
    group by spine_id
)

select * from final
