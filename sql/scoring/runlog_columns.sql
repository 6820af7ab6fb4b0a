-- grain: none (schema): run_log columns the nightly, score and backfill runs add
-- model_versions: JSON object task -> champion version in use when the stage ended.
-- inputs: JSON object file -> sha256 checksum of every file the run's ingest saw.
alter table run_log add column if not exists model_versions varchar;
alter table run_log add column if not exists inputs varchar;
