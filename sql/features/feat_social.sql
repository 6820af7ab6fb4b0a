-- grain: one row per prediction spine row: social needs coded, screened and by area at its cutoff
-- Coded flags are false without a code; screening flags are null when never screened (missing
-- is shown as missing); the area percentile is null when no area-deprivation file was supplied
-- or the ZIP is not in it.
with spine as (
    select spine_id, task, person_id, as_of_date from mart_prediction_spine
),

coded as (
    select * from int_feat_social_dx
),

screened as (
    select * from int_feat_social_screening
),

coded_flags as (
    select
        sp.spine_id,
        coalesce(list_contains(c.domains, 'housing'), false) as sdoh_dx_housing,
        coalesce(list_contains(c.domains, 'food'), false) as sdoh_dx_food,
        coalesce(list_contains(c.domains, 'transport'), false) as sdoh_dx_transport,
        coalesce(list_contains(c.domains, 'financial'), false) as sdoh_dx_financial,
        coalesce(list_contains(c.domains, 'isolation'), false) as sdoh_dx_isolation,
        coalesce(list_contains(c.domains, 'lives_alone'), false) as lives_alone
    from spine as sp
    left join coded as c on sp.spine_id = c.spine_id
),

screened_flags as (
    select
        spine_id,
        bool_or(has_need) filter (where domain = 'housing') as screen_housing,
        bool_or(has_need) filter (where domain = 'food') as screen_food,
        bool_or(has_need) filter (where domain = 'transport') as screen_transport,
        bool_or(has_need) filter (where domain = 'financial') as screen_financial,
        bool_or(has_need) filter (where domain = 'isolation') as screen_isolation
    from screened
    group by spine_id
),

needs as (
    select spine_id, count(distinct domain) as social_needs_count
    from (
        select spine_id, unnest(list_filter(domains, d -> d <> 'lives_alone')) as domain from coded
        union
        select spine_id, domain from screened where has_need
    )
    group by spine_id
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        c.* exclude (spine_id),
        s.* exclude (spine_id),
        cast(coalesce(n.social_needs_count, 0) as integer) as social_needs_count,
        cast(adi.adi_national_percentile as double) as adi_national_percentile
    from spine as sp
    inner join coded_flags as c on sp.spine_id = c.spine_id
    left join screened_flags as s on sp.spine_id = s.spine_id
    left join needs as n on sp.spine_id = n.spine_id
    left join int_feat_person_attributes as pa on sp.spine_id = pa.spine_id
    left join int_feat_area_deprivation as adi on pa.zip_code = adi.zip_code
)

select * from final
