-- grain: one row per prediction spine row and eligibility span started on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- why: a span's end date after the cutoff is not known at the cutoff (it may end because of a
-- death or move that has not happened yet): it shows as open (null) and is_current is true.
with spine as (
    select * from mart_prediction_spine
),

eligibility as (
    select * from stg_eligibility
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        e.enrollment_start_date,
        case when e.enrollment_end_date <= sp.cutoff_date then e.enrollment_end_date end
            as enrollment_end_date,
        coalesce(e.enrollment_end_date > sp.cutoff_date, true) as is_current,
        e.payer,
        e.payer_type,
        e.plan,
        e.dual_status_code,
        e.medicare_status_code,
        e.original_reason_entitlement_code,
        e.zip_code,
        e.state
    from spine as sp
    inner join eligibility as e
        on sp.person_id = e.person_id
        and e.enrollment_start_date <= sp.cutoff_date
)

select * from final
