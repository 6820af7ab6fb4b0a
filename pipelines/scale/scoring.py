"""Score the nightly cohort on a Dask cluster, shard by shard, with the same result as one process.

Per task: the driver exports the cohort's feature rows as Parquet shards; workers compute raw
scores and probabilities; the driver picks the rows that get reasons (the top share of the whole
cohort, as `models.score` does); workers explain those rows; the driver tiers the whole cohort
(tiers are shares of everyone, so never per shard) and appends to `ml_scores`.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client

from models.registry import champion_dir
from models.score import REASONS_SHARE, explained_share, top_rows
from models.tasks import TASKS
from models.tiers import TierThresholds, assign_tiers
from pipelines import scoring
from pipelines.scale.shards import (
    ROW_INDEX,
    Shard,
    check_shards,
    explain_shard,
    export_feature_shards,
    score_shard,
)
from sql.scoring import sql_text

log = logging.getLogger("readmit.scale")


def score_run_sharded(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    models_root: Path,
    thresholds: TierThresholds,
    client: Client,
    shards: int,
    workdir: Path,
    threads: int = 1,
    kind: str = "nightly",
) -> dict[str, dict]:
    """`pipelines.scoring.score_run` with the per-person work on `client`'s workers."""
    if kind not in scoring.RUN_KINDS:
        raise ValueError(f"kind must be one of {scoring.RUN_KINDS}, not {kind!r}")
    check_shards(shards)
    scoring.ensure_scores_table(con)
    con.execute("delete from ml_scores where run_id = ?", [run_id])
    scoring._bind_run(con, run_id, kind)
    out: dict[str, dict] = {}
    try:
        for task in TASKS:
            model_dir = champion_dir(models_root, task)
            if model_dir is None:
                log.warning("run %s: no champion model for %s; not scored", run_id, task)
                continue
            scoring._bind_task(con, task, model_dir)
            out[task] = _score_task(
                con, task, model_dir, thresholds, client, shards, workdir, threads
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def _score_task(
    con: duckdb.DuckDBPyConnection,
    task: str,
    model_dir: Path,
    thresholds: TierThresholds,
    client: Client,
    shards: int,
    workdir: Path,
    threads: int,
) -> dict:
    keys = con.sql(sql_text("cohort")).to_arrow_table()
    if keys.num_rows == 0:
        return {"rows": 0, "seconds": 0.0, "model_version": model_dir.name, "shards": shards}
    parts = export_feature_shards(con, task, keys, shards, workdir / task)
    started = time.perf_counter()
    share = explained_share(thresholds)
    scored = score_shards(client, model_dir, parts, threads, share)
    seconds = time.perf_counter() - started
    previous_rows = con.sql(sql_text("previous")).to_arrow_table()
    previous = scoring._aligned(scored.column("person_id"), previous_rows)
    tiers = assign_tiers(scored.column("probability").to_numpy(), previous, thresholds)
    scored_rows = scored.append_column("tier", pa.array(tiers, pa.int8()))
    with scoring._registered(con, scored_rows=scored_rows, previous_rows=previous_rows):
        con.execute(sql_text("insert"))
    log.info("scored %s rows of %s in %s shards", scored.num_rows, task, shards)
    return {
        "rows": scored.num_rows,
        "seconds": round(seconds, 3),
        "model_version": model_dir.name,
        "shards": shards,
        **scoring._tier_counts(tiers),
    }


def score_shards(
    client: Client,
    model_dir: Path,
    parts: list[Shard],
    threads: int = 1,
    reasons_share: float = REASONS_SHARE,
) -> pa.Table:
    """Score and explain feature shards on the cluster: rows in `row_index` order, with the
    columns of `models.score.score_table`."""
    outs = [p.features.with_name(p.features.stem + "_scores.parquet") for p in parts]
    futures = client.map(
        score_shard,
        [model_dir] * len(parts),
        [p.features for p in parts],
        outs,
        [threads] * len(parts),
        pure=False,
    )
    scored = _in_row_order(pa.concat_tables(pq.read_table(p) for p in client.gather(futures)))
    chosen = top_rows(scored.column("probability").to_numpy(), reasons_share)
    reasons = explain_chosen(client, model_dir, parts, chosen, scored.num_rows, threads)
    return scored.drop_columns([ROW_INDEX]).append_column("reasons", reasons)


def _in_row_order(table: pa.Table) -> pa.Table:
    table = table.sort_by(ROW_INDEX)
    index = table.column(ROW_INDEX).to_numpy()
    if not np.array_equal(index, np.arange(table.num_rows)):
        raise RuntimeError("sharded scoring lost or repeated rows; the shard files are incomplete")
    return table


def explain_chosen(
    client: Client,
    model_dir: Path,
    parts: list[Shard],
    chosen: np.ndarray,
    rows: int,
    threads: int = 1,
) -> pa.Array:
    """Reasons for the `chosen` row positions (explained on the workers), null for other rows."""
    if len(chosen) == 0:
        return pa.nulls(rows, pa.list_(pa.string()))
    outs = [p.features.with_name(p.features.stem + "_reasons.parquet") for p in parts]
    futures = client.map(
        explain_shard,
        [model_dir] * len(parts),
        [p.features for p in parts],
        [chosen] * len(parts),
        outs,
        [threads] * len(parts),
        pure=False,
    )
    explained = pa.concat_tables(pq.read_table(p) for p in client.gather(futures))
    slot = np.full(rows, -1, dtype=np.int64)
    slot[explained.column(ROW_INDEX).to_numpy()] = np.arange(explained.num_rows)
    reasons = explained.column("reasons").combine_chunks()
    return reasons.take(pa.array(slot, mask=slot < 0))
