-- grain: one row per acute stay missing from mart_index_stays, or index row without an acute stay
select coalesce(a.stay_id, i.stay_id) as stay_id
from mart_acute_stays as a
full outer join mart_index_stays as i on a.stay_id = i.stay_id
where a.stay_id is null or i.stay_id is null
