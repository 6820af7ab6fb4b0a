-- grain: one row per spine row with a social-needs domain coded in the 730 days up to its cutoff
-- why: ICD-10-CM Z55-Z65 social determinants codes by domain (ref_social_needs_icd10, mapped in
-- int_feat_code_keys); social circumstances are coded rarely and last, so the lookback is two
-- years.
with masks as (
    select spine_id, social_mask as mask from int_feat_dx_masks where social_mask <> 0
),

domains as (
    select list(key order by key_bit) as names from int_feat_key_bits where key_type = 'social'
),

final as (
    select
        m.spine_id,
        list_filter(d.names, (x, i) -> (m.mask >> (i - 1)) & 1 = 1) as domains
    from masks as m
    cross join domains as d
)

select * from final
