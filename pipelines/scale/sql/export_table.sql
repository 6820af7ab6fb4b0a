-- grain: one row per row of one table ($1), written as one Parquet file ($2)
copy (select * from query_table($1)) to $2 (format parquet)
