"""Build the feature matrices shard by shard on a Dask cluster, equal to the single-process build.

The driver exports every person-level loaded table (`raw_*` with a person_id) split by shard,
and the shared tables (reference sets, area deprivation, case managers) whole, as Parquet. Each
worker loads its shard into a private DuckDB file, builds the SQL layers up to the `feat_` tables
with the data window of the whole warehouse (so every shard uses the same as-of months and
censoring date), assembles `ml_features_<task>`, runs the SQL assertions and writes Parquet. The
driver replaces `ml_features_<task>` from those files in one transaction.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from distributed import Client

from features.matrix import build_feature_matrices, matrix_table
from features.registry import TASKS
from pipelines.scale.shards import check_shards, sql_text
from sql import runner
from sql.catalog import discover

log = logging.getLogger("readmit.scale")

NAME = re.compile(r"^(raw|ref)_[a-z0-9_]+$")
WINDOW = ("data_end_date", "first_month_start", "last_month_start")


@dataclass(frozen=True)
class ShardInputs:
    """The Parquet files one worker loads: table name -> files (schema file first)."""

    index: int
    tables: dict[str, list[str]]


def feature_targets() -> list[str]:
    """The relations a feature build needs: every `feat_` table and the prediction spine."""
    return sorted(n for n in discover() if n.startswith("feat_")) + ["mart_prediction_spine"]


def window_variables(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The whole warehouse's data window (built by the driver), for every shard to share."""
    row = con.execute(f"select {', '.join(WINDOW)} from int_data_window").fetchone()
    return dict(zip(WINDOW, row, strict=True))


def _checked(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"unexpected table name {name!r}; only raw_ and ref_ tables are exported")
    return name


def export_inputs(con: duckdb.DuckDBPyConnection, shards: int, folder: Path) -> list[ShardInputs]:
    """Write the loaded tables as Parquet: person tables split by shard, the others whole."""
    check_shards(shards)
    folder.mkdir(parents=True, exist_ok=True)
    common: dict[str, list[str]] = {}
    split: dict[str, Path] = {}
    for name, per_person in con.execute(sql_text("person_tables")).fetchall():
        name = _checked(name)
        if per_person:
            schema = folder / f"{name}_schema.parquet"
            con.execute(sql_text("export_schema"), [name, str(schema)])
            con.execute(sql_text("export_person_shards"), [name, shards, str(folder / name)])
            split[name] = schema
        else:
            path = folder / f"{name}.parquet"
            con.execute(sql_text("export_table"), [name, str(path)])
            common[name] = [str(path)]
    return [
        ShardInputs(i, {**common, **{n: _shard_files(s, folder / n, i) for n, s in split.items()}})
        for i in range(shards)
    ]


def _shard_files(schema: Path, table_dir: Path, index: int) -> list[str]:
    """The schema file, then the shard's data files (none when the shard has no rows)."""
    return [str(schema)] + sorted(str(p) for p in (table_dir / f"_shard={index}").glob("*.parquet"))


def build_feature_shard(
    inputs: ShardInputs,
    variables: dict[str, object],
    out_dir: Path,
    threads: int = 1,
    memory_limit: str | None = None,
) -> dict[str, str]:
    """Worker: build one shard's feature matrices; Parquet path per task.

    Fails (naming them) when SQL assertions find offending rows in the shard.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / f"shard_{inputs.index:04d}.duckdb"
    db.unlink(missing_ok=True)
    config: dict[str, object] = {"threads": threads}
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(str(db), config=config)
    con.execute("set enable_progress_bar = false")
    try:
        for name, files in inputs.tables.items():
            con.execute(f"create table {_checked(name)} as select * from read_parquet(?)", [files])
        runner.build(con, targets=feature_targets(), variables=variables)
        failing = [n for n, rows in runner.run_assertions(con, skip_missing=True) if rows]
        if failing:
            raise RuntimeError(
                f"shard {inputs.index}: SQL assertions found offending rows: {', '.join(failing)}"
            )
        build_feature_matrices(con)
        out = {}
        for task in TASKS:
            path = out_dir / f"{matrix_table(task)}_{inputs.index:04d}.parquet"
            con.execute(sql_text("export_table"), [matrix_table(task), str(path)])
            out[task] = str(path)
        return out
    finally:
        con.close()
        db.unlink(missing_ok=True)


def build_features_sharded(
    con: duckdb.DuckDBPyConnection,
    client: Client,
    shards: int,
    workdir: Path,
    threads: int = 1,
    memory_limit: str | None = None,
) -> dict[str, int]:
    """Build `ml_features_<task>` on `client`'s workers; rows per task.

    The driver must already hold `int_data_window` (build the marts first).
    """
    variables = window_variables(con)
    try:
        started = time.perf_counter()
        inputs = export_inputs(con, shards, workdir / "inputs")
        log.info("exported %s shards in %.1f s", shards, time.perf_counter() - started)
        futures = client.map(
            build_feature_shard,
            inputs,
            [variables] * shards,
            [workdir / f"shard_{i:04d}" for i in range(shards)],
            [threads] * shards,
            [memory_limit] * shards,
            pure=False,
        )
        built = client.gather(futures)
        return merge_features(con, {t: [b[t] for b in built] for t in TASKS})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def merge_features(con: duckdb.DuckDBPyConnection, files: dict[str, list[str]]) -> dict[str, int]:
    """Replace every `ml_features_<task>` from the shards' Parquet files in one transaction."""
    rows: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for task, paths in files.items():
            table = matrix_table(task)
            con.execute(f"create or replace table {table} as {sql_text('merge_features')}", [paths])
            rows[task] = con.execute(f"select count(*) from {table}").fetchone()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return rows
