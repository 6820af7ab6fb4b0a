-- grain: one row per row of _shard_persons (registered by the caller), in its order
-- why: DuckDB's hash of person_id decides the shard, so every table of one person shares it
select hash(person_id) % $1 as shard
from _shard_persons
order by position
