-- Load the rows of __src that break no error-level rule into a raw table, typed per contract,
-- with lineage (DESIGN section 12): source file, checksum, data row number, run id, extract date.
insert into ${table} (${targets}, _source_file, _checksum, _row_number, _run_id, _extract_date)
select
    ${values},
    getvariable('readmit_label'),
    getvariable('readmit_checksum'),
    s.__line,
    getvariable('readmit_run_id'),
    getvariable('readmit_extract_date')
from __src as s
where not exists (select 1 from __quarantined as q where q.__row = s.__row)
