-- grain: one row per EHR medication record (prescription or administration)
with source as (
    select * from raw_medication
),

final as (
    select
        medication_id,
        person_id,
        encounter_id,
        coalesce(dispensing_date, prescribing_date) as medication_date,
        dispensing_date,
        prescribing_date,
        nullif(regexp_replace(ndc_code, '[^0-9]', '', 'g'), '') as ndc_code,
        nullif(trim(rxnorm_code), '') as rxnorm_code,
        nullif(upper(trim(atc_code)), '') as atc_code,
        nullif(trim(source_description), '') as source_description,
        nullif(trim(ndc_description), '') as ndc_description,
        nullif(trim(rxnorm_description), '') as rxnorm_description,
        nullif(trim(atc_description), '') as atc_description,
        days_supply,
        quantity
    from source
)

select * from final
