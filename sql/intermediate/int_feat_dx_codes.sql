-- grain: one row per distinct ICD-10-CM diagnosis code seen in any record
-- The code maps (Charlson, Elixhauser, CMS-HCC, chronic conditions, social needs) are applied
-- once per distinct code, never once per diagnosis record.
with diagnoses as (
    select * from int_feat_dx_events
),

final as (
    select distinct icd_10_cm from diagnoses
)

select * from final
