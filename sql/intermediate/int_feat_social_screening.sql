-- grain: one row per spine row and social-needs domain screened in the 730 days up to its cutoff
-- why: AHC HRSN and PRAPARE: the latest screening day of a domain decides it (int_cut_last_screening);
-- answers older than two years no longer describe the person's circumstances.
with screened as (
    select * from int_cut_last_screening
    where observation_date > cutoff_date - 730
),

final as (
    select spine_id, domain, observation_date as screened_on, has_need
    from screened
)

select * from final
