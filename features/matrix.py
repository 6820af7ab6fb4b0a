"""Assemble `ml_features_<task>` from the `feat_<group>` tables, and read it back for analysts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from features.checks import check_registry
from features.registry import KEY_COLUMNS, TASKS, Feature, features_for

SQL_TYPES: dict[str, str] = {"int": "INTEGER", "float": "DOUBLE", "bool": "BOOLEAN"}


def matrix_table(task: str) -> str:
    """The warehouse table holding the feature matrix of `task` (DESIGN section 14)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; known tasks: {', '.join(TASKS)}")
    return f"ml_features_{task}"


def group_table(group: str) -> str:
    """The feature SQL table of one group (`sql/features/feat_<group>.sql`)."""
    return f"feat_{group}"


def _column(feature: Feature) -> str:
    # Identifiers come from the registry, never from input data.
    table = group_table(feature.group)
    return f"cast({table}.{feature.name} as {SQL_TYPES[feature.dtype]}) as {feature.name}"


def matrix_sql(task: str) -> str:
    """The `select` (task as parameter 1) assembling the matrix: spine keys, then features."""
    features = features_for(task)
    groups = sorted({f.group for f in features})
    joins = "\n".join(
        f"inner join {group_table(g)} on sp.spine_id = {group_table(g)}.spine_id" for g in groups
    )
    columns = ",\n    ".join(_column(f) for f in features)
    return (
        f"select\n    sp.person_id,\n    sp.as_of_date,\n    {columns}\n"
        f"from mart_prediction_spine as sp\n{joins}\n"
        "where sp.task = ?\norder by sp.person_id, sp.as_of_date"
    )


def build_feature_matrices(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)create `ml_features_<task>` for every task in one transaction; returns rows per task.

    Fails before writing anything when the `feat_` tables and the registry disagree.
    """
    check_registry(con)
    rows: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for task in TASKS:
            table = matrix_table(task)
            con.execute(f"create or replace table {table} as\n{matrix_sql(task)}", [task])
            rows[task] = con.execute(f"select count(*) from {table}").fetchone()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return rows


def feature_matrix(
    warehouse: duckdb.DuckDBPyConnection | Path | str,
    task: str,
    as_of: date | str | None = None,
) -> pl.DataFrame:
    """The feature matrix of `task` (all as-of dates, or only `as_of`) as a polars DataFrame.

    `warehouse` is an open connection or the path of the DuckDB file (opened read-only).
    """
    table = matrix_table(task)
    if isinstance(warehouse, duckdb.DuckDBPyConnection):
        return _read(warehouse, table, as_of)
    path = Path(warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `readmit build` first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        return _read(con, table, as_of)
    finally:
        con.close()


def _read(con: duckdb.DuckDBPyConnection, table: str, as_of: date | str | None) -> pl.DataFrame:
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = ?", [table]
    ).fetchone()[0]
    if not exists:
        raise LookupError(f"the warehouse has no {table}; run `readmit build` first")
    keys = ", ".join(KEY_COLUMNS)
    if as_of is None:
        return con.execute(f"select * from {table} order by {keys}").pl()
    day = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    query = f"select * from {table} where as_of_date = ? order by {keys}"
    return con.execute(query, [day]).pl()
