"""Fixtures for the fault tests: one generated landing and one pair of clean runs, built once.

Under pytest-xdist every worker would build its own session fixtures; these are built once in a
folder all workers share (guarded by a file lock), then copied by the tests that write to them.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.reliability.nightly_driver import run_nightly

PERSONS = 800  # the size and seed of the nightly e2e test: smaller ones cannot train
SEED = 5
# Tables whose rows belong to one run and accumulate by design; compared per run instead.
RUN_SCOPED = ("run_log", "audit_log", "ml_scores")


@dataclass(frozen=True)
class CleanRuns:
    """A workspace after one clean run (snapshot) and the same after a second clean run."""

    landing: Path
    first_snapshot: Path
    workspace: Path
    first_run: str
    second_run: str
    counts: dict[str, int]
    scores_per_run: int
    published: tuple[str, ...]


def _shared_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(tmp_path_factory, name: str, builder: Callable[[Path], dict]) -> dict:
    """Run `builder(folder)` once across xdist workers; every caller gets its JSON result."""
    root = _shared_root(tmp_path_factory)
    folder = root / name
    done = root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            done.write_text(json.dumps(builder(folder)))
    return json.loads(done.read_text())


def table_counts(warehouse: Path) -> dict[str, int]:
    """Rows per table of a warehouse file (read-only)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [r[0] for r in con.sql("select table_name from duckdb_tables()").fetchall()]
        return {n: con.sql(f'select count(*) from "{n}"').fetchall()[0][0] for n in sorted(names)}


def published_files(folder: Path) -> tuple[str, ...]:
    """Relative paths of every file under a published run folder."""
    return tuple(sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()))


def _build_clean(folder: Path) -> dict:
    from pipelines.synth import generate

    landing = folder / "landing"
    truth = folder / "truth.parquet"
    generate(PERSONS, SEED, date(2022, 1, 1), date(2024, 12, 31), landing / "2025-01-01", truth)
    workspace = folder / "ws"
    first = run_nightly(landing, workspace, say=lambda _: None)
    shutil.copytree(workspace, folder / "after_first", symlinks=True)
    second = run_nightly(landing, workspace, say=lambda _: None)
    counts = table_counts(workspace / "warehouse.duckdb")
    with duckdb.connect(str(workspace / "warehouse.duckdb"), read_only=True) as con:
        per_run = con.execute("select count(*) from ml_scores where run_id = ?", [second])
        scores = per_run.fetchall()[0][0]
    return {
        "landing": str(landing),
        "first_snapshot": str(folder / "after_first"),
        "workspace": str(workspace),
        "first_run": first,
        "second_run": second,
        "counts": {k: v for k, v in counts.items() if k not in RUN_SCOPED},
        "scores_per_run": scores,
        "published": published_files(workspace / "runs" / second),
    }


@pytest.fixture(scope="session")
def clean_runs(tmp_path_factory) -> CleanRuns:
    """300 generated persons, a clean nightly run, its snapshot, and a second clean run."""
    data = build_once(tmp_path_factory, "reliability_clean", _build_clean)
    paths = {k: Path(data[k]) for k in ("landing", "first_snapshot", "workspace")}
    return CleanRuns(
        **paths,
        first_run=data["first_run"],
        second_run=data["second_run"],
        counts=data["counts"],
        scores_per_run=data["scores_per_run"],
        published=tuple(data["published"]),
    )
