-- grain: one row per line of the NDJSON file in getvariable('readmit_file'), as JSON, numbered
-- from 1; __fhir_lines keeps the lines of the resource type the file name announces
create or replace temp table __fhir_all_lines as
select row_number() over () as __line, json
from read_ndjson_objects(getvariable('readmit_file'), maximum_object_size = 268435456);

create or replace temp table __fhir_lines as
select __line, json
from __fhir_all_lines
where json ->> 'resourceType' = getvariable('readmit_resource')
