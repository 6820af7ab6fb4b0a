-- grain: one row per spine row with at least one Charlson condition present at its cutoff
-- why: Charlson comorbidity index with the Quan 2005 ICD-10 coding algorithm (Med Care
-- 43:1130, Table 1; codes mapped in int_feat_code_keys) and the Charlson 1987 weights (J Chronic
-- Dis 40:373), over the diagnoses known in the 365 days up to the cutoff; a condition's mild form
-- does not count when its severe form is present (mild vs moderate/severe liver disease,
-- diabetes without vs with chronic complications, malignancy vs metastatic solid tumour).
with masks as (
    select spine_id, charlson_mask as mask from int_feat_dx_masks where charlson_mask <> 0
),

conditions as (
    select
        list(c.condition order by b.key_bit) as names,
        list(c.charlson_weight order by b.key_bit) as weights,
        list(c.quan_2011_weight order by b.key_bit) as quan_weights,
        list(coalesce(s.key_bit, -1) order by b.key_bit) as superseded_by_bit
    from ref_charlson_conditions as c
    inner join int_feat_key_bits as b on b.key_type = 'charlson' and c.condition = b.key
    left join int_feat_key_bits as s on s.key_type = 'charlson' and c.superseded_by = s.key
),

counted as (
    select
        m.spine_id,
        list_transform(
            range(len(c.names)),
            k -> ((m.mask >> k) & 1 = 1
                and (c.superseded_by_bit[k + 1] < 0
                    or (m.mask >> greatest(c.superseded_by_bit[k + 1], 0)) & 1 = 0))
        ) as counts,
        c.names,
        c.weights,
        c.quan_weights
    from masks as m
    cross join conditions as c
),

final as (
    select
        spine_id,
        cast(list_sum(list_transform(range(len(names)), k -> counts[k + 1]::int * weights[k + 1]))
            as integer) as charlson_index,
        cast(list_sum(list_transform(
            range(len(names)), k -> counts[k + 1]::int * quan_weights[k + 1]
        )) as integer) as charlson_quan_2011,
        list_filter(names, (x, i) -> counts[i]) as charlson_conditions
    from counted
)

select * from final
