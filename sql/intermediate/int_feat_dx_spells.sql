-- grain: one row per person, diagnosis feature key and spell during which the key counts
-- A diagnosis known on day d counts for cutoffs in [d, d + window_days): the key is present at a
-- cutoff exactly when a code setting it was known in the window_days up to it. Each code's
-- windows merge into spells first (few rows per code), then the spells of the codes setting one
-- key merge, so the spine joins a few spells per person, not every diagnosis record.
with code_windows as (
    select distinct icd_10_cm, window_days from int_feat_code_keys
),

events as (
    select d.person_id, d.icd_10_cm, w.window_days, d.known_date
    from int_feat_dx_events as d
    inner join code_windows as w on d.icd_10_cm = w.icd_10_cm
),

code_numbered as (
    select
        *,
        sum(case when previous_known is null or known_date >= previous_known + window_days
            then 1 else 0 end) over (
            partition by person_id, icd_10_cm, window_days order by known_date
            rows between unbounded preceding and current row
        ) as spell
    from (
        select
            *,
            lag(known_date) over (
                partition by person_id, icd_10_cm, window_days order by known_date
            ) as previous_known
        from events
    )
),

code_spells as (
    select person_id, icd_10_cm, window_days, min(known_date) as spell_start,
        cast(max(known_date) + any_value(window_days) as date) as spell_end
    from code_numbered
    group by person_id, icd_10_cm, window_days, spell
),

key_numbered as (
    select
        *,
        sum(case when previous_end is null or spell_start > previous_end then 1 else 0 end) over (
            partition by person_id, key_type, key order by spell_start, spell_end
            rows between unbounded preceding and current row
        ) as spell
    from (
        -- distinct spells: (start, end) then orders a key's spells totally, so both window
        -- passes see the same order
        select
            *,
            max(spell_end) over (
                partition by person_id, key_type, key order by spell_start, spell_end
                rows between unbounded preceding and 1 preceding
            ) as previous_end
        from (
            select distinct s.person_id, k.key_type, k.key, s.spell_start, s.spell_end
            from code_spells as s
            inner join int_feat_code_keys as k
                on s.icd_10_cm = k.icd_10_cm and s.window_days = k.window_days
        )
    )
),

final as (
    select person_id, key_type, key, min(spell_start) as spell_start, max(spell_end) as spell_end
    from key_numbered
    group by person_id, key_type, key, spell
)

select * from final
