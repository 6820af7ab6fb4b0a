-- grain: one row: how many tables of this name the open database has
select count(*) from duckdb_tables() where table_name = ?
