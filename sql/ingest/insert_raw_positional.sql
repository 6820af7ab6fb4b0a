-- Load every row of a CSV source into a raw table in file order, typed per contract, with lineage
-- (DESIGN section 12); number_rows.sql then numbers them and drop_quarantined.sql takes out the
-- rows that broke an error-level rule, all in the load's transaction
insert into ${table} (${targets}, _source_file, _checksum, _row_number, _run_id, _extract_date)
select
    ${values},
    getvariable('readmit_label'),
    getvariable('readmit_checksum'),
    null,
    getvariable('readmit_run_id'),
    getvariable('readmit_extract_date')
from __src_plain as s
