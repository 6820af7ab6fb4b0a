"""Open the DuckDB warehouse and make sure every `raw_` table exists with its contract's types."""

from __future__ import annotations

from pathlib import Path

import duckdb

from data_contracts import TABLES, load_contract

# Lineage carried by every raw row (DESIGN section 12: no row disappears silently).
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_source_file", "VARCHAR"),
    ("_checksum", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_run_id", "VARCHAR"),
    ("_extract_date", "DATE"),
)


def connect(
    path: Path | str,
    read_only: bool = False,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file (created if missing) with the given resource limits."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, object] = {}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    return duckdb.connect(str(path), read_only=read_only, config=config)


def raw_table_ddl(table: str) -> str:
    """The `create table if not exists` statement for `raw_<table>`."""
    contract = load_contract(table)
    cols = [f'"{c.name}" {c.duckdb_type}' for c in contract.columns]
    cols += [f'"{name}" {typ}' for name, typ in LINEAGE_COLUMNS]
    return f"create table if not exists raw_{table} ({', '.join(cols)})"


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every missing `raw_` table, empty, so SQL runs on any subset of extracts."""
    for table in TABLES:
        con.execute(raw_table_ddl(table))
