-- the ingest stage row of one run
select run_id, status, started_at, finished_at, rows_in, rows_loaded, rows_quarantined, message
from run_log
where run_id = $run_id and stage = 'ingest' and file is null
