-- grain: one row per spine row of one task: the shards' feature rows ($1: their Parquet files)
select *
from read_parquet($1)
order by person_id, as_of_date
