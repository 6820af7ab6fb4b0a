-- Macros the FHIR adapter's SQL uses to read R4 (and Blue Button STU3) resources held as JSON.
-- A reference `Patient/123`, `urn:uuid:123` or `123` -> `123`.
create or replace temp macro readmit_ref_id(ref) as
    nullif(regexp_replace(ref, '^(.*/|urn:uuid:)', ''), '');
-- A FHIR date or dateTime -> its calendar day as written (local to the source, not shifted to UTC).
create or replace temp macro readmit_day(ts) as substr(ts, 1, 10);
-- A FHIR dateTime -> 'YYYY-MM-DD HH:MM:SS' local time (the offset is dropped, as the clock read).
create or replace temp macro readmit_moment(ts) as replace(substr(ts, 1, 19), 'T', ' ');
-- A code system URI -> the short name raw tables use; unknown systems keep their URI.
-- why: US payers (CMS Blue Button) tag ICD-10-CM diagnoses and ICD-10-PCS procedures with the
-- generic ICD-10 URI, so 'icd-10' is resolved by where the code sits (diagnosis or procedure).
create or replace temp macro readmit_code_system(uri) as case
    when uri in ('http://hl7.org/fhir/sid/icd-10', 'http://hl7.org/fhir/sid/icd-10-who') then 'icd-10'
    when uri = 'http://hl7.org/fhir/sid/icd-10-cm' then 'icd-10-cm'
    when uri in ('http://hl7.org/fhir/sid/icd-10-pcs', 'http://www.cms.gov/Medicare/Coding/ICD10')
        then 'icd-10-pcs'
    when uri = 'http://hl7.org/fhir/sid/icd-9-cm' then 'icd-9-cm'
    when uri = 'http://snomed.info/sct' then 'snomed-ct'
    when uri = 'http://loinc.org' then 'loinc'
    when uri = 'http://www.nlm.nih.gov/research/umls/rxnorm' then 'rxnorm'
    when uri = 'http://hl7.org/fhir/sid/ndc' then 'ndc'
    when uri in ('http://www.ama-assn.org/go/cpt', 'http://ama-assn.org/go/cpt') then 'cpt'
    when uri ilike '%hcpcs%' then 'hcpcs'
    else uri
end;
create or replace temp macro readmit_dx_system(uri) as
    case when readmit_code_system(uri) = 'icd-10' then 'icd-10-cm' else readmit_code_system(uri) end;
create or replace temp macro readmit_px_system(uri) as
    case when readmit_code_system(uri) = 'icd-10' then 'icd-10-pcs' else readmit_code_system(uri) end;
-- The codings of a CodeableConcept, and the one to keep: the preferred system if present, else the first.
create or replace temp macro readmit_codings(concept) as json_extract(concept, '$.coding[*]');
create or replace temp macro readmit_pick_dx(concept) as coalesce(
    [c for c in readmit_codings(concept) if readmit_dx_system(c ->> 'system') = 'icd-10-cm'][1],
    readmit_codings(concept)[1]
);
create or replace temp macro readmit_pick_px(concept) as coalesce(
    [c for c in readmit_codings(concept)
        if readmit_px_system(c ->> 'system') in ('icd-10-pcs', 'cpt', 'hcpcs')][1],
    readmit_codings(concept)[1]
);
create or replace temp macro readmit_pick(concept, system) as coalesce(
    [c for c in readmit_codings(concept) if readmit_code_system(c ->> 'system') = system][1],
    readmit_codings(concept)[1]
);
-- The extension with this URL (first one), or null.
create or replace temp macro readmit_ext(j, url) as
    [e for e in json_extract(j, '$.extension[*]') if e ->> 'url' = url][1];
-- Blue Button variables: the last path segment of a category code URL (`.../clm_freq_cd` -> `clm_freq_cd`).
create or replace temp macro readmit_var(url) as regexp_replace(url, '^.*/', '');
-- The first element of a list of JSON objects whose category coding ends in one of `names`.
create or replace temp macro readmit_by_category(items, names) as [
    i for i in items
    if len(list_intersect(
        [readmit_var(c) for c in json_extract_string(i, '$.category.coding[*].code')], names
    )) > 0
][1];
-- A NPI from an identifier, when its system says it is one.
create or replace temp macro readmit_npi(identifier) as case
    when identifier ->> 'system' = 'http://hl7.org/fhir/sid/us-npi' then identifier ->> 'value'
end;
