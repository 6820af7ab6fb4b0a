"""Scale-out past one machine: per-person work split into shards by a hash of person_id.

The driver (the process holding the warehouse) exports each shard's rows as Parquet, Dask workers
do the per-person work on those files only (they never open the DuckDB file), and the driver
merges their Parquet results back into the warehouse in one transaction (DESIGN section 11).
"""
