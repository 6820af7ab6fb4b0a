-- stages left `running` by a run that no longer holds the lock were interrupted (kill, crash)
update run_log
set finished_at = ?, status = 'failed', message = ?
where status = 'running' and run_id <> ?
