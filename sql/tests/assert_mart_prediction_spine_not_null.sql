-- grain: one row per spine row with a missing key field or a cutoff that breaks DESIGN section 5
select spine_id, task, person_id, as_of_date, cutoff_date
from mart_prediction_spine
where spine_id is null
    or task not in ('readmission_30d', 'admission_90d')
    or person_id is null
    or as_of_date is null
    or cutoff_date is null
    or label is null
    or censored is null
    or (task = 'readmission_30d' and (stay_id is null or cutoff_date <> as_of_date))
    or (task = 'admission_90d' and (stay_id is not null or cutoff_date <> as_of_date - 1))
