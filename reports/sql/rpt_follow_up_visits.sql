-- grain: one row per person and day with an ambulatory follow-up visit (claims or EHR)
-- why: office/outpatient E&M (CPT 99202-99205, 99211-99215), home visits (99341-99350) and
-- transitional care management (99495, 99496; CMS TCM requires a face-to-face visit within 7 or
-- 14 days of discharge); EHR encounters of type 'office visit' or 'telehealth'.
with claims as (
    select person_id, claim_start_date as visit_date
    from raw_medical_claim
    where claim_type = 'professional'
        and (
            hcpcs_code in ('99202', '99203', '99204', '99205', '99495', '99496')
            or hcpcs_code between '99211' and '99215'
            or hcpcs_code between '99341' and '99350'
        )
),

encounters as (
    select person_id, cast(encounter_start_date as date) as visit_date
    from raw_encounter
    where lower(encounter_type) in ('office visit', 'telehealth')
)

select distinct person_id, visit_date
from (select * from claims union all select * from encounters)
where visit_date is not null
