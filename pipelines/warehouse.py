"""Open the DuckDB warehouse and make sure every `raw_` table exists with its contract's types."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import duckdb

from data_contracts import TABLES, load_contract
from pipelines.errors import ReadmitError

# The key of an encrypted warehouse: read here only, never kept in Settings (so never logged).
KEY_ENV = "READMIT_WAREHOUSE_KEY"
CATALOG = "warehouse"

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
    key = os.environ.get(KEY_ENV)
    if key:
        return _connect_encrypted(path, key, read_only, config)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.CatalogException as exc:
        if "encrypted" not in str(exc):
            raise
        raise WarehouseKeyError(
            f"the warehouse {path} is encrypted: set {KEY_ENV} to its key and run again"
        ) from None


class WarehouseKeyError(ReadmitError):
    """The encrypted warehouse cannot be opened (no key, a wrong key, no httpfs extension)."""


def httpfs_extension() -> Path:
    """The httpfs extension file the `duckdb-ext-httpfs` package ships for this DuckDB."""
    try:
        package = resources.files("duckdb_ext")
    except ModuleNotFoundError:
        package = Path("(duckdb_ext not installed)")
    root = Path(str(package / "extensions" / f"v{duckdb.__version__}"))
    found = sorted(root.glob("*/httpfs.duckdb_extension"))
    if not found:
        raise WarehouseKeyError(
            f"no httpfs extension for DuckDB {duckdb.__version__} under {root}: install "
            f"duckdb-ext-httpfs=={duckdb.__version__}.* (it writes encrypted databases)"
        )
    return found[0]


def _literal(text: str) -> str:
    """A SQL string literal (ATTACH and LOAD take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _connect_encrypted(
    path: Path, key: str, read_only: bool, config: dict[str, object]
) -> duckdb.DuckDBPyConnection:
    """An in-memory session with the warehouse attached encrypted (AES-GCM) as its default."""
    config = {**config, "temp_directory": f"{path}.tmp", "autoload_known_extensions": False}
    con = duckdb.connect(":memory:", config=config)
    options = ("read_only, " if read_only else "") + f"encryption_key {_literal(key)}"
    try:
        con.execute(f"load {_literal(str(httpfs_extension()))}")
        con.execute(f"attach {_literal(str(path))} as {CATALOG} ({options})")
        con.execute(f"use {CATALOG}")
    except duckdb.Error as exc:
        con.close()
        reason = str(exc).replace(key, "***")
        raise WarehouseKeyError(
            f"cannot open the encrypted warehouse {path} with the key in {KEY_ENV}: {reason}"
        ) from None
    return con


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
