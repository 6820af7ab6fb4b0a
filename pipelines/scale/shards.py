"""Shards of person rows: the driver writes them as Parquet, Dask workers score and explain them.

A person's shard is `hash(person_id) % shards` (DuckDB's hash), so every row of one person lands
in the same shard whatever the table. Worker functions here take and return file paths only; they
load the model themselves and never touch the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from models import data
from models.score import explain_rows, load_model, predict

SQL_DIR = Path(__file__).parent / "sql"
ROW_INDEX = "row_index"


def sql_text(name: str) -> str:
    """The text of `pipelines/scale/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()


@dataclass(frozen=True)
class Shard:
    """One shard of one task's rows: where its features are and how many rows it holds."""

    task: str
    index: int
    features: Path
    rows: int


def check_shards(shards: int) -> int:
    """`shards` if it is a usable shard count, else a clear error."""
    if isinstance(shards, bool) or not isinstance(shards, int) or shards < 1:
        raise ValueError(f"the shard count must be a whole number of at least 1, not {shards!r}")
    return shards


def shard_ids(con: duckdb.DuckDBPyConnection, persons: pa.Array, shards: int) -> np.ndarray:
    """The shard of each person id, computed by DuckDB exactly as the SQL splits do."""
    position = pa.array(np.arange(len(persons), dtype=np.int64))
    con.register("_shard_persons", pa.table({"person_id": persons, "position": position}))
    try:
        shard = con.execute(sql_text("shard_of"), [check_shards(shards)]).fetchnumpy()["shard"]
    finally:
        con.unregister("_shard_persons")
    return np.asarray(shard, dtype=np.int64)


def split_table(table: pa.Table, shard: np.ndarray, shards: int) -> list[pa.Table]:
    """`table` cut into `shards` tables by the shard of each row (row order kept in each)."""
    order = np.argsort(shard, kind="stable")
    bounds = np.searchsorted(shard[order], np.arange(shards + 1))
    return [table.take(order[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def export_feature_shards(
    con: duckdb.DuckDBPyConnection, task: str, keys: pa.Table, shards: int, folder: Path
) -> list[Shard]:
    """Write the feature rows named by `keys` as one Parquet file per shard, with `row_index`.

    `row_index` is each row's position in `keys`, so the driver can put results back in order.
    """
    table = data.feature_rows(con, task, keys, [])
    shard = shard_ids(con, table.column("person_id"), shards)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, part in enumerate(split_table(table, shard, shards)):
        path = folder / f"{task}_features_{i:04d}.parquet"
        pq.write_table(part, path)
        out.append(Shard(task, i, path, part.num_rows))
    return out


def score_shard(model_dir: Path, features: Path, out: Path, threads: int = 1) -> Path:
    """Worker: raw score and calibrated probability of every row of one feature shard."""
    model = load_model(model_dir)
    table = pq.read_table(features)
    raw, probability = predict(model, data.to_matrix(table, model.columns), threads)
    result = pa.table(
        {
            ROW_INDEX: table.column(ROW_INDEX),
            "person_id": table.column("person_id"),
            "as_of_date": table.column("as_of_date"),
            "probability": pa.array(probability),
            "raw_score": pa.array(raw),
        }
    )
    pq.write_table(result, out)
    return out


def explain_shard(
    model_dir: Path, features: Path, chosen: np.ndarray, out: Path, threads: int = 1
) -> Path:
    """Worker: the reasons of the rows of one feature shard whose `row_index` is in `chosen`."""
    model = load_model(model_dir)
    table = pq.read_table(features)
    wanted = pc.is_in(table.column(ROW_INDEX), value_set=pa.array(chosen, pa.int64()))
    table = table.filter(wanted)
    if table.num_rows:
        reasons = explain_rows(model, data.to_matrix(table, model.columns), threads)
    else:
        reasons = pa.array([], pa.list_(pa.string()))
    pq.write_table(pa.table({ROW_INDEX: table.column(ROW_INDEX), "reasons": reasons}), out)
    return out
