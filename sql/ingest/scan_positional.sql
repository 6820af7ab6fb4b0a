-- grain: one row per data row of a CSV source, in file order: one failure bitmask per 64 row-level
-- rules and a hash of one text column (to check the load kept the same order). An order-preserving
-- create-table-as reads the file on every thread, which a row_number() window would not allow,
-- so the row ids follow the file (scan_numbered.sql turns them into row numbers)
create or replace temp table __scan_masks as
select
    ${check} as __check${columns}
from __src_plain
