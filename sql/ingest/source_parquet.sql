-- grain: one row per row of the Parquet file in getvariable('readmit_file'), every column cast
-- to text so the same rules and casts apply as for CSV; __row and __line count rows from 1
create or replace temp view __src as
select
    file_row_number + 1 as __row,
    file_row_number + 1 as __line,
    columns(* exclude (file_row_number))::varchar
from read_parquet(getvariable('readmit_file'), file_row_number = true)
