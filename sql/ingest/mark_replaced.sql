-- earlier versions a corrected re-delivery replaced
update ingest_files
set status = 'replaced'
where status = 'loaded' and list_contains(getvariable('readmit_replaced_files'), file)
