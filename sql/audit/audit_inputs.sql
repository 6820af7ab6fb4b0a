-- grain: one row per extract file the warehouse currently holds rows from (the run's inputs)
select
    file as name,
    any_value(checksum) as sha256
from ingest_files
where status = 'loaded'
group by file
order by file
