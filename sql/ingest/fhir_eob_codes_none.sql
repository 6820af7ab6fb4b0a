-- grain: none; the file's claims carry no diagnosis or procedure codes
create or replace temp table __fhir_eob_codes_wide (__line bigint)
