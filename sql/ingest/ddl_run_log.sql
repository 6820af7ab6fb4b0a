-- grain: one row per stage of a run (and per file a load wrote), the history every stage appends to
create table if not exists run_log (
    run_id varchar,
    stage varchar,
    started_at timestamp,
    finished_at timestamp,
    status varchar,
    rows_in bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    message varchar,
    file varchar,
    table_name varchar,
    checksum varchar,
    code_version varchar
)
