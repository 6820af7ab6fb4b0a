-- grain: one row per prediction spine row and current medical claim line known on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- A claim is known once its last date of service has passed (its codes and amounts with it).
with spine as (
    select * from mart_prediction_spine
),

lines as (
    select * from int_claim_lines_current
),

claims as (
    select
        claim_id,
        max(coalesce(discharge_date, claim_end_date, claim_line_end_date, claim_start_date))
            as known_date
    from lines
    group by claim_id
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        l.claim_id,
        l.claim_line_number,
        l.claim_type,
        l.claim_start_date,
        l.claim_end_date,
        coalesce(l.claim_line_start_date, l.claim_start_date) as service_date,
        l.bill_type_code,
        l.place_of_service_code,
        l.revenue_center_code,
        l.hcpcs_code,
        l.paid_amount,
        l.allowed_amount,
        c.known_date
    from spine as sp
    inner join lines as l on sp.person_id = l.person_id
    inner join claims as c
        on l.claim_id = c.claim_id
        and c.known_date <= sp.cutoff_date
)

select * from final
