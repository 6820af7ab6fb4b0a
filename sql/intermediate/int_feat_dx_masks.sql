-- grain: one row per spine row: the diagnosis feature keys present at its cutoff, as masks
-- The diagnosis cut (int_cut_dx_masks) stored once for the four relations that decode it.
with masks as (
    select * from int_cut_dx_masks
),

final as (
    select spine_id, charlson_mask, elixhauser_mask, social_mask, chronic_count from masks
)

select * from final
