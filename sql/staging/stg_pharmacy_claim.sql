-- grain: one row per current pharmacy fill (claim line), reversals and superseded versions removed
-- why: a fill re-delivered with a later paid_date supersedes the earlier version; a current
-- version with a negative paid amount is a reversal and voids the fill (same rule as medical claims).
with source as (
    select * from raw_pharmacy_claim
),

current_version as (
    select *
    from source
    qualify row_number() over (
        partition by claim_id, claim_line_number
        order by paid_date desc nulls last, _extract_date desc nulls last, _row_number desc nulls last
    ) = 1
),

final as (
    select
        claim_id,
        claim_line_number,
        person_id,
        dispensing_date,
        nullif(regexp_replace(ndc_code, '[^0-9]', '', 'g'), '') as ndc_code,
        quantity,
        days_supply,
        paid_date,
        paid_amount,
        allowed_amount
    from current_version
    where coalesce(paid_amount, 0) >= 0 and coalesce(allowed_amount, 0) >= 0
)

select * from final
