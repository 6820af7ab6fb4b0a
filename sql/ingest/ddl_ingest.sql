-- The loader's bookkeeping tables (DESIGN section 14 names quarantine; the others are ours).
-- grain: one row per (file, raw table) a load wrote to, or a file it skipped or ignored
create table if not exists ingest_files (
    run_id varchar,
    extract_date date,
    table_name varchar,
    slot varchar,
    file varchar,
    checksum varchar,
    rows_in bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar,
    loaded_at timestamp
);

-- grain: one row per (rejected row, error-level rule it breaks); no values, only where and why
create table if not exists quarantine (
    run_id varchar,
    file varchar,
    row_number bigint,
    "column" varchar,
    rule varchar,
    severity varchar,
    table_name varchar
);

-- grain: one row per (run, file, raw table, rule) that found something: counts, never values
create table if not exists dq_findings (
    run_id varchar,
    file varchar,
    table_name varchar,
    rule varchar,
    "column" varchar,
    severity varchar,
    rows bigint
)
