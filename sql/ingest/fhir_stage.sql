-- grain: one row per flattened FHIR row for one raw table, numbered (__row) for the checks
create or replace temp table ${staged} as
select row_number() over () as __row, *
from (${query})
