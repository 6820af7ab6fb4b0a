-- grain: none (delete): earlier backfill rows of one task in the range, replaced by this backfill
-- why: a backfill is idempotent: re-running a range leaves one backfilled row per person and date.
delete from ml_scores
where run_kind = 'backfill'
    and task = getvariable('score_task')
    and as_of_date between getvariable('backfill_from') and getvariable('backfill_to')
