-- grain: one row per data row of the CSV file in getvariable('readmit_file'), every column as
-- delivered (text); __row and __line count data rows from 1 (the header is not counted)
create or replace temp view __src as
select __row, __row as __line, * exclude (__row)
from (
    select row_number() over () as __row, *
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
    )
)
