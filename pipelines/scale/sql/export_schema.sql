-- grain: no rows: the columns of one table ($1) as an empty Parquet file ($2)
copy (select * from query_table($1) limit 0) to $2 (format parquet)
