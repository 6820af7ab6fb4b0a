-- grain: one row per lab result component
-- The LOINC code may arrive in any of four columns; the first filled one wins.
with source as (
    select * from raw_lab_result
),

final as (
    select
        lab_result_id,
        person_id,
        encounter_id,
        nullif(trim(coalesce(
            normalized_component_code, normalized_order_code, source_component_code, source_order_code
        )), '') as loinc_code,
        result,
        try_cast(trim(result) as double) as result_numeric,
        coalesce(normalized_units, source_units) as units,
        result_datetime,
        collection_datetime,
        cast(coalesce(result_datetime, collection_datetime) as date) as result_date
    from source
)

select * from final
