"""Read what training, evaluation and scoring need from the warehouse, as Arrow and numpy."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SQL_DIR = Path(__file__).parent / "sql"
ROWS_VIEW = "_model_rows"
KEYS = ("person_id", "as_of_date")


@cache
def sql(name: str) -> str:
    """The text of `models/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()


def features_table(task: str) -> str:
    """The feature matrix of a task (DESIGN section 14)."""
    return f"ml_features_{task}"


def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse holds a table or view called `name`."""
    query = (
        "select count(*) from (select table_name as n from duckdb_tables() "
        "union all select view_name from duckdb_views()) where n = ?"
    )
    return con.execute(query, [name]).fetchone()[0] > 0


def bind(con: duckdb.DuckDBPyConnection, task: str, **extra: str) -> None:
    """Point the SQL files' variables at `task`, its feature matrix and any `extra` values."""
    table = features_table(task)
    if not has_relation(con, table):
        raise LookupError(f"the warehouse has no {table}; run `readmit build` first")
    con.execute("set variable task = ?", [task])
    con.execute("set variable features_table = ?", [table])
    for name, value in extra.items():
        con.execute(f"set variable {name} = ?", [value])


def labelled_rows(con: duckdb.DuckDBPyConnection, task: str) -> pa.Table:
    """Keys, label and censored flag of every feature-matrix row of `task`, in key order."""
    bind(con, task)
    return con.sql(sql("labelled_rows")).to_arrow_table()


@contextmanager
def registered_rows(con: duckdb.DuckDBPyConnection, keys: pa.Table) -> Iterator[None]:
    """Expose `keys` (person_id, as_of_date) to SQL as `_model_rows` with a row_index column."""
    rows = keys.select(list(KEYS)).append_column(
        "row_index", pa.array(np.arange(keys.num_rows, dtype=np.int64))
    )
    con.register(ROWS_VIEW, rows)
    try:
        yield
    finally:
        con.unregister(ROWS_VIEW)


def feature_rows(
    con: duckdb.DuckDBPyConnection, task: str, keys: pa.Table, columns: Sequence[str]
) -> pa.Table:
    """The feature columns of the rows named by `keys`, in the order of `keys`."""
    bind(con, task)
    with registered_rows(con, keys):
        table = con.sql(sql("feature_rows")).to_arrow_table()
    if table.num_rows != keys.num_rows:
        raise LookupError(
            f"{features_table(task)} lacks {keys.num_rows - table.num_rows} of the requested rows"
        )
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise LookupError(
            f"{features_table(task)} has no column(s) {', '.join(missing)}; the model needs them "
            "(rebuild features with `readmit build`, or retrain)"
        )
    return table


def attributes(con: duckdb.DuckDBPyConnection, task: str, keys: pa.Table) -> pa.Table | None:
    """Sex, age band, race/ethnicity and payer type of the rows named by `keys`, or None when
    the warehouse lacks the SQL layer's demographics tables."""
    needed = ("int_feat_person_attributes", "int_person_demographics")
    if not all(has_relation(con, name) for name in needed):
        return None
    bind(con, task)
    with registered_rows(con, keys):
        return con.sql(sql("fairness_attributes")).to_arrow_table()


def oracle_rows(
    con: duckdb.DuckDBPyConnection, task: str, keys: pa.Table, truth_path: Path
) -> pa.Table:
    """row_index and true_probability of the rows of `keys` the generator's truth file holds."""
    if not Path(truth_path).exists():
        raise FileNotFoundError(f"truth file {truth_path} does not exist")
    bind(con, task, truth_path=str(truth_path))
    with registered_rows(con, keys):
        return con.sql(sql("oracle_rows")).to_arrow_table()


def fingerprint(con: duckdb.DuckDBPyConnection, task: str) -> dict:
    """Row count and content hashes of the task's feature matrix and labels."""
    bind(con, task)
    rows, features_hash, labels_hash = con.sql(sql("fingerprint")).fetchone()
    return {"feature_rows": rows, "features_hash": features_hash, "labels_hash": labels_hash}


def to_matrix(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """A float64 column-major matrix of `columns` (nulls as NaN, booleans as 0/1) for LightGBM."""
    # column-major: each column is one contiguous write (row-major took ~10x longer, strided
    # writes); LightGBM reads either layout without a copy and gives identical results
    out = np.empty((table.num_rows, len(columns)), dtype=np.float64, order="F")
    for j, name in enumerate(columns):
        col = pc.cast(table.column(name), pa.float64())
        out[:, j] = col.to_numpy(zero_copy_only=False)
    return out


def column(table: pa.Table, name: str, dtype: str = "float64") -> np.ndarray:
    """One column as numpy (nulls as NaN for floats)."""
    return pc.cast(table.column(name), pa.float64()).to_numpy(zero_copy_only=False).astype(dtype)
