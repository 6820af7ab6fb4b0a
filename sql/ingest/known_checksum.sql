-- is a file with this content currently taken in (loaded, or kept as an empty re-delivery)?
-- A superseded version delivered again is not "known": it replaces what superseded it.
select count(*) > 0 from ingest_files where checksum = ? and status in ('loaded', 'empty')
