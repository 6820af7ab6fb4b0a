-- grain: one row per mart_index_stays row with a missing field or inconsistent label fields
select stay_id, person_id, discharge_date, is_index, exclusion_reason
from mart_index_stays
where stay_id is null
    or person_id is null
    or discharge_date is null
    or is_index is null
    or censored is null
    or unplanned_readmit_30 is null
    or planned_readmit_30 is null
    or is_index = (exclusion_reason is not null)
    or (unplanned_readmit_30 and (readmit_stay_id is null or readmit_is_planned))
    or (readmit_stay_id is null) <> (days_to_readmit is null)
    or days_to_readmit not between 1 and 30
