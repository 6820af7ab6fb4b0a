-- grain: one row per person per emergency department visit date
-- why: ED visits are claim lines with revenue center 045x (UB-04 emergency room) or place of
-- service 23 (CMS POS code: emergency room - hospital), or EHR emergency encounters; claim and
-- EHR records of one person on one date are one visit. A visit from the day before an acute
-- admission through its discharge led to that admission and is counted with the stay (stay_id
-- set, led_to_admission true), not as a separate ED visit (DESIGN section 4).
with claim_lines as (
    select * from int_claim_lines_current
),

encounters as (
    select * from stg_encounter
),

stays as (
    select * from int_acute_stays
),

claim_visits as (
    select person_id, coalesce(claim_line_start_date, claim_start_date) as visit_date, 'claims' as source
    from claim_lines
    where revenue_center_code like '045%' or place_of_service_code = '23'
),

ehr_visits as (
    select person_id, encounter_start_date as visit_date, 'ehr' as source
    from encounters
    where encounter_type in ('emergency department', 'emergency', 'ed')
),

visits as (
    select
        person_id,
        visit_date,
        case when count(distinct source) > 1 then 'both' else min(source) end as source
    from (select * from claim_visits union all select * from ehr_visits)
    where visit_date is not null
    group by person_id, visit_date
),

linked as (
    select
        v.person_id,
        v.visit_date,
        v.source,
        s.stay_id
    from visits as v
    left join stays as s
        on v.person_id = s.person_id
        and v.visit_date between s.admission_date - 1 and s.discharge_date
    -- a visit on one stay's discharge day and the day before the next belongs to the next
    qualify row_number() over (
        partition by v.person_id, v.visit_date order by s.admission_date desc nulls last
    ) = 1
),

final as (
    select
        md5(person_id || '|' || cast(visit_date as varchar)) as ed_visit_id,
        person_id,
        visit_date,
        source,
        stay_id,
        stay_id is not null as led_to_admission
    from linked
)

select * from final
