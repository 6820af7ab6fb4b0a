-- grain: none; the drop has no Patient file, so Coverage rows carry no demographics
create or replace temp table __fhir_patient_lines (__line bigint, json json)
