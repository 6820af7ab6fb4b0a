-- grain: none (update): the model versions (and inputs) of one stage row of a run
update run_log
set model_versions = ?, inputs = coalesce(?, inputs)
where run_id = ? and stage = ? and file is null
