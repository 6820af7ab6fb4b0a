-- the latest rows of one stage, newest first
select run_id, stage, started_at, finished_at, status, rows_in, rows_loaded, rows_quarantined, message
from run_log
where stage = ? and file is null
order by started_at desc
limit ?
