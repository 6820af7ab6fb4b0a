-- grain: one row per data row of the source: its number and line (from 1, the header not counted)
create or replace temp view __scan as
select
    rowid - getvariable('readmit_scan_first_rowid') + 1 as __row,
    rowid - getvariable('readmit_scan_first_rowid') + 1 as __line,
    *
from __scan_masks
