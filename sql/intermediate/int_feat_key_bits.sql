-- grain: one row per bit-coded diagnosis feature key (Charlson condition, Elixhauser comorbidity, social-needs domain)
-- Each key of a type gets a fixed bit (alphabetical order of the reference list) so the set of keys
-- present at a cutoff travels as one integer mask (int_cut_dx_masks).
with keys as (
    select 'charlson' as key_type, condition as key from ref_charlson_conditions
    union all
    select 'elixhauser', comorbidity from ref_elixhauser_weights
    union all
    select distinct 'social', domain from ref_social_needs_icd10
),

final as (
    select
        key_type,
        key,
        cast(row_number() over (partition by key_type order by key) - 1 as integer) as key_bit
    from keys
)

select * from final
