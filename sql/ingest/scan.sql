-- grain: one row per data row of the source being checked: its ids and, with the DuckDB engine,
-- one failure bitmask per 64 row-level rules (narrow: the file itself is not copied)
create or replace temp table __scan_rows as
select
    __row,
    __line${columns}
from __src;

-- grain: one row per data row of the source (a view, as for CSV sources: scan_numbered.sql)
create or replace temp view __scan as
select * from __scan_rows
