-- grain: one row per row of a staged source table (the FHIR adapter's flattened rows)
create or replace temp view __src as
select * from ${table}
