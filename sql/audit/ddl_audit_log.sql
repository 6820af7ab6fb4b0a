-- grain: one row per (run, input or output file) plus one row per run with no files; who ran it
create table if not exists audit_log (
    run_id varchar,
    recorded_at timestamp,
    os_user varchar,
    host varchar,
    command varchar,
    status varchar,
    message varchar,
    direction varchar,
    name varchar,
    sha256 varchar,
    bytes bigint,
    code_version varchar
)
