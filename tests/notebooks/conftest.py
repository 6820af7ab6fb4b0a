"""A small generated workspace (600 persons through the nightly steps the API reads: ingest,
build, train, score, as plain functions), built once per test session and shared by pytest-xdist
workers through a file lock."""

from __future__ import annotations

import fcntl
from datetime import date
from pathlib import Path

import pytest

PERSONS = 600
SEED = 7
DEID_KEY = "test-export-key-0123456789"


def build_workspace(workspace: Path) -> None:
    """Generate a drop and run ingest, build, train and score; then ingest again (no new files)."""
    from pipelines import nightly as steps
    from pipelines.runlog import new_run_id
    from pipelines.settings import Settings
    from pipelines.synth import generate

    settings = Settings(workspace=workspace, duckdb_threads=2, seed=SEED)
    drop = settings.landing / "2025-01-01"
    generate(PERSONS, SEED, date(2022, 1, 1), date(2024, 12, 31), drop, workspace / "truth.parquet")
    run_id = new_run_id()
    steps.step_ingest(settings, settings.landing, run_id)
    steps.step_build(settings, run_id)
    steps.step_models(settings, run_id)
    steps.step_score(settings, run_id)
    # a second night with no new files: the run log then holds two ingest runs
    steps.step_ingest(settings, settings.landing, new_run_id())


@pytest.fixture(scope="session")
def analyst_workspace(request, tmp_path_factory) -> Path:
    """The workspace folder (warehouse, models, landing); read it, never write to it."""
    root = tmp_path_factory.getbasetemp()
    if getattr(request.config, "workerinput", None) is not None:
        root = root.parent  # shared by every xdist worker of this session
    target = root / "analyst_workspace"
    with open(root / "analyst_workspace.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "ready").exists():
            build_workspace(target / "ws")
            (target / "ready").touch()
    return target / "ws"


@pytest.fixture
def workspace_env(analyst_workspace, monkeypatch) -> Path:
    """READMIT_WORKSPACE pointing at the analyst workspace, and the export key set."""
    monkeypatch.setenv("READMIT_WORKSPACE", str(analyst_workspace))
    monkeypatch.setenv("READMIT_DEID_KEY", DEID_KEY)
    return analyst_workspace
