-- grain: one row per prediction spine row: the diagnosis feature keys present at its cutoff date, as masks
-- The leak-free cut (DESIGN section 5) for comorbidity and social-needs features: a key is present
-- when a diagnosis setting it was known on or before the cutoff and within its window (one of its
-- spells started on or before the cutoff and has not ended). Spell starts add the key's bit,
-- spell ends remove it; with spine rows in the same per-person stream ordered by day (starts and
-- ends before a spine row of the same day), the running sum at a spine row is exactly the set of
-- keys present then (a key's spells never overlap), and nothing after its cutoff reaches it.
-- chronic_count counts present chronic CCS categories the same way.
with spine as (
    select * from mart_prediction_spine
),

spells as (
    select s.person_id, s.key_type, s.spell_start, s.spell_end, b.key_bit
    from int_feat_dx_spells as s
    left join int_feat_key_bits as b on s.key_type = b.key_type and s.key = b.key
    where s.key_type in ('charlson', 'elixhauser', 'social', 'chronic_ccs')
),

changes as (
    select person_id, spell_start as day, 1 as sign, key_type, key_bit from spells
    union all
    select person_id, spell_end, -1, key_type, key_bit from spells
),

stream as (
    select sp.spine_id, sp.task, sp.person_id, sp.as_of_date, sp.cutoff_date,
        sp.cutoff_date as day, 1 as is_spine_row, 0::bigint as charlson, 0::bigint as elixhauser,
        0::bigint as social, 0::bigint as chronic
    from spine as sp
    union all
    select null, null, person_id, null, null, day, 0,
        sum(case when key_type = 'charlson' then sign * (1::bigint << key_bit) else 0 end),
        sum(case when key_type = 'elixhauser' then sign * (1::bigint << key_bit) else 0 end),
        sum(case when key_type = 'social' then sign * (1::bigint << key_bit) else 0 end),
        sum(case when key_type = 'chronic_ccs' then sign else 0 end)
    from changes
    group by person_id, day
),

running as (
    select
        *,
        sum(charlson) over w as charlson_mask,
        sum(elixhauser) over w as elixhauser_mask,
        sum(social) over w as social_mask,
        sum(chronic) over w as chronic_count
    from stream
    window w as (
        partition by person_id order by day, is_spine_row
        rows between unbounded preceding and current row
    )
),

final as (
    select
        spine_id,
        task,
        person_id,
        as_of_date,
        cutoff_date,
        cast(charlson_mask as bigint) as charlson_mask,
        cast(elixhauser_mask as bigint) as elixhauser_mask,
        cast(social_mask as bigint) as social_mask,
        cast(chronic_count as integer) as chronic_count
    from running
    where is_spine_row = 1
)

select * from final
