-- grain: one row per prediction spine row and ED visit on or before its cutoff date
-- The leak-free cut (DESIGN section 5): features read events only through the int_cut_* views;
-- each joins a spine row to the events known on or before its cutoff_date, and nothing later.
-- why: a visit on the cutoff day can lead to an admission after the cutoff (ED on the discharge
-- day, readmitted the next day): it is shown as admitted only if that stay is known at the
-- cutoff (as int_cut_stays shows it: admitted by then, and discharged by then or in the EHR),
-- otherwise the future admission would leak into the features.
with spine as (
    -- one share of persons while a relation reading this view is built in passes (runner)
    select * from mart_prediction_spine
    where getvariable('person_hash_to') is null
        or hash(person_id) between getvariable('person_hash_from') and getvariable('person_hash_to')
),

visits as (
    select * from int_ed_visits
),

stays as (
    select * from int_acute_stays
),

joined as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        sp.cutoff_date,
        v.ed_visit_id,
        v.visit_date,
        v.source,
        v.stay_id,
        coalesce(
            s.admission_date <= sp.cutoff_date
            and (
                (s.discharge_date <= sp.cutoff_date and not s.still_admitted)
                or s.source in ('ehr', 'both')
            ),
            false
        ) as stay_known
    from spine as sp
    inner join visits as v
        on sp.person_id = v.person_id
        and v.visit_date <= sp.cutoff_date
    left join stays as s on v.stay_id = s.stay_id
),

final as (
    select
        spine_id,
        task,
        person_id,
        as_of_date,
        cutoff_date,
        ed_visit_id,
        visit_date,
        source,
        case when stay_known then stay_id end as stay_id,
        stay_known as led_to_admission
    from joined
)

select * from final
