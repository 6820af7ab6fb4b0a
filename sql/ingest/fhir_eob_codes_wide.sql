-- grain: one row per ExplanationOfBenefit line with codes: one column per code slot present
create or replace temp table __fhir_eob_codes_wide as
pivot __fhir_eob_codes on slot using first(value) group by __line
