-- drop the rows an earlier version of a re-delivered file loaded
delete from ${table} where list_contains(getvariable('readmit_replaced_files'), _source_file)
