-- grain: one row per 5-digit ZIP code with an area deprivation national percentile
-- why: Area Deprivation Index national percentiles (1-100, higher is more deprived; University of
-- Wisconsin Neighborhood Atlas), supplied by the user as raw_area_deprivation because its licence
-- forbids redistribution. The latest delivery of a ZIP wins; suppressed values (PH, GQ, ...)
-- and malformed ZIPs are left out.
with source as (
    select zip_code, adi_national_percentile, _extract_date, _row_number
    from raw_area_deprivation
),

latest as (
    select
        left(regexp_replace(cast(zip_code as varchar), '[^0-9]', '', 'g'), 5) as zip_code,
        try_cast(trim(cast(adi_national_percentile as varchar)) as double)
            as adi_national_percentile
    from source
    where length(regexp_replace(cast(zip_code as varchar), '[^0-9]', '', 'g')) >= 5
    qualify row_number() over (
        partition by left(regexp_replace(cast(zip_code as varchar), '[^0-9]', '', 'g'), 5)
        order by _extract_date desc nulls last, _row_number desc nulls last
    ) = 1
),

final as (
    select zip_code, adi_national_percentile
    from latest
    where adi_national_percentile between 1 and 100
)

select * from final
