-- grain: one row per (task, person_id, as_of_date) or spine_id that appears more than once
select task, person_id, as_of_date, count(*) as copies
from mart_prediction_spine
group by task, person_id, as_of_date
having count(*) > 1
union all
select 'spine_id', spine_id, null, count(*)
from mart_prediction_spine
group by spine_id
having count(*) > 1
