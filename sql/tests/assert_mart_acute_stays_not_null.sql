-- grain: one row per mart_acute_stays row with a missing key field or impossible dates
select stay_id, person_id, admission_date, discharge_date, source
from mart_acute_stays
where stay_id is null
    or person_id is null
    or admission_date is null
    or discharge_date is null
    or source is null
    or is_planned is null
    or discharge_date < admission_date
    or source not in ('claims', 'ehr', 'both')
