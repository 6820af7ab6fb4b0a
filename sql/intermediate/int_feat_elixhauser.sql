-- grain: one row per spine row with at least one Elixhauser comorbidity present at its cutoff
-- why: AHRQ HCUP Elixhauser Comorbidity Software for ICD-10-CM v2019.1 (codes mapped in
-- int_feat_code_keys) over the diagnoses known in the 365 days up to the cutoff: metastatic
-- cancer supersedes solid tumour and diabetes with chronic complications supersedes diabetes
-- without (comoanaly program); HTN and HTNCX report as HTN_C. The software's MS-DRG screen is
-- per discharge and is not applied to this person-level lookback.
-- Readmission weights: AHRQ Elixhauser Comorbidity Index v1.0 (Moore BJ et al. Med Care 2017).
with masks as (
    select spine_id, elixhauser_mask as mask from int_feat_dx_masks where elixhauser_mask <> 0
),

comorbidities as (
    select
        list(w.comorbidity order by b.key_bit) as names,
        list(w.readmission_weight order by b.key_bit) as weights,
        any_value(b.key_bit) filter (where w.comorbidity = 'TUMOR') as tumor_bit,
        any_value(b.key_bit) filter (where w.comorbidity = 'METS') as mets_bit,
        any_value(b.key_bit) filter (where w.comorbidity = 'DM') as dm_bit,
        any_value(b.key_bit) filter (where w.comorbidity = 'DMCX') as dmcx_bit
    from ref_elixhauser_weights as w
    inner join int_feat_key_bits as b on b.key_type = 'elixhauser' and w.comorbidity = b.key
),

kept as (
    select
        m.spine_id,
        m.mask
            & ~(case when (m.mask >> c.mets_bit) & 1 = 1 then 1::bigint << c.tumor_bit else 0 end)
            & ~(case when (m.mask >> c.dmcx_bit) & 1 = 1 then 1::bigint << c.dm_bit else 0 end)
            as mask,
        c.names,
        c.weights
    from masks as m
    cross join comorbidities as c
),

final as (
    select
        spine_id,
        list_filter(names, (x, i) -> (mask >> (i - 1)) & 1 = 1) as comorbidities,
        cast(list_sum(list_transform(range(len(names)), k -> ((mask >> k) & 1) * weights[k + 1]))
            as integer) as readmission_index
    from kept
)

select * from final
