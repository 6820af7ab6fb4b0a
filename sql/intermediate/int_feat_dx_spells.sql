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
    -- one share of persons while built in passes (catalog.PASS_NAMES); unset, all
    where getvariable('person_hash_to') is null
        or hash(d.person_id)
            between getvariable('person_hash_from') and getvariable('person_hash_to')
),

code_bounds as (
    -- a code's known dates, in order: one starts a spell when the previous one is a window or
    -- more before it, and ends one when the next is a window or more after it (or is none)
    select
        *,
        coalesce(known_date >= lag(known_date) over w + window_days, true) as is_start,
        coalesce(lead(known_date) over w >= known_date + window_days, true) as is_end
    from events
    window w as (partition by person_id, icd_10_cm, window_days order by known_date)
),

code_spells as (
    -- starts and ends alternate (a one-day spell is both): a start's spell ends at itself or
    -- at the next bound
    select person_id, icd_10_cm, window_days, spell_start, spell_end
    from (
        select
            person_id,
            icd_10_cm,
            window_days,
            is_start,
            known_date as spell_start,
            cast(case when is_end then known_date else lead(known_date) over (
                partition by person_id, icd_10_cm, window_days order by known_date
            ) end + window_days as date) as spell_end
        from code_bounds
        where is_start or is_end
    )
    where is_start
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
