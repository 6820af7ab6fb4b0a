-- grain: one row per stay_id that appears more than once in mart_acute_stays
select stay_id, count(*) as copies
from mart_acute_stays
group by stay_id
having count(*) > 1
