-- grain: one row per spine row, adherence class and drug (ingredient) filled in its 180-day window
-- why: PQA proportion of days covered: a drug's fills shift forward back to back from its first
-- fill (int_feat_pdc_fills), with gaps only before a fill, so it covers its total supply minus
-- what runs past the cutoff; the last shifted end is G_n + max of shift_base over the window.
with fills as (
    select * from int_cut_pdc_fills
),

final as (
    select
        spine_id,
        med_class,
        ingredient,
        any_value(cutoff_date) as cutoff_date,
        min(medication_date) as first_fill,
        min(date_rank) as first_date_rank,
        max(date_rank) as last_date_rank,
        sum(days_supply) as supply,
        max(supply_through) + max(shift_base) as last_end_day
    from fills
    group by spine_id, med_class, ingredient
)

select * from final
