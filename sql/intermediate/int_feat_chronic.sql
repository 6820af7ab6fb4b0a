-- grain: one row per spine row with at least one chronic condition present at its cutoff
-- why: AHRQ HCUP Chronic Condition Indicator marks chronic codes; distinct AHRQ CCS diagnosis
-- categories of the chronic codes known in the 365 days up to the cutoff count distinct chronic
-- conditions (categories mapped in int_feat_code_keys, counted in int_cut_dx_masks).
with masks as (
    select spine_id, chronic_count from int_feat_dx_masks where chronic_count > 0
),

final as (
    select spine_id, chronic_count as chronic_condition_count from masks
)

select * from final
