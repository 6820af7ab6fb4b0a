-- grain: one row per Patient resource in the drop's Patient files (getvariable('readmit_patient_files')),
-- the demographics Coverage rows borrow
create or replace temp table __fhir_patient_lines as
select row_number() over () as __line, json
from read_ndjson_objects(getvariable('readmit_patient_files'), maximum_object_size = 268435456)
where json ->> 'resourceType' = 'Patient'
