-- grain: one row per data row of the CSV file in getvariable('readmit_file'), every column as
-- delivered (text), in file order. `__src_plain` has no row numbers, so DuckDB reads it on every
-- thread (order-preserving writes number the rows: see scan_positional.sql); `__src` adds __row
-- and __line (data rows from 1, the header not counted) for the Great Expectations engine
create or replace temp view __src_plain as
select *
from read_csv(
    getvariable('readmit_file'),
    columns = getvariable('readmit_columns'),
    header = true,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    strict_mode = true,
    max_line_size = 16777216
);

create or replace temp view __src as
select __row, __row as __line, * exclude (__row)
from (select row_number() over () as __row, * from __src_plain)
