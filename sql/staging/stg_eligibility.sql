-- grain: one row per person per enrollment span (as delivered, exact duplicates removed)
with source as (
    select * from raw_eligibility
),

final as (
    select distinct
        person_id,
        lower(trim(gender)) as gender,
        lower(trim(race)) as race,
        lower(trim(ethnicity)) as ethnicity,
        birth_date,
        death_date,
        enrollment_start_date,
        enrollment_end_date,
        payer,
        lower(trim(payer_type)) as payer_type,
        plan,
        nullif(trim(dual_status_code), '') as dual_status_code,
        nullif(trim(medicare_status_code), '') as medicare_status_code,
        -- why: CMS original reason for entitlement (0 old age, 1 disability, 2 ESRD, 3 disability
        -- and ESRD); CMS-HCC reads it for the disabled and originally-disabled factors.
        case
            when trim(original_reason_entitlement_code) in ('0', '1', '2', '3')
                then trim(original_reason_entitlement_code)
        end as original_reason_entitlement_code,
        nullif(left(regexp_replace(zip_code, '[^0-9]', '', 'g'), 5), '') as zip_code,
        state
    from source
)

select * from final
