"""Prefect flows, the only Prefect module: `nightly`, `train` and `backfill` over plain steps.

Tasks are thin adapters over `pipelines.nightly`; they pass settings, paths and run ids, never
data or connections. Retries only around I/O (ingest, publish), never on a contract error.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A busy machine can take long to start the local ephemeral API; wait rather than fail.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from prefect import flow, task  # noqa: E402
from prefect.schedules import Cron  # noqa: E402
from prefect.types.entrypoint import EntrypointType  # noqa: E402

from data_contracts.errors import ContractError  # noqa: E402
from pipelines import nightly as steps  # noqa: E402
from pipelines.audit import audited  # noqa: E402
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


def _on_cluster(step: str, *args: object) -> dict:
    """Run a `pipelines.scale.steps` step here, its shards on the flow's DaskTaskRunner cluster."""
    from distributed import Client
    from prefect.context import FlowRunContext

    from pipelines.scale import steps as scale

    runner = FlowRunContext.get().task_runner
    if not hasattr(runner, "client"):
        raise RuntimeError("a sharded run needs the Dask task runner: run `on_dask(...)(...)`")
    with Client(runner.client.scheduler.address) as client:
        return getattr(scale, step)(*args, client=client)


@task(name="build")
def build_task(settings: Settings, run_id: str, shards: int = 0) -> dict:
    """Rebuild the SQL layers through the features (features in shards when `shards`)."""
    if shards:
        return _on_cluster("step_build_sharded", settings, run_id, shards)
    return steps.step_build(settings, run_id)


@task(name="models")
def models_task(
    settings: Settings, run_id: str, truth: Path | None, retrain: bool, shards: int = 0
) -> dict:
    """Train a champion for any task without one (or retrain every task when asked)."""
    if shards:
        return _on_cluster("step_models_sharded", settings, run_id, truth, retrain)
    return steps.step_models(settings, run_id, truth, retrain)


@task(name="score")
def score_task(settings: Settings, run_id: str, shards: int = 0) -> dict:
    """Score and tier every eligible person."""
    if shards:
        return _on_cluster("step_score_sharded", settings, run_id, shards)
    return steps.step_score(settings, run_id)


@task(name="assign")
def assign_task(settings: Settings, run_id: str) -> dict:
    """Assign high-tier patients to case managers."""
    return steps.step_assign(settings, run_id)


@task(name="backfill")
def backfill_task(settings: Settings, run_id: str, start: date, end: date) -> dict:
    """Re-score a range of as-of dates with the champions."""
    return steps.step_backfill(settings, run_id, start, end)


@task(name="publish", retries=2, retry_delay_seconds=5, retry_condition_fn=_io_retry)
def publish_task(settings: Settings, run_id: str) -> str:
    """Write the run's outputs and move `latest`."""
    return str(steps.step_publish(settings, run_id))


@flow(name="readmit-nightly", log_prints=False)
def nightly(
    landing: str, workspace: str | None = None, truth: str | None = None, shards: int = 0
) -> dict:
    """Ingest, build, train if needed, score, assign, publish: one run at a time.

    With `shards`, run it as `on_dask(...)`: per-person work goes to the flow's Dask cluster.
    """
    settings = load_settings(workspace=workspace)
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id), audited(settings, run_id):
        ingested = ingest_task(settings, Path(landing), run_id)
        built = build_task(settings, run_id, shards)
        trained = models_task(settings, run_id, Path(truth) if truth else None, False, shards)
        scored = score_task(settings, run_id, shards)
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


def on_dask(address: str | None = None, workers: int = 2):
    """The nightly flow with prefect-dask's DaskTaskRunner: the cluster at `address`, or a local
    cluster of `workers` single-thread processes."""
    from prefect_dask import DaskTaskRunner

    local = {"n_workers": workers, "threads_per_worker": 1, "dashboard_address": None}
    runner = DaskTaskRunner(address=address) if address else DaskTaskRunner(cluster_kwargs=local)
    return nightly.with_options(task_runner=runner)


@flow(name="readmit-train")
def train(workspace: str | None = None, truth: str | None = None) -> dict:
    """Retrain every task; a new model becomes champion only if no worse than the current one."""
    settings = load_settings(workspace=workspace)
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id), audited(settings, run_id, "train"):
        trained = models_task(settings, run_id, Path(truth) if truth else None, True)
    return {"run_id": run_id, "trained": trained}


@flow(name="readmit-backfill")
def backfill(start: date, end: date, workspace: str | None = None) -> dict:
    """Re-score every as-of date in [start, end] with the champions; a rerun replaces the range."""
    settings = load_settings(workspace=workspace)
    run_id = new_run_id()
    with run_lock(settings.workspace, run_id), audited(settings, run_id, "backfill"):
        scored = backfill_task(settings, run_id, start, end)
    return {"run_id": run_id, "scored": scored}


NIGHTLY_DEPLOYMENT = "nightly"
RETRAIN_DEPLOYMENT = "retrain"


def deployments(settings: Settings, landing: Path, truth: Path | None = None) -> list:
    """The nightly and retrain deployments on the schedules from settings."""
    common = {"workspace": str(settings.workspace.resolve())}
    if truth is not None:
        common["truth"] = str(truth.resolve())
    zone = settings.schedule_timezone
    return [
        nightly.to_deployment(
            NIGHTLY_DEPLOYMENT,
            schedule=Cron(settings.nightly_cron, timezone=zone),
            parameters={"landing": str(landing.resolve()), **common},
            description="Ingest, build, score, assign and publish the night's drops.",
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
        train.to_deployment(
            RETRAIN_DEPLOYMENT,
            schedule=Cron(settings.retrain_cron, timezone=zone),
            parameters=common,
            description="Retrain every task; a challenger replaces the champion only if no worse.",
            entrypoint_type=EntrypointType.MODULE_PATH,
        ),
    ]


def serve_deployments(settings: Settings, landing: Path, truth: Path | None = None) -> None:
    """Serve both deployments from this process until interrupted (one run at a time)."""
    from prefect import serve

    serve(*deployments(settings, landing, truth), limit=1, print_starting_message=False)
