-- grain: one row per prediction spine row: demographics as known at its cutoff
-- Coverage flags are null when no enrollment span covers the cutoff (EHR-only data).
with persons as (
    select * from int_feat_person_attributes
),

final as (
    select
        spine_id,
        task,
        person_id,
        as_of_date,
        age_years,
        case sex when 'female' then true when 'male' then false end as is_female,
        case when is_enrolled then payer_type in ('medicare', 'dual') end as payer_medicare,
        case when is_enrolled then payer_type in ('medicaid', 'dual') end as payer_medicaid,
        case when is_enrolled then payer_type = 'commercial' end as payer_commercial,
        -- why: CMS dual status codes 01-06 and 08 are Medicare-Medicaid duals (00 and 09 are not
        -- enrolled in Medicaid benefits; hccinfhir's VALID_DUAL_CODES).
        case
            when is_enrolled then payer_type = 'dual'
                or coalesce(dual_status_code in ('01', '02', '03', '04', '05', '06', '08'), false)
        end as dual_eligible
    from persons
)

select * from final
