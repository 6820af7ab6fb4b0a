-- a stage of a run has ended: its status, counts and message
update run_log
set finished_at = ?, status = ?, rows_in = ?, rows_loaded = ?, rows_quarantined = ?, message = ?
where run_id = ? and stage = ? and status = 'running' and file is not distinct from ?
