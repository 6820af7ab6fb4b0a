"""The nightly run's steps as plain functions: each opens the warehouse, does one stage, logs it.

The Prefect flow in `pipelines/flows.py` only orders these calls; tests and notebooks can call
them directly. Steps pass the workspace path and the run id, never data.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from features.matrix import build_feature_matrices
from features.registry import features_for
from models import data as model_data
from models.pipeline import TrainConfig, train_task
from models.register import register
from models.registry import champion_dir
from models.tasks import TASKS, get_task
from pipelines.errors import ReadmitError
from pipelines.ingest.driver import ingest_landing
from pipelines.lock import run_lock
from pipelines.runlog import code_version, finish_stage, new_run_id, record_context, start_stage
from pipelines.scoring import NoChampionError, backfill_run, champion_versions, score_run
from pipelines.settings import Settings
from pipelines.warehouse import connect, ensure_raw_tables
from sql import runner
from sql.reference import load_reference
from sql.reference_comorbidity import load_comorbidity_reference

log = logging.getLogger("readmit.nightly")

Progress = Callable[[str], None]


@contextmanager
def warehouse(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse connection with the configured threads and memory limit."""
    con = connect(
        settings.warehouse,
        read_only=read_only,
        threads=settings.duckdb_threads,
        memory_limit=settings.duckdb_memory_limit,
    )
    try:
        yield con
    finally:
        con.close()


@contextmanager
def stage(
    con: duckdb.DuckDBPyConnection, run_id: str, name: str, models_root: Path | None = None
) -> Iterator[dict]:
    """Log a stage's start and end in `run_log`; the body fills the dict with counts.

    With `models_root`, the row also records the champion versions in use when the stage ended.
    """
    counts: dict = {}
    start_stage(con, run_id, name)
    try:
        yield counts
    except BaseException as exc:
        finish_stage(con, run_id, name, status="failed", message=str(exc)[:500])
        _note_models(con, run_id, name, models_root)
        raise
    finish_stage(
        con,
        run_id,
        name,
        rows_in=counts.get("rows_in"),
        rows_loaded=counts.get("rows_loaded"),
        message=counts.get("message"),
    )
    _note_models(con, run_id, name, models_root)


def _note_models(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    name: str,
    models_root: Path | None,
    inputs: dict[str, str] | None = None,
) -> None:
    if models_root is not None:
        record_context(con, run_id, name, champion_versions(models_root), inputs)


def step_ingest(settings: Settings, landing: Path, run_id: str) -> dict:
    """Validate and load every new drop under `landing` (the ingest stage logs itself)."""
    with warehouse(settings) as con:
        ensure_raw_tables(con)
        result = ingest_landing(con, landing, run_id, max_bad_share=settings.max_bad_row_share)
        inputs = {f.file: f.checksum for f in result.files if f.checksum}
        _note_models(con, run_id, "ingest", settings.workspace / "models", inputs)
    counts = {
        "files": len(result.files),
        "rows_in": result.total("rows_in"),
        "rows_loaded": result.total("rows_loaded"),
        "rows_quarantined": result.total("rows_quarantined"),
    }
    log.info("run %s ingest: %s", run_id, counts)
    return counts


def step_build(settings: Settings, run_id: str) -> dict:
    """Rebuild staging through features in one transaction, then run the SQL assertions."""
    models_root = settings.workspace / "models"
    with warehouse(settings) as con, stage(con, run_id, "build", models_root) as counts:
        ensure_raw_tables(con)
        load_reference(con)
        load_comorbidity_reference(con)
        result = runner.build(con, passes=settings.build_person_passes)
        matrices = build_feature_matrices(con)
        failing = [n for n, rows in runner.run_assertions(con, skip_missing=True) if rows]
        if failing:
            raise RuntimeError(f"SQL assertions found offending rows: {', '.join(failing)}")
        counts["rows_loaded"] = sum(v or 0 for v in result.rows.values())
        counts["message"] = f"{len(result.rows)} relations; feature rows {matrices}"
    log.info("run %s build: %s relations", run_id, len(result.rows))
    return {"relations": len(result.rows)}


def step_models(
    settings: Settings, run_id: str, truth: Path | None = None, retrain: bool = False
) -> dict:
    """Make sure every task has a champion: train one when none exists (or when asked)."""
    models_root = settings.workspace / "models"
    trained: dict[str, str] = {}
    with warehouse(settings) as con, stage(con, run_id, "models", models_root) as counts:
        for task in TASKS:
            if champion_dir(models_root, task) is not None and not retrain:
                continue
            log.info(
                "run %s: training %s (%s)",
                run_id,
                task,
                "retrain" if retrain else "no champion yet",
            )
            trained[task] = train_and_register(con, task, models_root, settings, truth)
        counts["message"] = _trained_message(trained, champion_versions(models_root))
    return trained


def _trained_message(trained: dict[str, str], champions: dict[str, str]) -> str:
    """Which tasks were trained and whether each new version became the champion."""
    if not trained:
        return "champions in place"
    roles = {
        t: "champion" if champions.get(t) == v else "challenger, not promoted"
        for t, v in trained.items()
    }
    return "trained " + ", ".join(f"{t} {v} ({roles[t]})" for t, v in sorted(trained.items()))


def train_and_register(
    con: duckdb.DuckDBPyConnection,
    task: str,
    models_root: Path,
    settings: Settings,
    truth: Path | None = None,
    progress: Progress | None = None,
) -> str:
    """Train one task, register it (promoted only if no worse), return the new version."""
    spec = get_task(task)
    threads = _threads(settings)
    config = TrainConfig(seed=settings.seed, threads=threads)
    result = train_task(con, spec, features_for(task), config, truth, progress)
    registered = register(
        con,
        result,
        models_root,
        datetime.now(UTC),
        {"readmit": code_version()},
        model_data.fingerprint(con, task),
        threads,
    )
    return registered.version


def step_score(settings: Settings, run_id: str, kind: str = "nightly") -> dict:
    """Score every eligible person with the champions into `ml_scores`, with tiers and trends."""
    models_root = settings.workspace / "models"
    with warehouse(settings) as con, stage(con, run_id, "score", models_root) as counts:
        with transaction(con):
            per_task = score_run(
                con, run_id, models_root, tier_thresholds(settings), _threads(settings), kind
            )
        counts["rows_loaded"] = sum(t["rows"] for t in per_task.values())
        counts["message"] = "; ".join(f"{k}: {v['rows']} rows" for k, v in per_task.items())
    log.info("run %s score: %s", run_id, {k: v["rows"] for k, v in per_task.items()})
    return per_task


def step_backfill(settings: Settings, run_id: str, start: date, end: date) -> dict:
    """Re-score every as-of date in [start, end] with the champions; replaces earlier backfills."""
    models_root = settings.workspace / "models"
    if not settings.warehouse.exists():
        raise ReadmitError(f"no warehouse at {settings.warehouse}; run `readmit nightly` first")
    with warehouse(settings) as con, stage(con, run_id, "backfill", models_root) as counts:
        with transaction(con):
            per_task = backfill_run(
                con, run_id, models_root, tier_thresholds(settings), start, end, _threads(settings)
            )
        counts["rows_loaded"] = sum(t["rows"] for t in per_task.values())
        counts["message"] = f"as-of {start} to {end}; " + "; ".join(
            f"{k}: {v['rows']} rows over {v['as_of_dates']} as-of dates"
            for k, v in per_task.items()
        )
    log.info("run %s backfill: %s", run_id, {k: v["rows"] for k, v in per_task.items()})
    return per_task


def score_once(settings: Settings) -> dict:
    """`readmit score`: one locked run scoring the current warehouse with the champions."""
    if not settings.warehouse.exists():
        raise ReadmitError(f"no warehouse at {settings.warehouse}; run `readmit build` first")
    if not champion_versions(settings.workspace / "models"):
        raise NoChampionError(
            f"no champion model in {settings.workspace / 'models'}; nothing to score with. Run "
            "`readmit nightly` (it trains when no model exists) or `readmit train --task <task>`"
        )
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id):
        return {"run_id": run_id, "scored": step_score(settings, run_id, kind="score")}


def tier_thresholds(settings: Settings):
    """The tier cut-offs from settings."""
    from models.tiers import TierThresholds

    return TierThresholds(
        settings.tier1_share, settings.tier2_share, settings.tier3_share, settings.tier3_rise_points
    )


def _threads(settings: Settings) -> int:
    return settings.duckdb_threads or os.cpu_count() or 1


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the block's warehouse changes together, or none of them."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def step_publish(settings: Settings, run_id: str) -> Path:
    """Write this run's outputs into runs/<run_id>/ and then move `latest` to it atomically."""
    from models.tasks import TASKS as task_names
    from pipelines.publish import publish, publishing, write_private
    from reports.dashboard import write_dashboard
    from reports.data_quality import write_data_quality_report
    from reports.risk_assessment import write_risk_assessments
    from reports.worklist import publish_worklists

    models_root = settings.workspace / "models"
    with (
        warehouse(settings) as con,
        stage(con, run_id, "publish", models_root) as counts,
        publishing(settings.workspace, run_id) as out,
    ):
        written = write_risk_assessments(con, run_id, out / "risk_assessments.ndjson")
        write_data_quality_report(con, run_id, out / "data_quality.html")
        day = run_date(con)
        worklists = publish_worklists(
            con, run_id, day, out / "worklists", mode=settings.output_mode
        )
        write_dashboard(con, run_id, day, out / "dashboard.html", mode=settings.output_mode)
        for task in task_names:
            champion = champion_dir(models_root, task)
            if champion is not None and (champion / "card.html").exists():
                card = (champion / "card.html").read_bytes()
                write_private(out / f"model_card_{task}.html", card, settings.output_mode)
        counts["rows_loaded"] = written
        counts["message"] = f"published {out.name} with {len(worklists)} worklist files"
        publish(settings.workspace, run_id)
    log.info("run %s published %s risk assessments", run_id, written)
    return settings.workspace / "latest"


def run_date(con: duckdb.DuckDBPyConnection) -> date:
    """The day the run acts on: the day after the last day of complete data."""
    return con.sql("select cast(data_end_date + 1 as date) from int_data_window").fetchall()[0][0]


def step_assign(settings: Settings, run_id: str) -> dict:
    """Assign tier 1-2 patients to case managers within capacity (continuity first)."""
    from reports.caseload_store import run_caseload

    points = {1: settings.tier1_points, 2: settings.tier2_points}
    models_root = settings.workspace / "models"
    with warehouse(settings) as con, stage(con, run_id, "assign", models_root) as counts:
        result = run_caseload(
            con, run_id, run_date(con), points, time_limit=settings.caseload_time_limit
        )
        by_status = result.assignments.group_by("status").len().rows()
        counts["rows_loaded"] = result.assignments.height
        counts["message"] = ", ".join(f"{s}: {n}" for s, n in sorted(by_status))
        counts["message"] += f"; optimal={result.optimal}, gap {result.gap:g}"
    log.info("run %s assign: %s", run_id, counts["message"])
    return {"assignments": result.assignments.height, "optimal": result.optimal}
