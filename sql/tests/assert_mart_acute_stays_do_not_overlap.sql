-- grain: one row per pair of one person's episodes that overlap or touch on the same day
-- (the merge rules of int_acute_stay_components leave none)
select a.stay_id, b.stay_id as other_stay_id
from mart_acute_stays as a
inner join mart_acute_stays as b
    on a.person_id = b.person_id
    and a.stay_id < b.stay_id
    and a.admission_date <= b.discharge_date
    and b.admission_date <= a.discharge_date
