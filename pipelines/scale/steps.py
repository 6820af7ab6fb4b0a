"""The nightly build, models and score steps with their per-person work on a Dask cluster.

Same contracts as `step_build`, `step_models` and `step_score` of `pipelines.nightly` (run log
stages, one transaction per warehouse change), plus a Dask client and a shard count. The driver
keeps the warehouse; the workers see only Parquet files under `<workspace>/shards/<run_id>/`, so
with a remote cluster the workspace must be on storage every worker mounts at the same path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import duckdb
from distributed import Client, LocalCluster

from features.registry import features_for
from models import data as model_data
from models.pipeline import TrainConfig, train_task
from models.register import register
from models.registry import champion_dir
from models.tasks import TASKS, get_task
from pipelines import nightly as steps
from pipelines.runlog import code_version
from pipelines.scale.features import build_features_sharded
from pipelines.scale.scoring import score_run_sharded
from pipelines.scale.shards import check_shards
from pipelines.scale.training import fit_booster_dask
from pipelines.scoring import champion_versions
from pipelines.settings import Settings
from pipelines.warehouse import ensure_raw_tables
from sql import runner
from sql.catalog import discover
from sql.reference import load_reference
from sql.reference_comorbidity import load_comorbidity_reference

log = logging.getLogger("readmit.scale")

# Read outside the SQL layers (index-stay query, fairness attributes), so the driver builds it.
DRIVER_EXTRAS = ("int_feat_person_attributes",)


@contextmanager
def dask_client(
    address: str | None = None,
    workers: int = 2,
    threads_per_worker: int = 1,
    processes: bool = True,
) -> Iterator[Client]:
    """A client of the cluster at `address`, or of a local cluster of `workers` workers."""
    if address:
        with Client(address) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def driver_targets() -> list[str]:
    """What the driver builds itself: every mart (with its upstream) and `DRIVER_EXTRAS`."""
    return sorted(n for n in discover() if n.startswith("mart_")) + list(DRIVER_EXTRAS)


def drop_worker_relations(con: duckdb.DuckDBPyConnection, built: list[str]) -> list[str]:
    """Drop the relations only the workers build (left from an earlier single-process build),
    so the warehouse never holds feature tables older than its `ml_features_<task>`."""
    stale = set(discover()) - set(built)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    views = {r[0] for r in con.execute("select view_name from duckdb_views()").fetchall()}
    with steps.transaction(con):
        for name in sorted(stale & views):  # names come from our own SQL catalog
            con.execute(f"drop view {name}")
        for name in sorted(stale & tables):
            con.execute(f"drop table {name}")
    return sorted(stale & (tables | views))


def shard_dir(settings: Settings, run_id: str, stage: str) -> Path:
    """Where one stage of one run keeps its shard files (deleted when the stage ends)."""
    return settings.workspace / "shards" / run_id / stage


def _tidy(settings: Settings, run_id: str) -> None:
    """Remove the run's shard folder and `shards/` once they are empty."""
    for folder in (settings.workspace / "shards" / run_id, settings.workspace / "shards"):
        try:
            folder.rmdir()
        except OSError:  # not empty (another stage's files) or already gone
            pass


def step_build_sharded(settings: Settings, run_id: str, shards: int, *, client: Client) -> dict:
    """Build the marts on the driver and the feature matrices shard by shard on the cluster."""
    check_shards(shards)
    models_root = settings.workspace / "models"
    with steps.warehouse(settings) as con, steps.stage(con, run_id, "build", models_root) as counts:
        ensure_raw_tables(con)
        load_reference(con)
        load_comorbidity_reference(con)
        result = runner.build(con, targets=driver_targets(), passes=settings.build_person_passes)
        drop_worker_relations(con, result.relations)
        failing = [n for n, rows in runner.run_assertions(con, skip_missing=True) if rows]
        if failing:
            raise RuntimeError(f"SQL assertions found offending rows: {', '.join(failing)}")
        threads = settings.duckdb_threads or 1
        matrices = build_features_sharded(
            con,
            client,
            shards,
            shard_dir(settings, run_id, "build"),
            threads,
            settings.duckdb_memory_limit,
        )
        counts["rows_loaded"] = sum(v or 0 for v in result.rows.values())
        counts["message"] = (
            f"{len(result.rows)} relations on the driver; feature rows {matrices} "
            f"from {shards} shards"
        )
    _tidy(settings, run_id)
    log.info("run %s build: features in %s shards", run_id, shards)
    return {"relations": len(result.rows), "shards": shards}


def step_score_sharded(
    settings: Settings, run_id: str, shards: int, kind: str = "nightly", *, client: Client
) -> dict:
    """Score every eligible person shard by shard; tiers and `ml_scores` as `step_score`."""
    models_root = settings.workspace / "models"
    with steps.warehouse(settings) as con, steps.stage(con, run_id, "score", models_root) as counts:
        with steps.transaction(con):
            per_task = score_run_sharded(
                con,
                run_id,
                models_root,
                steps.tier_thresholds(settings),
                client,
                shards,
                shard_dir(settings, run_id, "score"),
                settings.duckdb_threads or 1,
                kind,
            )
        counts["rows_loaded"] = sum(t["rows"] for t in per_task.values())
        counts["message"] = f"{shards} shards; " + "; ".join(
            f"{k}: {v['rows']} rows" for k, v in per_task.items()
        )
    _tidy(settings, run_id)
    log.info("run %s score: %s", run_id, {k: v["rows"] for k, v in per_task.items()})
    return per_task


def step_models_sharded(
    settings: Settings,
    run_id: str,
    truth: Path | None = None,
    retrain: bool = False,
    *,
    client: Client,
) -> dict:
    """`pipelines.nightly.step_models` with the boosters trained by `lightgbm.dask`."""
    models_root = settings.workspace / "models"
    trained: dict[str, str] = {}
    with (
        steps.warehouse(settings) as con,
        steps.stage(con, run_id, "models", models_root) as counts,
    ):
        for task in TASKS:
            if champion_dir(models_root, task) is not None and not retrain:
                continue
            log.info("run %s: training %s on the Dask cluster", run_id, task)
            trained[task] = train_and_register_dask(con, task, models_root, settings, client, truth)
        counts["message"] = "lightgbm.dask; " + steps._trained_message(
            trained, champion_versions(models_root)
        )
    return trained


def train_and_register_dask(
    con: duckdb.DuckDBPyConnection,
    task: str,
    models_root: Path,
    settings: Settings,
    client: Client,
    truth: Path | None = None,
) -> str:
    """Train one task with `lightgbm.dask`, register it (promoted only if no worse)."""
    threads = settings.duckdb_threads or 1
    fitter = partial(fit_booster_dask, client)
    config = TrainConfig(seed=settings.seed, threads=threads, fitter=fitter)
    result = train_task(con, get_task(task), features_for(task), config, truth)
    registered = register(
        con,
        result,
        models_root,
        datetime.now(UTC),
        {"readmit": code_version(), "trainer": "lightgbm.dask"},
        model_data.fingerprint(con, task),
        threads,
    )
    return registered.version
