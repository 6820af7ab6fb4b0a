-- the files currently loaded for one slot (table or FHIR file name) of one extract date
select distinct file
from ingest_files
where extract_date = ? and slot = ? and status = 'loaded'
