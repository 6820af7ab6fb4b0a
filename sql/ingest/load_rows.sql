-- grain: one row per raw row this load inserted: its row id, line, key hash (null when every key
-- column is empty) for the cross-row rules, which run on the typed rows once they are in
create or replace temp table __load_rows as
select
    rowid as rid,
    _row_number as line,
    case when ${any_key} then hash(${key}) end as key_hash
from ${raw_table}
where _source_file = getvariable('readmit_label')
    and _checksum = getvariable('readmit_checksum')
    and _run_id = getvariable('readmit_run_id')
