-- grain: one row per case manager (cm_id), from the latest roster delivery
-- languages and regions arrive '|'-separated; empty items are dropped.
with latest as (
    select
        cm_id,
        arg_max(name, coalesce(_extract_date, date '1900-01-01')) as name,
        arg_max(role, coalesce(_extract_date, date '1900-01-01')) as role,
        arg_max(capacity_points, coalesce(_extract_date, date '1900-01-01')) as capacity_points,
        arg_max(coalesce(languages, ''), coalesce(_extract_date, date '1900-01-01')) as languages,
        arg_max(coalesce(regions, ''), coalesce(_extract_date, date '1900-01-01')) as regions,
        arg_max(active, coalesce(_extract_date, date '1900-01-01')) as active
    from raw_case_managers
    group by cm_id
)

select
    cm_id,
    name,
    upper(role) as role,
    coalesce(capacity_points, 0) as capacity_points,
    list_filter(list_transform(string_split(languages, '|'), x -> trim(x)), x -> x <> '') as languages,
    list_filter(list_transform(string_split(regions, '|'), x -> trim(x)), x -> x <> '') as regions,
    coalesce(active, false) as active
from latest
