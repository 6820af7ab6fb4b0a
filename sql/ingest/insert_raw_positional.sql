-- Load the rows of a CSV source that break no error-level rule (the rule scan's verdict,
-- recomputed on the same text) into a raw table in file order, typed per contract, with lineage
-- (DESIGN section 12); number_rows.sql / number_rows_gaps.sql then number them
insert into ${table} (${targets}, _source_file, _checksum, _row_number, _run_id, _extract_date)
select
    ${values},
    getvariable('readmit_label'),
    getvariable('readmit_checksum'),
    null,
    getvariable('readmit_run_id'),
    getvariable('readmit_extract_date')
from __src_plain as s
where ${keep}
