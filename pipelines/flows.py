"""Prefect flows, the only Prefect module: `nightly`, `train` and `backfill` over plain steps.

Tasks are thin adapters over `pipelines.nightly`; they pass settings, paths and run ids, never
data or connections. Retries only around I/O (ingest, publish), never on a contract error.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A busy machine can take long to start the local ephemeral API; wait rather than fail.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from prefect import flow, task  # noqa: E402

from data_contracts.errors import ContractError  # noqa: E402
from pipelines import nightly as steps  # noqa: E402
from pipelines.lock import run_lock  # noqa: E402
from pipelines.runlog import new_run_id  # noqa: E402
from pipelines.settings import Settings, load_settings  # noqa: E402


def _io_retry(task_, task_run, state) -> bool:
    """Retry transient I/O failures only: a broken extract will not mend itself."""
    try:
        state.result()
    except ContractError:
        return False
    except OSError:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False


@task(name="ingest", retries=2, retry_delay_seconds=5, retry_condition_fn=_io_retry)
def ingest_task(settings: Settings, landing: Path, run_id: str) -> dict:
    """Validate and load new drops."""
    return steps.step_ingest(settings, landing, run_id)


@task(name="build")
def build_task(settings: Settings, run_id: str) -> dict:
    """Rebuild the SQL layers through the features."""
    return steps.step_build(settings, run_id)


@task(name="models")
def models_task(settings: Settings, run_id: str, truth: Path | None, retrain: bool) -> dict:
    """Train a champion for any task without one (or retrain every task when asked)."""
    return steps.step_models(settings, run_id, truth, retrain)


@task(name="score")
def score_task(settings: Settings, run_id: str) -> dict:
    """Score and tier every eligible person."""
    return steps.step_score(settings, run_id)


@task(name="assign")
def assign_task(settings: Settings, run_id: str) -> dict:
    """Assign high-tier patients to case managers."""
    return steps.step_assign(settings, run_id)


@task(name="publish", retries=2, retry_delay_seconds=5, retry_condition_fn=_io_retry)
def publish_task(settings: Settings, run_id: str) -> str:
    """Write the run's outputs and move `latest`."""
    return str(steps.step_publish(settings, run_id))


@flow(name="readmit-nightly", log_prints=False)
def nightly(landing: str, workspace: str | None = None, truth: str | None = None) -> dict:
    """Ingest, build, train if needed, score, assign, publish: one run at a time."""
    settings = load_settings(workspace=workspace)
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id):
        ingested = ingest_task(settings, Path(landing), run_id)
        built = build_task(settings, run_id)
        trained = models_task(settings, run_id, Path(truth) if truth else None, False)
        scored = score_task(settings, run_id)
        assigned = assign_task(settings, run_id)
        latest = publish_task(settings, run_id)
    return {
        "run_id": run_id,
        "ingest": ingested,
        "build": built,
        "trained": trained,
        "scored": scored,
        "assigned": assigned,
        "latest": latest,
    }


@flow(name="readmit-train")
def train(workspace: str | None = None, truth: str | None = None) -> dict:
    """Retrain every task; a new model becomes champion only if no worse than the current one."""
    settings = load_settings(workspace=workspace)
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id):
        trained = models_task(settings, run_id, Path(truth) if truth else None, True)
    return {"run_id": run_id, "trained": trained}
