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
from pipelines.ingest.driver import ingest_landing
from pipelines.runlog import finish_stage, start_stage
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
def stage(con: duckdb.DuckDBPyConnection, run_id: str, name: str) -> Iterator[dict]:
    """Log a stage's start and end in `run_log`; the body fills the dict with counts."""
    counts: dict = {}
    start_stage(con, run_id, name)
    try:
        yield counts
    except BaseException as exc:
        finish_stage(con, run_id, name, status="failed", message=str(exc)[:500])
        raise
    finish_stage(
        con,
        run_id,
        name,
        rows_in=counts.get("rows_in"),
        rows_loaded=counts.get("rows_loaded"),
        message=counts.get("message"),
    )


def step_ingest(settings: Settings, landing: Path, run_id: str) -> dict:
    """Validate and load every new drop under `landing` (the ingest stage logs itself)."""
    with warehouse(settings) as con:
        ensure_raw_tables(con)
        result = ingest_landing(con, landing, run_id, max_bad_share=settings.max_bad_row_share)
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
    with warehouse(settings) as con, stage(con, run_id, "build") as counts:
        ensure_raw_tables(con)
        load_reference(con)
        load_comorbidity_reference(con)
        result = runner.build(con)
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
    with warehouse(settings) as con, stage(con, run_id, "models") as counts:
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
        counts["message"] = f"trained {sorted(trained)}" if trained else "champions in place"
    return trained


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
    threads = settings.duckdb_threads or os.cpu_count() or 1
    config = TrainConfig(seed=settings.seed, threads=threads)
    result = train_task(con, spec, features_for(task), config, truth, progress)
    registered = register(
        con,
        result,
        models_root,
        datetime.now(UTC),
        {"readmit": _version()},
        model_data.fingerprint(con, task),
        threads,
    )
    return registered.version


def _version() -> str:
    from pipelines.runlog import code_version

    return code_version()


def step_score(settings: Settings, run_id: str) -> dict:
    """Score every eligible person with the champions into `ml_scores`, with tiers and trends."""
    from models.tiers import TierThresholds
    from pipelines.scoring import score_run

    thresholds = TierThresholds(
        settings.tier1_share, settings.tier2_share, settings.tier3_share, settings.tier3_rise_points
    )
    threads = settings.duckdb_threads or os.cpu_count() or 1
    with warehouse(settings) as con, stage(con, run_id, "score") as counts:
        con.execute("begin transaction")
        try:
            per_task = score_run(con, run_id, settings.workspace / "models", thresholds, threads)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        counts["rows_loaded"] = sum(t["rows"] for t in per_task.values())
        counts["message"] = "; ".join(f"{k}: {v['rows']} rows" for k, v in per_task.items())
    log.info("run %s score: %s", run_id, {k: v["rows"] for k, v in per_task.items()})
    return per_task


def step_publish(settings: Settings, run_id: str) -> Path:
    """Write this run's outputs into runs/<run_id>/ and then move `latest` to it atomically."""
    from models.tasks import TASKS as task_names
    from pipelines.publish import publish, run_dir, write_private
    from reports.dashboard import write_dashboard
    from reports.data_quality import write_data_quality_report
    from reports.risk_assessment import write_risk_assessments
    from reports.worklist import publish_worklists

    out = run_dir(settings.workspace, run_id)
    models_root = settings.workspace / "models"
    with warehouse(settings) as con, stage(con, run_id, "publish") as counts:
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
    with warehouse(settings) as con, stage(con, run_id, "assign") as counts:
        result = run_caseload(con, run_id, run_date(con), tier_points=points)
        by_status = result.assignments.group_by("status").len().rows()
        counts["rows_loaded"] = result.assignments.height
        counts["message"] = ", ".join(f"{s}: {n}" for s, n in sorted(by_status))
        counts["message"] += f"; optimal={result.optimal}"
    log.info("run %s assign: %s", run_id, counts["message"])
    return {"assignments": result.assignments.height, "optimal": result.optimal}
