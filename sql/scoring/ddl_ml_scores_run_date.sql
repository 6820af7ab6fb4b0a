-- grain: none (schema): the night a score belongs to, for warehouses made before it existed
-- run_date: the day after the last day of complete data; re-runs of one night share it.
alter table ml_scores add column if not exists run_date date
