-- grain: one row per row of one person-level table ($1), written to the Parquet folder of its shard
-- why: a person's shard is hash(person_id) % shards, so all of one person's rows meet in one shard
copy (
    select *, hash(person_id) % $2 as _shard
    from query_table($1)
) to $3 (format parquet, partition_by (_shard), overwrite_or_ignore)
