-- grain: none (schema): columns added after ml_scores first shipped, for warehouses made earlier
-- run_kind: which command wrote the row (nightly, score or backfill).
alter table ml_scores add column if not exists run_kind varchar
